package io.jnetstack.tap;

import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.header.EthernetHeader;
import java.nio.ByteBuffer;

/**
 * {@code struct virtio_net_hdr} (Linux include/uapi/linux/virtio_net.h; virtio 1.x §5.1.6), the
 * 10 bytes in front of every frame on a TAP device opened with {@code IFF_VNET_HDR}: what the
 * writer left for the device to do (complete a checksum, cut a large TCP packet into segments) and
 * what the reader may skip (a checksum the kernel vouches for). Its 16-bit fields are in the host's
 * byte order, as a TAP device uses unless told otherwise ({@code TUNSETVNETLE}/{@code BE}).
 */
final class VirtioNetHeader {
    static final int LENGTH = 10;

    /** The checksum from csum_start to the end is to be completed; the field holds the pseudo-header's sum. */
    static final int F_NEEDS_CSUM = 1;
    /** The checksum was verified. */
    static final int F_DATA_VALID = 2;
    static final int GSO_NONE = 0;
    static final int GSO_TCPV4 = 1;
    static final int GSO_TCPV6 = 4;
    /** Set with a GSO type when the TCP packet carries CWR (ECN). */
    static final int GSO_ECN = 0x80;

    private static final int FLAGS = 0;
    private static final int GSO_TYPE = 1;
    private static final int HDR_LEN = 2;
    private static final int GSO_SIZE = 4;
    private static final int CSUM_START = 6;
    private static final int CSUM_OFFSET = 8;
    private static final int TCP_DATA_OFFSET = 12;

    private VirtioNetHeader() {
    }

    /**
     * Puts the header for {@code frame} at {@code out}'s position (in native order) and advances
     * it: NEEDS_CSUM where the frame's checksum is partial, and a TCP GSO type with the segment
     * size and the length of all headers where the frame is to be segmented.
     */
    static void put(ByteBuffer out, PacketBuffer frame) {
        int at = out.position();
        int flags = 0;
        int gsoType = GSO_NONE;
        int headersLength = 0;
        int csumStart = 0;
        int csumOffset = 0;
        if (frame.isChecksumPartial()) {
            flags = F_NEEDS_CSUM;
            csumStart = frame.partialChecksumStart();
            csumOffset = frame.partialChecksumField();
        }
        if (frame.segmentSize() > 0) {
            int etherType = (frame.getByte(EthernetHeader.LENGTH - 2) << 8) | frame.getByte(EthernetHeader.LENGTH - 1);
            gsoType = etherType == EthernetHeader.TYPE_IPV6 ? GSO_TCPV6 : GSO_TCPV4;
            headersLength = csumStart + (frame.getByte(csumStart + TCP_DATA_OFFSET) >>> 4) * 4;
        }
        out.put(at + FLAGS, (byte) flags);
        out.put(at + GSO_TYPE, (byte) gsoType);
        out.putShort(at + HDR_LEN, (short) headersLength);
        out.putShort(at + GSO_SIZE, (short) frame.segmentSize());
        out.putShort(at + CSUM_START, (short) csumStart);
        out.putShort(at + CSUM_OFFSET, (short) csumOffset);
        out.position(at + LENGTH);
    }

    /** True when the header at {@code in}'s start says the kernel vouches for the transport checksum. */
    static boolean checksumVouched(ByteBuffer in) {
        return (in.get(FLAGS) & (F_NEEDS_CSUM | F_DATA_VALID)) != 0;
    }

    /** True when the frame after the header is larger than a segment: the kernel's TSO or GRO packet. */
    static boolean isCoalesced(ByteBuffer in) {
        return (in.get(GSO_TYPE) & ~GSO_ECN) != GSO_NONE;
    }
}
