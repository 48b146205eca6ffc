package io.jnetstack.spi;

import io.jnetstack.stack.Nic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.address.IpAddress;
import io.jnetstack.address.IpSubnet;
import io.jnetstack.address.LinkAddress;
import io.jnetstack.tap.TapLink;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class JnetstackConfigTest {
    private static JnetstackConfig parse(Map<String, String> properties) {
        return JnetstackConfig.parse(properties::get);
    }

    private static String rejection(Map<String, String> properties) {
        return assertThrows(IllegalArgumentException.class, () -> parse(properties)).getMessage();
    }

    @Test
    void noPropertiesMeanALoopbackOnlyStack() {
        JnetstackConfig c = parse(Map.of());
        assertEquals(Optional.empty(), c.tap());
        assertEquals(Optional.empty(), c.pcap());
        assertEquals(Optional.empty(), c.processors());
    }

    @Test
    void everyTapPropertyIsRead() {
        JnetstackConfig c = parse(Map.of("jnetstack.tap", "tap7", "jnetstack.ipv4", "10.0.0.2/24",
                "jnetstack.gateway", "10.0.0.1", "jnetstack.mac", "02:00:5e:10:00:01", "jnetstack.mtu", "9000",
                "jnetstack.pcap", "/tmp/x.pcap", "jnetstack.processors", "2", "jnetstack.offload", "off",
                "jnetstack.tapQueues", "4"));
        JnetstackConfig.TapSettings tap = c.tap().orElseThrow();
        assertEquals("tap7", tap.link().deviceName());
        assertEquals(IpSubnet.parse("10.0.0.2/24"), tap.address());
        assertEquals(Optional.of(IpAddress.parse("10.0.0.1")), tap.gateway());
        assertEquals(LinkAddress.parse("02:00:5e:10:00:01"), tap.link().mac());
        assertEquals(9000, tap.link().mtu());
        assertEquals(TapLink.Offload.OFF, tap.link().offload());
        assertEquals(4, tap.link().queues());
        assertEquals(Optional.of(Path.of("/tmp/x.pcap")), c.pcap());
        assertEquals(Optional.of(2), c.processors());
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "jnetstack.ipv4    | 10.0.0.2      | 10.0.0.2/24",
        "jnetstack.ipv4    | 10.0.0.300/24 | 10.0.0.2/24",
        "jnetstack.ipv4    | fe80::1/64    | 10.0.0.2/24",
        "jnetstack.gateway | gw            | 10.0.0.1",
        "jnetstack.mac     | 02:00:5e      | 02:00:5e:10:00:01",
        "jnetstack.mac     | 01:00:5e:00:00:01 | 02:00:5e:10:00:01",
        "jnetstack.mtu     | big           | from 68 to",
        "jnetstack.mtu     | 20            | from 68 to",
        "jnetstack.tap     | a/b           | tap0",
        "jnetstack.offload | on            | expected auto or off",
        "jnetstack.tapQueues | 0           | from 1 to 256",
        "jnetstack.tapQueues | many        | from 1 to 256",
    })
    void badTapValueIsNamedWithItsAcceptedForm(String property, String value, String form) {
        Map<String, String> properties = new java.util.HashMap<>(Map.of("jnetstack.tap", "tap0", "jnetstack.ipv4", "10.0.0.2/24"));
        properties.put(property, value);
        String message = rejection(properties);
        assertTrue(message.startsWith(property + "=" + value), message);
        assertTrue(message.contains(form), message);
    }

    @Test
    void memoryLimitsTakeSizesWithSuffixes() {
        JnetstackConfig c = parse(Map.of("jnetstack.tcpMemory", "64m", "jnetstack.reassemblyMemory", "524288"));
        assertEquals(Optional.of(64L << 20), c.memory().tcp());
        assertEquals(Optional.of(512 << 10), c.memory().reassembly());
        assertEquals(Optional.empty(), parse(Map.of()).memory().tcp());
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "jnetstack.tcpMemory        | lots | from 64k to 1024g",
        "jnetstack.tcpMemory        | 1k   | from 64k to 1024g",
        "jnetstack.tcpMemory        | -64m | from 64k to 1024g",
        "jnetstack.reassemblyMemory | 2g   | from 64k to 1g",
        "jnetstack.reassemblyMemory | 4 m  | from 64k to 1g",
    })
    void badMemoryLimitIsNamedWithItsAcceptedForm(String property, String value, String range) {
        String message = rejection(Map.of(property, value));
        assertEquals(property + "=" + value + ": expected a size in bytes, or with a k, m or g suffix such as 64m, "
                + range, message);
    }

    @Test
    void badProcessorsValueIsNamed() {
        assertEquals("jnetstack.processors=0: expected an integer from 1 to 1024", rejection(Map.of("jnetstack.processors", "0")));
    }

    @Test
    void tapNeedsAnAddress() {
        String message = rejection(Map.of("jnetstack.tap", "tap0"));
        assertTrue(message.contains("set jnetstack.ipv4 to ADDRESS/PREFIX"), message);
    }

    /** Configurations each of whose values parses but which cannot work as a whole, and how their rejection begins. */
    static Stream<Arguments> unworkableConfigurations() {
        return Stream.of(
                Arguments.of(Named.of("IPv6 is not supported yet", Map.of("jnetstack.ipv6", "fd00::2/64")),
                        "jnetstack.ipv6=fd00::2/64: IPv6 is not supported yet"),
                Arguments.of(Named.of("TAP settings without a TAP", Map.of("jnetstack.ipv4", "10.0.0.2/24")),
                        "jnetstack.ipv4=10.0.0.2/24 configures the TAP NIC, but jnetstack.tap is not set"),
                Arguments.of(Named.of("a gateway off the TAP subnet",
                        Map.of("jnetstack.tap", "tap0", "jnetstack.ipv4", "10.0.0.2/24", "jnetstack.gateway", "10.9.0.1")),
                        "jnetstack.gateway=10.9.0.1 is not inside jnetstack.ipv4=10.0.0.2/24"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unworkableConfigurations")
    void anUnworkableConfigurationIsRejectedNamingTheProperty(Map<String, String> properties, String messageStart) {
        String message = rejection(properties);
        assertTrue(message.startsWith(messageStart), message);
    }

    @Test
    void loopbackCaptureMovesBesideTheTapCapture() {
        assertEquals(Path.of("/tmp/run-lo.pcap"), AssembledStack.siblingForLoopback(Path.of("/tmp/run.pcap")));
        assertEquals(Path.of("capture-lo"), AssembledStack.siblingForLoopback(Path.of("capture")));
    }

    @Test
    void faultRulesAreReadInOrder() {
        JnetstackConfig c = parse(Map.of("jnetstack.fault", "latency=50ms;tcp:port=8080:loss=5%:seed=7"));
        assertEquals(2, c.faults().size());
        assertEquals("latency=50ms", c.faults().get(0).text());
        assertEquals(8080, c.faults().get(1).match().port());
        assertEquals(java.util.List.of(), parse(Map.of()).faults());
    }

    @Test
    void aBadFaultRuleIsRejectedNamingThePropertyTheRuleAndTheForm() {
        String message = rejection(Map.of("jnetstack.fault", "latency=50ms;tcp:loss=lots"));
        assertTrue(message.startsWith("jnetstack.fault=latency=50ms;tcp:loss=lots: fault rule 'tcp:loss=lots': "), message);
        assertTrue(message.contains("not a percentage"), message);
        assertTrue(message.contains("expected rules separated by ';'"), message);
    }
}
