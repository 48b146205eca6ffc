/**
 * Small runnable programs a user copies from: TCP and UDP echo on the stack API and on jnetstack's
 * NIO channels, the JDK's HTTP server and client, ping, and two stacks on an in-memory cable.
 * Each runs with {@code exec:java -Dexample=CLASS} and is also run by the module's tests.
 */
package io.jnetstack.examples;
