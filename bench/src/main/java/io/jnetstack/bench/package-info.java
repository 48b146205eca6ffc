/**
 * Benchmarks, never part of the test run: {@link io.jnetstack.bench.NioBench} (the peers' workloads
 * in plain java.nio), {@link io.jnetstack.bench.SideBySide} (the JDK's provider and jnetstack's in
 * the same run, as ratios), and JMH micro-benchmarks of the stack's hot paths.
 */
package io.jnetstack.bench;
