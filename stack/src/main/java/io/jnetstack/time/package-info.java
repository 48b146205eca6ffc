/**
 * Time as the stack sees it: a {@link io.jnetstack.time.Clock} (the system's, whose timers run
 * from a hashed timing wheel on one thread, or a manual one that tests advance), its
 * {@link io.jnetstack.time.Timer}s, one-shot or re-armable without allocating
 * ({@link io.jnetstack.time.RearmableTimer}), and a token bucket for rate limits that several
 * protocols share.
 */
package io.jnetstack.time;
