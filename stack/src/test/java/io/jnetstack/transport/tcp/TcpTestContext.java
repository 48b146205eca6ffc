package io.jnetstack.transport.tcp;

import static io.jnetstack.header.TcpHeader.ACK;
import static io.jnetstack.header.TcpHeader.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import io.jnetstack.address.IpAddress;
import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.header.Checksum;
import io.jnetstack.header.TcpOptions;
import io.jnetstack.stack.PacketInfo;
import io.jnetstack.stack.PortManager;
import io.jnetstack.stack.Route;
import io.jnetstack.stack.SerialExecutor;
import io.jnetstack.stack.Stack;
import io.jnetstack.stack.TransportDemuxer;
import io.jnetstack.time.Clock;
import io.jnetstack.time.ManualClock;
import io.jnetstack.waiter.WaiterEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.NoRouteToHostException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Random;

/**
 * A deterministic world for one TCP endpoint, in the manner of gVisor's TCP test context: a
 * manual clock, processors that run inline, and a route that captures every segment the endpoint
 * sends. A test plays the remote peer: it injects segments ({@link #inject}) and checks, one by
 * one, the exact segments that come back ({@link #expectSegment}).
 */
final class TcpTestContext {
    static final IpAddress LOCAL = IpAddress.parse("10.0.0.1");
    static final IpAddress REMOTE = IpAddress.parse("10.0.0.2");
    static final IpAddress UNREACHABLE = IpAddress.parse("192.0.2.9");
    static final int LOCAL_PORT = 8080;
    static final int REMOTE_PORT = 40000;
    static final int REMOTE_ISN = 1_000_000;
    static final int MTU = 1500;
    /** MSS the endpoint advertises: the route's MTU less the IPv4 and TCP headers. */
    static final int LOCAL_MSS = MTU - 40;

    final ManualClock clock = new ManualClock();
    final TransportDemuxer demuxer = new TransportDemuxer();
    final PortManager ports = new PortManager(PortManager.DEFAULT_FIRST_EPHEMERAL, PortManager.DEFAULT_LAST_EPHEMERAL,
            new Random(1));
    final TcpProtocol protocol;
    private final ArrayDeque<EmittedSegment> emitted = new ArrayDeque<>();

    /** Largest packet the route's link segments itself (0: none), set by {@link #offloadSegmentation}. */
    private int segmentedTransportPacket;

    /** The local port and ISN of the connection a helper set up. */
    int localPort = LOCAL_PORT;
    int iss;

    TcpTestContext() {
        this(TcpConfig.defaults());
    }

    TcpTestContext(TcpConfig config) {
        protocol = new TcpProtocol(config);
        protocol.attach(new TestHost());
    }

    static TcpConfig.Builder config() {
        return TcpConfig.builder();
    }

    // ---- driving the endpoint ----

    /** Delivers {@code segment} from REMOTE to LOCAL as the network layer would. */
    void inject(TestSegment segment) {
        if (segment.destinationPort == 0) {
            segment.destinationPort = localPort;
        }
        PacketBuffer packet = segment.encode(REMOTE, LOCAL);
        protocol.handlePacket(new PacketInfo(REMOTE, LOCAL, 1, 64, 0), packet);
    }

    /**
     * Delivers {@code segment} as part of a link's batch: marked so that the end of the batch is
     * announced ({@link #endBatch}), as the TAP reader marks what it reads in one wake-up.
     */
    void injectInBatch(TestSegment segment) {
        if (segment.destinationPort == 0) {
            segment.destinationPort = localPort;
        }
        PacketBuffer packet = segment.encode(REMOTE, LOCAL);
        packet.markBatchEndFollows();
        protocol.handlePacket(new PacketInfo(REMOTE, LOCAL, 1, 64, 0), packet);
    }

    /** The link's batch ended. */
    void endBatch() {
        protocol.linkBatchEnded();
    }

    /**
     * From now on the route's link cuts packets of up to {@code maxTransportPacket} bytes into
     * segments and completes checksums, as a NIC with TSO does; the route completes each checksum
     * when it captures the packet, so every emitted segment is still checked.
     */
    void offloadSegmentation(int maxTransportPacket) {
        segmentedTransportPacket = maxTransportPacket;
    }

    void advance(Duration d) {
        clock.advance(d);
    }

    void advanceMillis(long ms) {
        clock.advance(Duration.ofMillis(ms));
    }

    // ---- checking what it sent ----

    /** The oldest segment the endpoint sent and the test has not checked yet. */
    EmittedSegment expectSegment() {
        EmittedSegment s = emitted.poll();
        if (s == null) {
            fail("expected a segment, but none was sent");
        }
        return s;
    }

    void expectNoSegment() {
        EmittedSegment s = emitted.poll();
        if (s != null) {
            fail("expected no segment, got " + s);
        }
    }

    int pendingSegments() {
        return emitted.size();
    }

    // ---- common set-ups ----

    /**
     * An active open completed with a SYN-ACK carrying {@code synAckOptions}; the SYN and the
     * final ACK have been checked and consumed.
     */
    TcpEndpoint establishActive(TcpOptions synAckOptions) {
        return establishActive(protocol.newEndpoint(), synAckOptions, 30000);
    }

