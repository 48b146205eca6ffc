package io.jnetstack.bench.micro;

import io.jnetstack.header.Checksum;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The Internet checksum over one full-size Ethernet segment's payload (1460 bytes) and over an
 * almost maximal IPv4 datagram (65 000 bytes): every TCP and UDP packet pays it once per side.
 */
@State(Scope.Thread)
public class ChecksumBenchmark extends ShortRunDefaults {
    @Param({"1460", "65000"})
    public int size;

    private byte[] data;

    @Setup
    public void fill() {
        data = new byte[size];
        new SplittableRandom(size).nextBytes(data);
    }

    @Benchmark
    public int checksum() {
        return Checksum.finish(Checksum.add(0, data, 0, size));
    }

    /** The same bytes starting at an odd stream position: the path taken after an odd-length slice. */
    @Benchmark
    public int checksumOddStart() {
        return Checksum.finish(Checksum.add(0, data, 0, size, true));
    }
}
