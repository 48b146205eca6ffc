package io.jnetstack.header;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jnetstack.buffer.PacketBuffer;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The Internet checksum: RFC 1071's example, odd lengths and slices, RFC 1624's update. */
class ChecksumTest {
    /** RFC 1071 §3's numeric example: bytes 00 01 f2 03 f4 f5 f6 f7. */
    private static final byte[] RFC1071_EXAMPLE = {0x00, 0x01, (byte) 0xf2, 0x03, (byte) 0xf4, (byte) 0xf5, (byte) 0xf6, (byte) 0xf7};

    /** The plain definition (RFC 1071 §1), to compare the optimised code against. */
    private static int referenceSum(byte[] a, int off, int len) {
        long sum = 0;
        for (int i = 0; i < len; i++) {
            sum += (i % 2 == 0) ? (a[off + i] & 0xff) << 8 : a[off + i] & 0xff;
        }
        while (sum >>> 16 != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) sum;
    }

    @Test
    void rfc1071ExampleSumsToDdf2() {
        assertEquals(0xddf2, Checksum.fold16(Checksum.add(0, RFC1071_EXAMPLE, 0, 8)));
    }

    @Test
    void rfc1071ExampleChecksumIs220d() {
        assertEquals(0x220d, Checksum.finish(Checksum.add(0, RFC1071_EXAMPLE, 0, 8)));
    }

    @Test
    void oddLengthPadsTheLastByteWithZeroOnTheRight() {
        assertEquals(0xab00, Checksum.fold16(Checksum.add(0, new byte[] {(byte) 0xab}, 0, 1)));
    }

    @Test
    void sumAcrossTwoRangesSplitAtAnOddPositionEqualsTheWholeSum() {
        int first = Checksum.add(0, RFC1071_EXAMPLE, 0, 3);
        int both = Checksum.add(first, RFC1071_EXAMPLE, 3, 5, true);
        assertEquals(0xddf2, Checksum.fold16(both));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 33, 39, 40, 1447, 1448})
    void sumOfARangeStartingAtAnOddPositionMatchesTheDefinition(int length) {
        byte[] a = new byte[length + 5];
        new Random(length).nextBytes(a);
        int head = Checksum.add(0, a, 0, 5);
        assertEquals(referenceSum(a, 0, length + 5), Checksum.fold16(Checksum.add(head, a, 5, length, true)));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 71, 1499, 1500, 65535})
    void sumOfRandomBytesMatchesTheDefinition(int length) {
        byte[] a = new byte[length + 3];
        new Random(length).nextBytes(a);
        assertEquals(referenceSum(a, 3, length), Checksum.fold16(Checksum.add(0, a, 3, length)));
    }

    /** All ones carries out of every word: the deferred carries of the wide sums must all come back. */
    @ParameterizedTest
    @ValueSource(ints = {32, 65, 65535, 1 << 20})
    void sumOfAllOnesBytesMatchesTheDefinition(int length) {
        byte[] a = new byte[length];
        Arrays.fill(a, (byte) 0xff);
        assertEquals(referenceSum(a, 0, length), Checksum.fold16(Checksum.add(0, a, 0, length)));
    }

    /** A packet of random bytes held as a front part and slices of the given lengths. */
    @ParameterizedTest(name = "{0}: parts {1}, sum over [{2}, +{3})")
    @CsvSource({
        "whole packet in slices of odd lengths, 13 1 500 487, 0,  1001",
        "part starting inside a slice,          20 280,       33, 200",
    })
    void sumOverPartOfASlicedPacketEqualsTheSumOverTheFlatBytes(String what, String partLengths, int offset,
                                                               int length) {
        int[] parts = Arrays.stream(partLengths.split(" ")).mapToInt(Integer::parseInt).toArray();
        byte[] data = new byte[Arrays.stream(parts).sum()];
        new Random(data.length).nextBytes(data);
        PacketBuffer p = PacketBuffer.withHeadroom(4, data, 0, parts[0]);
        for (int i = 1, start = parts[0]; i < parts.length; start += parts[i++]) {
            p.appendSlice(data, start, parts[i]);
        }

        assertEquals(referenceSum(data, offset, length), Checksum.fold16(Checksum.add(0, p, offset, length)));
    }

    @Test
    void manyMaximalWordsDoNotLoseCarries() {
        byte[] ones = new byte[200_000];
        java.util.Arrays.fill(ones, (byte) 0xff);
        assertEquals(0xffff, Checksum.fold16(Checksum.add(0, ones, 0, ones.length)));
    }

    @Test
    void pseudoHeaderSumsAddressesProtocolAndLength() {
        int expected = Checksum.fold16(0x0a00 + 0x0001 + 0x0a00 + 0x0002 + 17 + 100);
        assertEquals(expected, Checksum.fold16(Checksum.ipv4PseudoHeader(0x0a000001, 0x0a000002, 17, 100)));
    }

    @Test
    void rfc1624ExampleUpdateGivesZeroNotMinusZero() {
        // RFC 1624 §4: sum of other octets 0xCD7A, field 0x5555 → 0x3285; HC 0xDD2F becomes 0x0000.
        assertEquals(0x0000, Checksum.update(0xdd2f, 0x5555, 0x3285));
    }

    @Test
    void incrementalUpdateOfTtlMatchesRecomputationOnAKernelHeader() {
        byte[] frame = VethFrames.frame("icmp-echo-request");
        Ipv4Header ip = VethFrames.ipv4(frame);
        int oldWord = ((ip.ttl() << 8) | ip.protocol());
        int updated = Checksum.update(ip.checksum(), oldWord, ((ip.ttl() - 1) << 8) | ip.protocol());
        ip.setTtl(ip.ttl() - 1);
        ip.updateChecksum();
        assertEquals(ip.checksum(), updated);
    }

    @Test
    void incrementalUpdateMatchesRecomputationForRandomHeaders() {
        Random random = new Random(1624);
        for (int i = 0; i < 1000; i++) {
            byte[] h = new byte[20];
            random.nextBytes(h);
            h[10] = 0;
            h[11] = 0;
            int checksum = Checksum.finish(Checksum.add(0, h, 0, 20));
            int oldValue = ((h[8] & 0xff) << 8) | (h[9] & 0xff);
            int newValue = random.nextInt(65536);
            h[8] = (byte) (newValue >>> 8);
            h[9] = (byte) newValue;
            assertEquals(Checksum.finish(Checksum.add(0, h, 0, 20)), Checksum.update(checksum, oldValue, newValue));
        }
    }
}