    TcpEndpoint establishActive(TcpEndpoint ep, TcpOptions synAckOptions, int window) {
        connect(ep);
        EmittedSegment syn = expectSegment().flags(SYN);
        iss = syn.seq();
        inject(TestSegment.tcp().flags(SYN | ACK).seq(REMOTE_ISN).ack(iss + 1).window(window).options(synAckOptions));
        expectSegment().flags(ACK).seq(iss + 1).ack(REMOTE_ISN + 1);
        assertEquals(TcpState.ESTABLISHED, ep.state());
        return ep;
    }

    void connect(TcpEndpoint ep) {
        try {
            ep.connect(REMOTE, REMOTE_PORT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        localPort = ep.localPort();
    }

    /** A listener on LOCAL:LOCAL_PORT. */
    TcpEndpoint listen(int backlog) {
        TcpEndpoint l = protocol.newEndpoint();
        try {
            l.bind(LOCAL, LOCAL_PORT);
            l.listen(backlog);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        localPort = LOCAL_PORT;
        return l;
    }

    /** A passive open: SYN with {@code synOptions}, SYN-ACK checked, ACK; returns the accepted endpoint. */
    TcpEndpoint establishPassive(TcpOptions synOptions) {
        TcpEndpoint listener = listen(16);
        inject(TestSegment.tcp().flags(SYN).seq(REMOTE_ISN).options(synOptions));
        EmittedSegment synAck = expectSegment().flags(SYN | ACK).ack(REMOTE_ISN + 1);
        iss = synAck.seq();
        inject(TestSegment.tcp().flags(ACK).seq(REMOTE_ISN + 1).ack(iss + 1));
        TcpEndpoint ep = listener.accept();
        assertNotNull(ep, "accepted connection");
        return ep;
    }

    static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (seed + i * 7);
        }
        return b;
    }

    static int write(TcpEndpoint ep, byte[] data) {
        try {
            return ep.write(ByteBuffer.wrap(data));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads what is ready (at most {@code max} bytes); an empty array when nothing is. */
    static byte[] read(TcpEndpoint ep, int max) {
        ByteBuffer b = ByteBuffer.allocate(max);
        try {
            int n = ep.read(b);
            return n <= 0 ? new byte[0] : java.util.Arrays.copyOf(b.array(), n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Records the events a waiter queue fires, for assertions. */
    static final class EventLog {
        int fired;

        boolean saw(int events) {
            return (fired & events) == events;
        }
    }

    static EventLog watch(TcpEndpoint ep) {
        EventLog log = new EventLog();
        ep.waiterQueue().register(new WaiterEntry(io.jnetstack.waiter.Events.ALL, e -> log.fired |= e));
        return log;
    }

    // ---- the host ----

    private final class TestHost implements TcpHost {
        @Override
        public Clock clock() {
            return clock;
        }

        @Override
        public Route findRoute(int nicId, IpAddress local, IpAddress remote) throws NoRouteToHostException {
            if (remote.equals(UNREACHABLE)) {
                throw new NoRouteToHostException("No route to host");
            }
            return new CapturingRoute(local == null || local.isUnspecified() ? LOCAL : local, remote);
        }

        @Override
        public TransportDemuxer demuxer() {
            return demuxer;
        }

        @Override
        public PortManager ports() {
            return ports;
        }

        @Override
        public boolean isLocalAddress(IpAddress address) {
            return address.equals(LOCAL);
        }

        @Override
        public SerialExecutor processor(int flowHash) {
            // Runs on the test's thread, as the stack's run-to-completion does; a task that throws fails the test.
            return new SerialExecutor(failure -> {
                throw new AssertionError("a connection task threw", failure);
            });
        }
    }

    /** A route that keeps what is sent instead of sending it. */
    private final class CapturingRoute implements Route {
        private final IpAddress local;
        private final IpAddress remote;

        CapturingRoute(IpAddress local, IpAddress remote) {
            this.local = local;
            this.remote = remote;
        }

        @Override
        public IpAddress localAddress() {
            return local;
        }

        @Override
        public IpAddress remoteAddress() {
            return remote;
        }

        @Override
        public int nicId() {
            return 1;
        }

        @Override
        public int maxTransportPacket() {
            return MTU - 20;
        }

        @Override
        public int maxSegmentedTransportPacket() {
            return segmentedTransportPacket;
        }

        @Override
        public boolean completesChecksums() {
            return segmentedTransportPacket > 0;
        }

        @Override
        public int maxHeaderLength() {
            return 20;
        }

        @Override
        public int pseudoHeaderChecksum(int protocol, int length) {
            return Checksum.ipv4PseudoHeader(local.toInt(), remote.toInt(), protocol, length);
        }

        @Override
        public int ttl() {
            return Stack.DEFAULT_TTL;
        }

        @Override
        public boolean isLocal() {
            return false;
        }

        @Override
        public void writePacket(int protocol, PacketBuffer packet, int ttl, boolean dontFragment) {
            byte[] bytes = packet.toByteArray();
            if (packet.isChecksumPartial()) {
                // As the NIC does: the field holds the pseudo-header's sum; sum it with the rest.
                int field = packet.partialChecksumStart() + packet.partialChecksumField();
                int sum = Checksum.add(0, bytes, packet.partialChecksumStart(), bytes.length - packet.partialChecksumStart());
                int checksum = Checksum.finish(sum);
                bytes[field] = (byte) (checksum >>> 8);
                bytes[field + 1] = (byte) checksum;
            }
            emitted.add(new EmittedSegment(local, remote, bytes, packet.segmentSize(), packet.isChecksumPartial()));
        }
    }
}
