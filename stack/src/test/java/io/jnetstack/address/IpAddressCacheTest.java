package io.jnetstack.address;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
