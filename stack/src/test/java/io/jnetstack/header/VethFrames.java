package io.jnetstack.header;

import io.jnetstack.address.LinkAddress;
import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.testing.Vectors;

/** Facts about the frames captured over the veth pair (see vectors/README-veth.md). */
final class VethFrames {
    static final LinkAddress MAC_1 = LinkAddress.parse("52:c9:72:a9:8b:47");
    static final LinkAddress MAC_2 = LinkAddress.parse("da:a1:98:05:ad:f4");
    /** 198.18.5.1 and 198.18.5.2. */
    static final int IP_1 = 0xc6120501;
    static final int IP_2 = 0xc6120502;
    static final int IP_AT = EthernetHeader.LENGTH;
    /** Where the transport header starts: none of the frames has IP options. */
    static final int TRANSPORT_AT = IP_AT + Ipv4Header.MIN_LENGTH;

    private VethFrames() {
    }

    static byte[] frame(String name) {
        return Vectors.frame("veth-" + name + ".hex");
    }

    /** The frame's bytes from {@code at} on, as a received packet over the same array. */
    static PacketBuffer packetAt(byte[] frame, int at) {
        return PacketBuffer.wrap(frame, at, frame.length - at);
    }

    static Ipv4Header ipv4(byte[] frame) {
        return Ipv4Header.of(packetAt(frame, IP_AT));
    }

    /** True if the transport checksum over the pseudo-header and segment verifies. */
    static boolean transportChecksumVerifies(byte[] frame) {
        return Checksum.verifies(transportSum(frame));
    }

    /** The finished transport checksum for a frame whose checksum field is still zero, as UDP and TCP compute it over IPv4. */
    static int transportChecksum(byte[] frame) {
        return Checksum.finish(transportSum(frame));
    }

    /** The partial sum of the IPv4 pseudo-header and the whole transport segment as captured. */
    private static int transportSum(byte[] frame) {
        Ipv4Header ip = ipv4(frame);
        int length = ip.totalLength() - ip.headerLength();
        int sum = Checksum.ipv4PseudoHeader(ip.source(), ip.destination(), ip.protocol(), length);
        return Checksum.add(sum, frame, TRANSPORT_AT, length);
    }
}
