package io.jnetstack.compat.contract;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * Endpoints on the loopback address that contracts start from, opened through the JVM's default
 * provider: 127.0.0.1, or the address {@link #ADDRESS_PROPERTY} names (the suite runs again over ::1).
 */
public final class Loopback {
    public static final String ADDRESS_PROPERTY = "jnetstack.contracts.loopback";
    public static final InetAddress ADDRESS = address(System.getProperty(ADDRESS_PROPERTY, "127.0.0.1"));
    /** The wildcard address of {@link #ADDRESS}'s family. */
    public static final InetAddress WILDCARD = address(ADDRESS instanceof java.net.Inet6Address ? "::" : "0.0.0.0");

    private Loopback() {
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal); // a literal: no lookup
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(ADDRESS_PROPERTY + "=" + literal + ": not an address literal", e);
        }
    }

    /** A server channel listening on an ephemeral port of 127.0.0.1. */
    public static ServerSocketChannel listen() throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress(ADDRESS, 0));
        return server;
    }

    /** An address nothing listens on: a port that was just bound and released. */
    public static InetSocketAddress closedPort() throws IOException {
        try (ServerSocketChannel s = listen()) {
            return (InetSocketAddress) s.getLocalAddress();
        }
    }

    /** A connected TCP connection: both ends blocking, and the server channel that accepted it. */
    public record TcpPair(ServerSocketChannel server, SocketChannel client, SocketChannel accepted) implements AutoCloseable {
        public static TcpPair open() throws IOException {
            ServerSocketChannel server = listen();
            SocketChannel client = SocketChannel.open(server.getLocalAddress());
            return new TcpPair(server, client, server.accept());
        }

        @Override
        public void close() throws IOException {
            client.close();
            accepted.close();
            server.close();
        }
    }

    public static ByteBuffer text(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Reads exactly {@code length} bytes from a blocking channel, failing at an early end of stream. */
    public static String readText(ReadableByteChannel channel, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new AssertionError("end of stream after " + buffer.position() + " of " + length + " bytes");
            }
        }
        return new String(buffer.array(), StandardCharsets.UTF_8);
    }

    /** Writes all of {@code text} to a blocking channel. */
    public static void writeText(SocketChannel channel, String text) throws IOException {
        ByteBuffer buffer = text(text);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }
}
