package io.jnetstack.transport.tcp;

import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.header.EthernetHeader;
import io.jnetstack.link.FaultyLink;
import io.jnetstack.link.LinkEndpoint;
import io.jnetstack.link.WrappingLink;
import io.jnetstack.time.Clock;

/**
 * Corrupts only IPv4 frames; ARP frames pass intact. On a real Ethernet the frame check sequence
 * discards corrupted frames before ARP sees them, and ARP has no checksum of its own, so a
 * corrupted ARP frame (a fault real links do not deliver) would poison the neighbor cache and
 * cut the path for minutes: that tests ARP, not TCP.
 */
final class Ipv4OnlyCorruption extends WrappingLink {
    private final FaultyLink corruptor;

    Ipv4OnlyCorruption(LinkEndpoint inner, double corruption, long seed, Clock clock) {
        super(inner);
        this.corruptor = new FaultyLink(inner, FaultyLink.Faults.builder().corruption(corruption).seed(seed).build(), clock);
    }

    @Override
    public void writeFrame(PacketBuffer frame) {
        boolean ipv4 = frame.ensureFront(EthernetHeader.LENGTH)
                && new EthernetHeader(frame.array(), frame.offset()).etherType() == EthernetHeader.TYPE_IPV4;
        (ipv4 ? corruptor : inner).writeFrame(frame);
    }

    @Override
    public void close() {
        corruptor.close();
    }
}
