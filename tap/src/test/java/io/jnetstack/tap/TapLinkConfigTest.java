package io.jnetstack.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.address.LinkAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TapLinkConfigTest {
    @Test
    void defaultsAreMtu1500AndARandomLocallyAdministeredUnicastMac() {
        TapLink.Config config = TapLink.Config.of("tap0");
        LinkAddress mac = config.mac();
        assertEquals(1500, config.mtu());
        assertFalse(mac.isMulticast());
        assertEquals(0x02, mac.toByteArray()[0] & 0x02, "locally administered bit");
        assertNotEquals(mac, TapLink.Config.of("tap0").mac(), "each config draws its own address");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a-name-of-16-chr", "tap/0", "tap:0", "tap 0", ".", ".."})
    void kernelInvalidDeviceNamesAreRejectedWithTheAcceptedForm(String name) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TapLink.Config.of(name));
        assertTrue(e.getMessage().contains("1 to 15 bytes"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"tap0", "tap%d", "a-name-of-15-ch"})
    void kernelValidDeviceNamesAreAccepted(String name) {
        assertEquals(name, TapLink.Config.of(name).deviceName());
    }

    @Test
    void mtuIsBoundedByIpv4MinimumAndTheTapMaximum() {
        assertEquals(68, TapLink.Config.of("tap0").withMtu(68).mtu());
        assertEquals(65521, TapLink.Config.of("tap0").withMtu(65521).mtu());
        assertThrows(IllegalArgumentException.class, () -> TapLink.Config.of("tap0").withMtu(67));
        assertThrows(IllegalArgumentException.class, () -> TapLink.Config.of("tap0").withMtu(65522));
    }

    @Test
    void macMustBeUnicastAndNonZero() {
        TapLink.Config config = TapLink.Config.of("tap0");
        assertThrows(IllegalArgumentException.class, () -> config.withMac(LinkAddress.BROADCAST));
        assertThrows(IllegalArgumentException.class, () -> config.withMac(LinkAddress.NONE));
        assertThrows(IllegalArgumentException.class, () -> config.withMac(LinkAddress.parse("01:00:5e:00:00:01")));
        LinkAddress mac = LinkAddress.parse("02:00:5e:10:00:01");
        assertEquals(mac, config.withMac(mac).mac());
    }

    @Test
    void offloadIsOnAndOneQueueByDefault() {
        TapLink.Config config = TapLink.Config.of("tap0");
        assertEquals(TapLink.Offload.AUTO, config.offload());
        assertEquals(1, config.queues());
    }

    @Test
    void offloadModeParsesAutoAndOffInAnyCaseAndNamesTheFormOtherwise() {
        assertEquals(TapLink.Offload.AUTO, TapLink.Offload.parse("auto"));
        assertEquals(TapLink.Offload.OFF, TapLink.Offload.parse(" OFF "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TapLink.Offload.parse("on"));
        assertTrue(e.getMessage().contains("expected auto or off"), e.getMessage());
    }

    @Test
    void queuesMustBeFromOneToTheKernelsLimit() {
        assertEquals(256, TapLink.Config.of("tap0").withQueues(256).queues());
        assertThrows(IllegalArgumentException.class, () -> TapLink.Config.of("tap0").withQueues(0));
        assertThrows(IllegalArgumentException.class, () -> TapLink.Config.of("tap0").withQueues(257));
    }
}
