package io.jnetstack.link;

import io.jnetstack.address.LinkAddress;
import io.jnetstack.buffer.PacketBuffer;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One end of an in-memory Ethernet cable joining two stacks: a frame written on one end is
 * delivered to the other end's dispatcher. Like a wire, the link copies each frame, so the two
 * stacks never share buffers. Frames longer than {@code mtu} plus the Ethernet header are dropped.
 * Closing either end cuts the cable: frames queued in both directions are dropped.
 */
public final class PipeLink extends InMemoryLink {
    private PipeLink(int mtu, LinkAddress address) {
        super(LinkType.ETHERNET, mtu, address);
    }

    /** Two joined ends with random locally administered addresses and a delivery thread per direction. */
    public static Pair pair(int mtu) {
        return pair(mtu, DeliveryMode.ownThread());
    }

    /** Two joined ends with random locally administered addresses, delivering through {@code deliveryExecutor}. */
    public static Pair pair(int mtu, Executor deliveryExecutor) {
        return pair(mtu, DeliveryMode.on(deliveryExecutor));
    }

    /** Two joined ends with random locally administered addresses. */
    public static Pair pair(int mtu, DeliveryMode delivery) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        LinkAddress a = LinkAddress.randomLocal(random);
        LinkAddress b;
        do {
            b = LinkAddress.randomLocal(random);
        } while (b.equals(a));
        return pair(mtu, a, b, delivery);
    }

    /** Two joined ends with the given addresses. */
    public static Pair pair(int mtu, LinkAddress addressA, LinkAddress addressB, DeliveryMode delivery) {
        PipeLink a = new PipeLink(mtu, Objects.requireNonNull(addressA, "addressA"));
        PipeLink b = new PipeLink(mtu, Objects.requireNonNull(addressB, "addressB"));
        FrameDeliverer aToB = new FrameDeliverer(delivery, "jnetstack-pipe-" + addressA + "-to-" + addressB, b, a.stats());
        FrameDeliverer bToA = new FrameDeliverer(delivery, "jnetstack-pipe-" + addressB + "-to-" + addressA, a, b.stats());
        a.connect(aToB, bToA);
        b.connect(bToA, aToB);
        return new Pair(a, b);
    }

    /** A wire copies: the receiving stack gets its own contiguous bytes. */
    @Override
    PacketBuffer prepareForReceiver(PacketBuffer frame) {
        return frame.copy();
    }

    @Override
    public String toString() {
        return "PipeLink[" + linkAddress() + ", mtu=" + mtu() + ", " + stats() + "]";
    }

    /** The two ends of one pipe; closing the pair closes both. */
    public record Pair(PipeLink a, PipeLink b) implements AutoCloseable {
        @Override
        public void close() {
            a.close();
            b.close();
        }
    }
}
