/**
 * Time as the stack sees it: a {@link io.jnetstack.time.Clock} (the system's, or a manual one that
 * tests advance), its {@link io.jnetstack.time.Timer}s, and a token bucket for rate limits that
 * several protocols share.
 */
package io.jnetstack.time;
