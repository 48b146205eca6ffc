package io.jnetstack.jfr;

import io.jnetstack.fault.FaultyLink;
import io.jnetstack.fault.FaultyLink.Faults;
import io.jnetstack.fault.FaultyLink.Phase;
import io.jnetstack.fault.FaultyLink.Schedule;
import io.jnetstack.stack.Stack;
import io.jnetstack.stack.StackCounter;
import io.jnetstack.testing.Ipv4OnlyCorruption;
import io.jnetstack.testing.TwoStacks;
import io.jnetstack.transport.tcp.TcpEndpoint;
import io.jnetstack.transport.tcp.TcpProtocol;
import io.jnetstack.transport.tcp.TcpState;
import io.jnetstack.transport.tcp.TcpStats;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * A TCP exchange between two stacks that meets every jnetstack event, on a manual clock:
 * <ol>
 * <li>A connects to B's listener; A's link loses everything for its first 500 ms, so the SYN is
 *     lost and retransmitted after the 1 s initial RTO (a RetransmissionTimeout);</li>
 * <li>B accepts and sends {@link #BYTES} to A over a link that loses, duplicates, reorders and
 *     corrupts (drops counted by checksum and window checks, data retransmissions);</li>
 * <li>A, having read everything, aborts: a RST from A resets B's connection;</li>
 * <li>B connects to a port of A where nobody listens: A's RST refuses it.</li>
 * </ol>
 * A's link is clean after its first phase, so the resets arrive. Run as a program, it does the
 * same in a JVM that a test starts with a recording on the command line.
 */
final class FaultyTransfer {
    static final int PORT = 7000;
    static final int CLOSED_PORT = 7001;
    static final int BYTES = 512 * 1024;
    static final Duration SYN_BLACKOUT = Duration.ofMillis(500);
    /** Stack time within which each step ends; far beyond what the faults need. */
    private static final Duration STEP_LIMIT = Duration.ofMinutes(10);

    final TwoStacks stacks;
    /** A's end of the connection B accepted; B's end; B's refused attempt. */
    TcpEndpoint client;
    TcpEndpoint server;
    TcpEndpoint refused;

    private FaultyTransfer(TwoStacks stacks) {
        this.stacks = stacks;
    }

    static FaultyTransfer run() throws IOException {
        Schedule aToB = Schedule.cycle(new Phase(SYN_BLACKOUT, Faults.builder().loss(1.0).build()),
                new Phase(Duration.ofDays(1), Faults.NONE));
        Faults bToA = Faults.builder().loss(0.03).duplication(0.03).reordering(0.05).seed(7).build();
        TwoStacks s = TwoStacks.builder().transport(TcpProtocol::new)
                .wrapA((link, clock) -> new FaultyLink(link, aToB, clock))
                .wrapB((link, clock) -> new FaultyLink(new Ipv4OnlyCorruption(link, 0.01, 8, clock), bToA, clock))
                .build();
        FaultyTransfer t = new FaultyTransfer(s);
        try {
            t.transferAndReset();
            t.connectToClosedPort();
        } catch (IOException | RuntimeException | Error e) {
            s.close();
            throw e;
        }
        return t;
    }

    private void transferAndReset() throws IOException {
        TcpEndpoint listener = tcp(stacks.b).newEndpoint();
        listener.bind(TwoStacks.ADDRESS_B, PORT);
        listener.listen(4);
        client = tcp(stacks.a).newEndpoint();
        client.connect(TwoStacks.ADDRESS_B, PORT);
        awaitStep("accept", () -> (server = listener.accept()) != null);
        ByteBuffer data = ByteBuffer.allocate(BYTES);
        ByteBuffer sink = ByteBuffer.allocate(64 * 1024);
        long[] received = {0};
        awaitStep("transfer", () -> {
            try {
                server.write(data);
                int n;
                while ((n = client.read(sink.clear())) > 0) {
                    received[0] += n;
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return received[0] == BYTES && server.info().bytesAcked() == BYTES;
        });
        client.abort();
        awaitStep("reset", () -> server.state() == TcpState.CLOSED);
        listener.close();
        stacks.settle();
    }

    private void connectToClosedPort() throws IOException {
        refused = tcp(stacks.b).newEndpoint();
        refused.connect(TwoStacks.ADDRESS_A, CLOSED_PORT);
        awaitStep("refusal", () -> refused.state() == TcpState.CLOSED);
    }

    /** Settles the wire and, while it is quiet, advances the clock until {@code done}. */
    private void awaitStep(String step, BooleanSupplier done) {
        long deadline = stacks.clock.nanoTime() + STEP_LIMIT.toNanos();
        while (!done.getAsBoolean()) {
            if (stacks.clock.nanoTime() > deadline) {
                throw new AssertionError(step + " did not end within " + STEP_LIMIT + " of stack time; client "
                        + (client == null ? null : client.info()) + " server " + (server == null ? null : server.info()));
            }
            if (stacks.settle() == 0) {
                stacks.advance(Duration.ofMillis(10));
            }
        }
    }

    static TcpProtocol tcp(Stack s) {
        return (TcpProtocol) s.transport(TcpProtocol.PROTOCOL_NUMBER);
    }

    /** The sum over both stacks of a TCP counter. */
    long tcpCount(TcpStats.Counter c) {
        return tcp(stacks.a).stats().get(c) + tcp(stacks.b).stats().get(c);
    }

    /** What both stacks counted under each drop reason, named as the PacketDrop events name them. */
    Map<String, Long> dropsByReason() {
        Map<String, Long> drops = new HashMap<>();
        for (StackCounter c : StackCounter.DROPS) {
            drops.put(c.name(), stacks.a.stats().get(c) + stacks.b.stats().get(c));
        }
        for (TcpStats.Counter c : TcpStats.DROPS) {
            drops.put("TCP_" + c.name(), tcpCount(c));
        }
        drops.values().removeIf(n -> n == 0);
        return drops;
    }

    /** Runs the exchange and prints the ports the recording's events should name. */
    public static void main(String[] args) throws IOException {
        FaultyTransfer t = run();
        System.out.println("client port " + t.client.localPort() + ", refused port " + t.refused.localPort());
        t.stacks.close();
    }
}
