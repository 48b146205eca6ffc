package io.jnetstack.transport.tcp;

import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.header.Checksum;
import io.jnetstack.header.TcpHeader;
import io.jnetstack.header.TcpOptions;
import io.jnetstack.stack.Route;
import java.util.Arrays;

/**
 * Builds outbound segments in one buffer: the payload is referenced as slices (see
 * {@link SendBuffer}), then header and options are prepended into the reserved headroom.
 */
final class SegmentEncoder {
    /** Per-segment tracing at TRACE level, off unless the logging configuration turns it on. */
    private static final System.Logger LOG = System.getLogger(SegmentEncoder.class.getName());

    private SegmentEncoder() {
    }

    /** Each thread's header for the connections it sends on; see {@link #threadHeader}. */
    private static final ThreadLocal<Header> THREAD_HEADER = ThreadLocal.withInitial(Header::new);

    /**
     * The calling thread's header, its ports set and the rest to be filled with {@link Header#set}:
     * a connection describes every segment it sends in it, then sends the segment before it asks
     * again, and nothing between filling and {@link #send} sends on the same thread; the header is
     * read only up to the moment the segment is encoded, so a delivery that the send triggers on
     * this thread may reuse it. Per thread rather than per connection, so an idle connection holds none.
     */
    static Header threadHeader(int sourcePort, int destinationPort) {
        Header h = THREAD_HEADER.get();
        h.sourcePort = sourcePort;
        h.destinationPort = destinationPort;
        return h;
    }

    /**
     * Fields of one outbound header, options included as plain fields, so that sending a segment
     * builds no options object: every segment a thread sends, SYN and SYN-ACK as well as data, ACKs
     * and resets, is described in that thread's one header ({@link #threadHeader}).
     */
    static final class Header {
        int sourcePort;
        int destinationPort;
        int seq;
        int ack;
        int flags;
        int window;
        /** RFC 9293 §3.7.1: the MSS option, -1 for none (every segment but a SYN or SYN-ACK). */
        int mss = -1;
        /** RFC 7323 §2.2: the window scale option's shift, -1 for none (only a SYN or SYN-ACK has one). */
        int windowScale = -1;
        /** RFC 2018 §2: the SACK-permitted option (only a SYN or SYN-ACK has one). */
        boolean sackPermitted;
        boolean timestamps;
        int tsVal;
        int tsEcr;
        int[] sackBlocks = TcpOptions.NO_BLOCKS;

        /** Refills the fixed fields, with no options until {@link #synOptions} or {@link #timestamps} adds some. */
        Header set(int seq, int ack, int flags, int window) {
            this.seq = seq;
            this.ack = ack;
            this.flags = flags;
            this.window = window;
            mss = -1;
            windowScale = -1;
            sackPermitted = false;
            timestamps = false;
            tsVal = 0;
            tsEcr = 0;
            sackBlocks = TcpOptions.NO_BLOCKS;
            return this;
        }

        /** The options only a SYN or SYN-ACK carries: MSS, window scale (-1: none), SACK-permitted. */
        Header synOptions(int mss, int windowScale, boolean sackPermitted) {
            this.mss = mss;
            this.windowScale = windowScale;
            this.sackPermitted = sackPermitted;
            return this;
        }

        /** RFC 7323 §3.2: the timestamps option. */
        Header timestamps(int tsVal, int tsEcr) {
            this.timestamps = true;
            this.tsVal = tsVal;
            this.tsEcr = tsEcr;
            return this;
        }

        int length() {
            return TcpHeader.MIN_LENGTH + TcpOptions.encodedLength(mss, windowScale, sackPermitted, timestamps, sackBlocks);
        }

        void encodeOptions(byte[] a, int off) {
            TcpOptions.encode(a, off, mss, windowScale, sackPermitted, timestamps, tsVal, tsEcr, sackBlocks);
        }

