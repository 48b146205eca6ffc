package io.jnetstack.link;

import io.jnetstack.address.LinkAddress;
import io.jnetstack.buffer.ArrayPool;
import io.jnetstack.buffer.MemoryAccount;
import io.jnetstack.buffer.PacketBuffer;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One end of an in-memory Ethernet cable joining two stacks: a frame written on one end is
 * delivered to the other end's dispatcher. Like a wire, the link copies each frame, so the two
 * stacks never share buffers. Frames longer than {@code mtu} plus the Ethernet header are dropped.
 * Closing either end cuts the cable: frames queued in both directions are dropped.
 *
 * <p>As a NIC receives into the buffers of its ring, each end copies the frames it receives into
 * arrays of its own pool, which the receiving stack gives back once it has read them
 * ({@link PacketBuffer#takePooledFront()}): a steady flow of large frames allocates no array.
 */
public final class PipeLink extends InMemoryLink {
    /**
     * Bytes of spare frame arrays an end keeps: as many as the loopback keeps at its default MTU
     * (64 frames of 64 KiB), since delivered inline a sender fills a whole receive window before
     * the reader runs and the arrays come back together.
     */
    static final int MAX_SPARE_FRAME_BYTES = LoopbackLink.MAX_SPARE_FRAME_ARRAYS * LoopbackLink.DEFAULT_MTU;

    /** Arrays the frames this end receives are copied into; its stack gives them back once read. */
    private final ArrayPool receivedFrameArrays;
    /** The other end's {@link #receivedFrameArrays}: where frames written here are copied. */
    private final ArrayPool peerFrameArrays;

    private PipeLink(int mtu, LinkAddress address, ArrayPool receivedFrameArrays, ArrayPool peerFrameArrays) {
        super(LinkType.ETHERNET, mtu, address);
        this.receivedFrameArrays = receivedFrameArrays;
        this.peerFrameArrays = peerFrameArrays;
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
        ArrayPool receivedByA = frameArrays(mtu);
        ArrayPool receivedByB = frameArrays(mtu);
        PipeLink a = new PipeLink(mtu, Objects.requireNonNull(addressA, "addressA"), receivedByA, receivedByB);
        PipeLink b = new PipeLink(mtu, Objects.requireNonNull(addressB, "addressB"), receivedByB, receivedByA);
        FrameDeliverer aToB = new FrameDeliverer(delivery, "jnetstack-pipe-" + addressA + "-to-" + addressB, b, a.stats());
        FrameDeliverer bToA = new FrameDeliverer(delivery, "jnetstack-pipe-" + addressB + "-to-" + addressA, a, b.stats());
        a.connect(aToB, bToA);
        b.connect(bToA, aToB);
        return new Pair(a, b);
    }

    private static ArrayPool frameArrays(int mtu) {
        if (mtu < 1) {
            throw new IllegalArgumentException("mtu must be at least 1, got " + mtu);
        }
        int frameArrayLength = mtu + LinkType.ETHERNET.headerLength();
        return new ArrayPool(frameArrayLength, Math.max(1, MAX_SPARE_FRAME_BYTES / frameArrayLength));
    }

    /**
     * A wire copies: the receiving stack gets its own contiguous bytes, in an array of the other
     * end's pool when the frame fills at least half of one.
     */
    @Override
    PacketBuffer prepareForReceiver(PacketBuffer frame) {
        return frame.copy(peerFrameArrays);
    }

    /** Charges the spare arrays of the frames this end receives: {@code account} is its stack's. */
    @Override
    public void chargeSpareArraysTo(MemoryAccount account) {
        receivedFrameArrays.chargeTo(account);
    }

    /** Arrays for received frames held for reuse now. */
    public int spareFrameArrays() {
        return receivedFrameArrays.spareArrays();
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
