package io.jnetstack.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the agent's argument becomes jnetstack.* properties, and how jnetstack.javaNet is read. */
class JnetstackAgentSettingsTest {
    @Test
    void pairsBecomePrefixedPropertiesInTheirOrder() {
        Map<String, String> settings = JnetstackAgent.settings("tap=tap0,ipv4=10.0.0.2/24,gateway=10.0.0.1");
        assertEquals(List.of("jnetstack.tap", "jnetstack.ipv4", "jnetstack.gateway"), List.copyOf(settings.keySet()));
        assertEquals("10.0.0.2/24", settings.get("jnetstack.ipv4"));
    }

    @Test
    void noArgumentIsNoSettings() {
        assertTrue(JnetstackAgent.settings(null).isEmpty());
        assertTrue(JnetstackAgent.settings("").isEmpty());
    }

    @Test
    void theNamesAreThoseOfTheConfigurationProperties() {
        assertTrue(JnetstackAgent.settingNames().containsAll(List.of("tap", "ipv4", "gateway", "mtu", "pcap", "tcpMemory")));
        assertFalse(JnetstackAgent.settingNames().contains("javaNet"), "the agent always installs the java.net factories");
    }

    @Test
    void anUnknownNameIsRefusedListingTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JnetstackAgent.settings("tapp=tap0"));
        assertTrue(e.getMessage().contains("tapp is not a jnetstack setting; expected one of ["), e.getMessage());
    }

    @Test
    void aPairWithoutValueOrGivenTwiceIsRefused() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> JnetstackAgent.settings("tap"))
                .getMessage().contains("expected NAME=VALUE pairs"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> JnetstackAgent.settings("mtu=1500,mtu=9000"))
                .getMessage().contains("mtu is given twice"));
    }

    @Test
    void javaNetIsTrueFalseOrAbsent() {
        assertTrue(JavaNetSockets.requested("true"));
        assertFalse(JavaNetSockets.requested("false"));
        assertFalse(JavaNetSockets.requested(null));
        assertEquals("jnetstack.javaNet=yes: expected true or false",
                assertThrows(IllegalArgumentException.class, () -> JavaNetSockets.requested("yes")).getMessage());
    }
}