        @Override
        public String toString() {
            return "Header[" + sourcePort + ">" + destinationPort + " seq=" + Integer.toUnsignedString(seq)
                    + " ack=" + Integer.toUnsignedString(ack) + " flags=0x" + Integer.toHexString(flags) + " win=" + window
                    + (mss >= 0 ? " mss=" + mss : "") + (windowScale >= 0 ? " ws=" + windowScale : "")
                    + (sackPermitted ? " sackOk" : "")
                    + (timestamps ? " ts=" + Integer.toUnsignedString(tsVal) + "/" + Integer.toUnsignedString(tsEcr) : "")
                    + (sackBlocks.length > 0 ? " sack=" + Arrays.toString(sackBlocks) : "") + "]";
        }
    }

    /**
     * Payloads up to this many bytes are copied into the packet rather than referenced as slices:
     * copying a few hundred bytes costs less than a packet's slice tables, and a link that wants
     * contiguous frames (the loopback) need not copy them again into an array of its own.
     */
    static final int COPIED_PAYLOAD_MAX = 512;

    /** An empty packet with room in front for {@code h} and every header the route adds. */
    static PacketBuffer newPacket(Route route, Header h) {
        return PacketBuffer.withHeadroom(route.maxHeaderLength() + h.length());
    }

    /**
     * A packet holding {@code len} bytes of {@code buffer} from offset {@code from}, with room in
     * front for {@code h} and every header the route adds: small payloads copied, larger ones
     * referenced (see {@link #COPIED_PAYLOAD_MAX}).
     */
    static PacketBuffer newDataPacket(Route route, Header h, SendBuffer buffer, int from, int len) {
        int headroom = route.maxHeaderLength() + h.length();
        if (len <= COPIED_PAYLOAD_MAX) {
            PacketBuffer packet = PacketBuffer.allocate(headroom, len);
            buffer.copyTo(from, packet.array(), packet.offset(), len);
            return packet;
        }
        PacketBuffer packet = PacketBuffer.withHeadroom(headroom);
        packet.reserveSlices(buffer.chunksSpanned(from, len));
        buffer.sliceInto(packet, from, len);
        return packet;
    }

    /**
     * Prepends {@code h} to {@code packet} (which holds the payload, if any), fills in the
     * checksum over the pseudo-header (RFC 9293 §3.1) and sends it with Don't Fragment set, as
     * path-MTU discovery wants (RFC 1191). Where the link completes checksums, only the
     * pseudo-header's sum goes in, and the link sums the segment.
     */
    static void send(Route route, PacketBuffer packet, Header h) {
        send(route, packet, h, 0);
    }

    /** As {@link #send(Route, PacketBuffer, Header)}, with {@code urgentPointer} in its field (for a segment with URG). */
    static void send(Route route, PacketBuffer packet, Header h, int urgentPointer) {
        int headerLength = h.length();
        int at = packet.prepend(headerLength);
        byte[] a = packet.array();
        TcpHeader.encode(a, at, h.sourcePort, h.destinationPort, h.seq, h.ack, h.flags, h.window, headerLength,
                urgentPointer);
        h.encodeOptions(a, at + TcpHeader.MIN_LENGTH);
        int length = packet.length();
        int pseudoHeader = route.pseudoHeaderChecksum(TcpProtocol.PROTOCOL_NUMBER, length);
        if (route.completesChecksums()) {
            TcpHeader.putChecksum(a, at, Checksum.fold16(pseudoHeader));
            packet.markChecksumPartial(TcpHeader.CHECKSUM_OFFSET);
        } else {
            TcpHeader.putChecksum(a, at, Checksum.finish(Checksum.add(pseudoHeader, packet, 0, length)));
        }
        if (LOG.isLoggable(System.Logger.Level.TRACE)) {
            LOG.log(System.Logger.Level.TRACE, "out {0}>{1} {2} len={3}", route.localAddress(), route.remoteAddress(), h,
                    length - headerLength);
        }
        route.writePacket(TcpProtocol.PROTOCOL_NUMBER, packet, route.ttl(), true);
    }

    /** Sends a segment without payload. */
    static void sendControl(Route route, Header h) {
        send(route, newPacket(route, h), h);
    }
}
