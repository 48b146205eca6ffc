/**
 * JMH micro-benchmarks of the stack's hot pieces: checksums, header parsing, packet buffers and a
 * TCP segment's way through an endpoint. Run from {@code bench/}, never part of the test run.
 */
package io.jnetstack.bench.micro;
