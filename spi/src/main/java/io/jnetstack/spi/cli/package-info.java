/**
 * The commands of the self-contained -all jar ({@code java -jar jnetstack-spi-VERSION-all.jar
 * COMMAND ...}): {@code ss}, which lists a running JVM's jnetstack sockets.
 */
package io.jnetstack.spi.cli;
