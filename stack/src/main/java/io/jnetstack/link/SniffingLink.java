package io.jnetstack.link;

import io.jnetstack.buffer.PacketBuffer;
import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Wraps a link and records every frame it carries, in both directions, into a {@link PcapWriter};
 * frames pass on unchanged. On a link that {@linkplain LinkEndpoint#deliversToItself() delivers to
 * itself} (a loopback) each frame is recorded once, as it is delivered, as tcpdump on Linux's
 * {@code lo} shows each packet once: recorded on both sides, every segment would appear twice and
 * Wireshark would take the second for a retransmission. Recording the delivery shows what the stack
 * received, after any fault injected below the sniffer. A capture error never disturbs traffic: it
 * is logged once and counted.
 * The writer is not closed with the link, since several links of one type may share it.
 */
public final class SniffingLink extends WrappingLink {
    private static final System.Logger LOG = System.getLogger(SniffingLink.class.getName());

    private final PcapWriter capture;
    /** False on a loopback, whose written frames are recorded when they come back. */
    private final boolean recordsWrites;
    private final AtomicLong captureErrors = new AtomicLong();

    /** @throws IllegalArgumentException if the capture's link type is not the link's */
    public SniffingLink(LinkEndpoint inner, PcapWriter capture) {
        super(inner);
        this.capture = Objects.requireNonNull(capture, "capture");
        this.recordsWrites = !inner.deliversToItself();
        if (capture.linkType() != inner.linkType()) {
            throw new IllegalArgumentException("capture is for " + capture.linkType() + " frames but the link carries " + inner.linkType());
        }
    }

    /** Frames that could not be written to the capture. */
    public long captureErrors() {
        return captureErrors.get();
    }

    @Override
    public void attach(NetworkDispatcher dispatcher) {
        if (dispatcher == null) {
            inner.attach(null);
            return;
        }
        inner.attach(new FrameInterceptor(frame -> {
            record(frame);
            dispatcher.deliverNetworkPacket(frame);
        }, dispatcher));
    }

    @Override
    public void writeFrame(PacketBuffer frame) {
        if (recordsWrites) {
            record(frame); // before handing it on: afterwards the frame belongs to the inner link
        }
        inner.writeFrame(frame);
    }

    private void record(PacketBuffer frame) {
        try {
            capture.write(frame);
        } catch (IOException e) {
            if (captureErrors.getAndIncrement() == 0) {
                LOG.log(System.Logger.Level.WARNING, "cannot write to the pcap capture; further errors are only counted", e);
            }
        }
    }

    /** Closes the wrapped link and flushes the capture. */
    @Override
    public void close() {
        inner.close();
        try {
            capture.flush();
        } catch (IOException e) {
            captureErrors.incrementAndGet();
            LOG.log(System.Logger.Level.WARNING, "cannot flush the pcap capture", e);
        }
    }
}
