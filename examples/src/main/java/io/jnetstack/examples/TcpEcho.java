package io.jnetstack.examples;

import io.jnetstack.address.IpAddress;
import io.jnetstack.address.IpSubnet;
import io.jnetstack.link.LoopbackLink;
import io.jnetstack.network.NetworkProtocols;
import io.jnetstack.stack.Stack;
import io.jnetstack.transport.tcp.TcpEndpoint;
import io.jnetstack.transport.tcp.TcpInfo;
import io.jnetstack.transport.tcp.TcpProtocol;
import io.jnetstack.transport.tcp.TcpState;
import io.jnetstack.waiter.Events;
import io.jnetstack.waiter.WaiterEntry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * An echo server and client on jnetstack's TCP API over an embedded loopback stack (no root, no
 * TAP): three "Hello Netstack" round trips, then both sides close. Each TCP state change is
 * printed with the window figures from {@link TcpEndpoint#info()} as a debug line.
 */
public final class TcpEcho {
    private static final int PORT = 7;
    private static final long TIMEOUT_SECONDS = 5;

    private TcpEcho() {
    }

    public static void main(String[] args) throws Exception {
        try (Stack stack = Stack.builder().network(NetworkProtocols.ipv4()).transport(new TcpProtocol()).build()) {
            stack.createNic("lo", new LoopbackLink()).addAddress(IpSubnet.parse("127.0.0.1/8"));
            TcpProtocol tcp = (TcpProtocol) stack.transport(TcpProtocol.PROTOCOL_NUMBER);

            TcpEndpoint listener = tcp.newEndpoint();
            listener.bind(IpAddress.IPV4_LOOPBACK, PORT);
            listener.listen(16);
            System.out.println("echo server listening on 127.0.0.1:" + PORT);

            TcpEndpoint client = tcp.newEndpoint();
            traceStates("client", client);
            client.connect(IpAddress.IPV4_LOOPBACK, PORT);
            awaitEvent(client, Events.OUT, () -> client.state() != TcpState.SYN_SENT);
            TcpEndpoint server = awaitAccept(listener);
            traceStates("server", server);
            System.out.printf("connected %s:%d -> %s:%d%n", client.localAddress(), client.localPort(), client.remoteAddress(),
                    client.remotePort());

            for (int i = 1; i <= 3; i++) {
                String message = "Hello Netstack " + i;
                writeAll(client, message);
                String atServer = readExactly(server, message.length());
                writeAll(server, atServer); // the echo
                System.out.println("client got back: " + readExactly(client, message.length()));
            }

            client.close();
            awaitEvent(server, Events.IN, () -> readEnd(server));
            server.close();
            awaitEvent(client, Events.HUP, () -> client.state() == TcpState.TIME_WAIT || client.state() == TcpState.CLOSED);
            listener.close();
            System.out.println("closed; client " + client.state() + ", server " + server.state());
        }
    }

    /** Prints each state the endpoint enters, with its windows, as its waiter queue reports events. */
    private static void traceStates(String who, TcpEndpoint endpoint) {
        TcpState[] last = {endpoint.state()};
        endpoint.waiterQueue().register(new WaiterEntry(Events.ALL, events -> {
            TcpInfo info = endpoint.info();
            synchronized (last) {
                if (info.state() != last[0]) {
                    System.out.printf("debug: %s %s -> %s  snd.wnd=%d rcv.wnd=%d cwnd=%d mss=%d%n", who, last[0], info.state(),
                            info.sndWnd(), info.rcvWnd(), info.cwnd(), info.sndMss());
                    last[0] = info.state();
                }
            }
        }));
    }

    @FunctionalInterface
    private interface Condition {
        boolean holds() throws IOException;
    }

    /** Waits (on the endpoint's waiter queue, never polling) until {@code done} holds. */
    private static void awaitEvent(TcpEndpoint endpoint, int events, Condition done) throws Exception {
        Semaphore fired = new Semaphore(0);
        WaiterEntry entry = new WaiterEntry(events | Events.ERR | Events.HUP, e -> fired.release());
        endpoint.waiterQueue().register(entry);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
            while (!done.holds()) {
                IOException error = endpoint.getAndClearError();
                if (error != null) {
                    throw error;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || !fired.tryAcquire(left, TimeUnit.NANOSECONDS)) {
                    throw new IOException("timed out in state " + endpoint.state());
                }
            }
        } finally {
            endpoint.waiterQueue().unregister(entry);
        }
    }

    private static TcpEndpoint awaitAccept(TcpEndpoint listener) throws Exception {
        TcpEndpoint[] accepted = new TcpEndpoint[1];
        awaitEvent(listener, Events.IN, () -> (accepted[0] = listener.accept()) != null);
        return accepted[0];
    }

    private static void writeAll(TcpEndpoint endpoint, String text) throws Exception {
        ByteBuffer data = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        awaitEvent(endpoint, Events.OUT, () -> {
            endpoint.write(data);
            return !data.hasRemaining();
        });
    }

    private static String readExactly(TcpEndpoint endpoint, int length) throws Exception {
        ByteBuffer data = ByteBuffer.allocate(length);
        awaitEvent(endpoint, Events.IN, () -> {
            if (endpoint.read(data) < 0) {
                throw new IOException("end of stream after " + data.position() + " bytes");
            }
            return !data.hasRemaining();
        });
        return new String(data.array(), StandardCharsets.UTF_8);
    }

    /** Reads and drops bytes until the end of stream; true once it is reached. */
    private static boolean readEnd(TcpEndpoint endpoint) throws IOException {
        return endpoint.read(ByteBuffer.allocate(64)) < 0;
    }
}
