package io.jnetstack.address;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Addresses read from packets come from small caches (IPv4 by value, IPv6 by bytes); whatever the
 * cache holds, each read gives the address the bytes spell.
 */
class IpAddressCacheTest {
    @Test
    void everyIpv6ReadGivesTheAddressOfItsBytesThroughHitsMissesAndCollisions() {
        Random random = new Random(7);
        byte[][] addresses = new byte[200][16]; // more than the cache's slots: some share a slot
        for (byte[] a : addresses) {
            random.nextBytes(a);
        }
        byte[] packet = new byte[40];
        for (int i = 0; i < 5_000; i++) {
            byte[] a = addresses[random.nextInt(addresses.length)];
            System.arraycopy(a, 0, packet, 8, 16);
            IpAddress read = IpAddress.v6(packet, 8);
            assertEquals(IpAddress.of(a), read);
            assertEquals(IpAddress.of(a).hashCode(), read.hashCode());
        }
    }

    @Test
    void everyIpv4ReadGivesTheAddressOfItsValue() {
        Random random = new Random(8);
        int[] values = random.ints(200).toArray();
        for (int i = 0; i < 5_000; i++) {
            int v = values[random.nextInt(values.length)];
            assertEquals(v, IpAddress.v4(v).toInt());
        }
    }

    @Test
    void anIpv4InetAddressGivesTheCachedAddressOfItsBytes() throws UnknownHostException {
        Random random = new Random(9);
        for (int i = 0; i < 1_000; i++) {
            byte[] b = new byte[4];
            random.nextBytes(b);
            IpAddress a = IpAddress.of(InetAddress.getByAddress(b));
            assertArrayEquals(b, a.toByteArray());
            assertEquals(IpAddress.of(b), a);
            assertEquals(IpAddress.of(b).wordSum(), a.wordSum());
        }
        InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        assertSame(IpAddress.of(loopback), IpAddress.of(loopback), "a connect's address is the cache's, not a new one");
    }
}
