package io.jnetstack.network;

import io.jnetstack.address.IpAddress;
import io.jnetstack.address.LinkAddress;
import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.header.EthernetHeader;
import io.jnetstack.header.Ipv4Fields;
import io.jnetstack.header.Ipv4Header;
import io.jnetstack.testing.TwoStacks;
import io.jnetstack.transport.udp.UdpEndpoint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The attack of issue 10: first fragments of 8 bytes, each of its own datagram, that never
 * complete, written on stack A's end of the pipe as if from spoofed hosts; and the check that B
 * still reassembles a real fragmented datagram afterwards.
 */
final class FragmentFlood {
    static final int FRAGMENT_PAYLOAD = 8;
    private static final LinkAddress SPOOFED_MAC = LinkAddress.parse("02:00:00:00:00:66");
    /** Spoofed sources from 10.0.1.0 on: identifications are 16 bits, so each source sends 65,536. */
    private static final int FIRST_SPOOFED_SOURCE = IpAddress.parse("10.0.1.0").toInt();
    private static final int PORT = 9;

    private FragmentFlood() {
    }

    /** Writes {@code count} never-completed first fragments to B, settling the wire every 1,000. */
    static void send(TwoStacks net, int count) {
        LinkAddress destination = net.pipe.b().linkAddress();
        for (int i = 0; i < count; i++) {
            net.pipe.a().writeFrame(firstFragment(destination, FIRST_SPOOFED_SOURCE + (i >>> 16), i & 0xffff));
            if (i % 1000 == 999) {
                net.settle();
            }
        }
        net.settle();
    }

    private static PacketBuffer firstFragment(LinkAddress destinationMac, int source, int id) {
        int ipLength = Ipv4Header.MIN_LENGTH + FRAGMENT_PAYLOAD;
        PacketBuffer p = PacketBuffer.allocate(0, EthernetHeader.LENGTH + ipLength);
        byte[] a = p.array();
        new EthernetHeader(a, 0).encode(SPOOFED_MAC, destinationMac, EthernetHeader.TYPE_IPV4);
        new Ipv4Header(a, EthernetHeader.LENGTH).encode(new Ipv4Fields(0, ipLength, id, false, true, 0, 64,
                Ipv4Header.PROTOCOL_UDP, source, TwoStacks.ADDRESS_B.toInt()));
        return p;
    }

    /** True if a 4,000-byte UDP datagram, fragmented on the 1500-byte pipe, still reaches B whole. */
    static boolean stillReassembles(TwoStacks net) throws IOException {
        UdpEndpoint receiver = net.udpB.newEndpoint();
        UdpEndpoint sender = net.udpA.newEndpoint();
        try {
            receiver.bind(IpAddress.IPV4_ANY, PORT);
            byte[] payload = ReassemblyFixture.pattern(4000);
            sender.send(ByteBuffer.wrap(payload), TwoStacks.ADDRESS_B, PORT);
            net.settle();
            UdpEndpoint.Datagram d = receiver.receive();
            return d != null && Arrays.equals(payload, d.data());
        } finally {
            sender.close();
            receiver.close();
        }
    }
}
