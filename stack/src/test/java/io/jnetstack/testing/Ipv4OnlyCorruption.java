package io.jnetstack.testing;

import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.header.EthernetHeader;
import io.jnetstack.fault.FaultyLink;
import io.jnetstack.link.LinkEndpoint;
import io.jnetstack.link.WrappingLink;
import io.jnetstack.time.Clock;

/**
 * Corrupts only IPv4 frames; ARP frames pass intact. On a real Ethernet the frame check sequence
 * discards corrupted frames before ARP sees them, and ARP has no checksum of its own, so a
 * corrupted ARP frame (a fault real links do not deliver) would poison the neighbor cache and
 * cut the path for minutes: that tests ARP, not TCP. Put a {@link FaultyLink} without corruption
 * around it for the other faults.
 */
public final class Ipv4OnlyCorruption extends WrappingLink {
    private final FaultyLink corruptor;

    public Ipv4OnlyCorruption(LinkEndpoint inner, double corruption, long seed, Clock clock) {
        this(inner, FaultyLink.Schedule.constant(FaultyLink.Faults.builder().corruption(corruption).seed(seed).build()), clock);
    }

    /** Corrupts IPv4 frames with the corruption probability {@code schedule} gives at each moment. */
    public Ipv4OnlyCorruption(LinkEndpoint inner, FaultyLink.Schedule schedule, Clock clock) {
        super(inner);
        FaultyLink.Schedule corruptionOnly = schedule.map(f -> FaultyLink.Faults.builder().corruption(f.corruption()).seed(f.seed()).build());
        this.corruptor = new FaultyLink(inner, corruptionOnly, clock);
    }

    /** How many frames were corrupted. */
    public FaultyLink.Stats stats() {
        return corruptor.stats();
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
