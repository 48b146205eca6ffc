/**
 * Readiness notification, as netstack's {@code waiter} package: each endpoint owns a
 * {@link io.jnetstack.waiter.WaiterQueue}; a selector key or a blocked call registers a
 * {@link io.jnetstack.waiter.WaiterEntry} with an event mask ({@link io.jnetstack.waiter.Events})
 * and is called back when the endpoint's readiness may have changed.
 */
package io.jnetstack.waiter;
