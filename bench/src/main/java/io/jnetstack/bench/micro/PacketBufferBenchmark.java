package io.jnetstack.bench.micro;

import io.jnetstack.buffer.PacketBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The packet buffer operations every segment goes through: outbound, a payload slice gets its
 * TCP, IPv4 and Ethernet headers prepended into reserved room; inbound, a frame's headers are
 * consumed; a link that needs one contiguous array flattens the slices.
 */
@State(Scope.Thread)
public class PacketBufferBenchmark extends ShortRunDefaults {
    private static final int ETHERNET = 14;
    private static final int IPV4 = 20;
    private static final int TCP = 32;
    private static final int HEADROOM = ETHERNET + IPV4 + TCP;
    private static final int MSS = 1448;

    private byte[] payload;
    private byte[] frame;

    @Setup
    public void fill() {
        payload = new byte[64 << 10];
        frame = new byte[HEADROOM + MSS];
    }

    /** Outbound: reference a payload slice, prepend three headers. */
    @Benchmark
    public int prependHeaders() {
        PacketBuffer p = PacketBuffer.withHeadroom(HEADROOM);
        p.appendSlice(payload, 4096, MSS);
        p.prepend(TCP);
        p.prepend(IPV4);
        return p.prepend(ETHERNET) + p.length();
    }

    /** Inbound: wrap a received frame and strip its three headers. */
    @Benchmark
    public int consumeHeaders() {
        PacketBuffer p = PacketBuffer.wrap(frame, 0, frame.length);
        p.consume(ETHERNET);
        p.consume(IPV4);
        p.consume(TCP);
        return p.offset() + p.length();
    }

    /** Headers plus a payload slice copied into one array, as a copying link or a checksum offload would. */
    @Benchmark
    public byte[] flatten() {
        PacketBuffer p = PacketBuffer.withHeadroom(HEADROOM);
        p.appendSlice(payload, 4096, MSS);
        p.prepend(TCP);
        p.prepend(IPV4);
        p.prepend(ETHERNET);
        p.flatten();
        return p.array();
    }
}
