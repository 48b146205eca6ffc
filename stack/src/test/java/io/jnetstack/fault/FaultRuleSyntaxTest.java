package io.jnetstack.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.address.IpSubnet;
import io.jnetstack.fault.FaultyLink;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaultRuleSyntaxTest {
    private static FaultyLink.Faults perFrame(FaultRule rule) {
        return rule.action().perFrame().at(0);
    }

    @Test
    void aBareLatencyDelaysEveryPacketBothWaysOnEveryNic() {
        FaultRule rule = FaultRule.parse("latency=50ms");
        assertEquals(PacketMatch.ALL, rule.match());
        assertEquals(1.0, perFrame(rule).delay());
        assertEquals(Duration.ofMillis(50), perFrame(rule).minDelay());
        assertEquals(Duration.ofMillis(50), perFrame(rule).maxDelay());
        assertEquals("latency=50ms", rule.text());
    }

    @Test
    void jitterSpreadsTheLatencyEitherSide() {
        for (String text : new String[] {"latency=20ms±5ms", "latency=20ms+-5ms"}) {
            FaultyLink.Faults f = perFrame(FaultRule.parse(text));
            assertEquals(Duration.ofMillis(15), f.minDelay(), text);
            assertEquals(Duration.ofMillis(25), f.maxDelay(), text);
        }
    }

    @Test
    void selectorsAndProbabilitiesAreRead() {
        FaultRule rule = FaultRule.parse("tcp:dir=in:nic=lo:laddr=127.0.0.1:raddr=10.0.0.0/8:port=8080:lport=1:rport=2"
                + ":loss=5%:dup=1%:reorder=10%:corrupt=0.5%:seed=7");
        PacketMatch m = rule.match();
        assertEquals(PacketMatch.Protocol.TCP, m.protocol());
        assertEquals(PacketMatch.Direction.IN, m.direction());
        assertEquals("lo", m.nic());
        assertEquals(IpSubnet.parse("127.0.0.1/32"), m.localAddress());
        assertEquals(IpSubnet.parse("10.0.0.0/8"), m.remoteAddress());
        assertEquals(8080, m.port());
        assertEquals(1, m.localPort());
        assertEquals(2, m.remotePort());
        FaultyLink.Faults f = perFrame(rule);
        assertEquals(0.05, f.loss(), 1e-12);
        assertEquals(0.01, f.duplication(), 1e-12);
        assertEquals(0.10, f.reordering(), 1e-12);
        assertEquals(0.005, f.corruption(), 1e-12);
        assertEquals(7, f.seed());
    }

    @Test
    void flowFaultsAreRead() {
        FaultAction a = FaultRule.parse("udp:bandwidth=1.5mbit:slowclose=1s:slice=10:reset=64k").action();
        assertEquals(1_500_000, a.bitsPerSecond());
        assertEquals(1_000_000_000L, a.slowCloseNanos());
        assertEquals(10, a.sliceBytes());
        assertEquals(64 << 10, a.resetAfterBytes());
        assertEquals(-1, a.resetAfterNanos());
        FaultAction byTime = FaultRule.parse("reset=250ms").action();
        assertEquals(250_000_000L, byTime.resetAfterNanos());
        assertEquals(-1, byTime.resetAfterBytes());
        assertTrue(FaultRule.parse("icmp:blackhole").action().blackhole());
    }

    @Test
    void anIpv6AddressIsWrittenInBrackets() {
        PacketMatch m = FaultRule.parse("raddr=[::1]:blackhole").match();
        assertEquals(IpSubnet.parse("::1/128"), m.remoteAddress());
        assertNull(m.localAddress());
    }

    @Test
    void rulesAreSeparatedBySemicolonsAndEmptyOnesSkipped() {
        List<FaultRule> rules = FaultRule.parseAll("tcp:port=8080:loss=5%:seed=7; ;udp:dir=in:latency=20ms±5ms;");
        assertEquals(2, rules.size());
        assertEquals("udp:dir=in:latency=20ms±5ms", rules.get(1).text());
    }

    @Test
    void badRulesAreRejectedNamingTheRuleTheProblemAndTheForm() {
        String[][] cases = {
            {"tcp:port=80", "no fault named"},
            {"latency=50", "not a time"},
            {"loss=5", "not a percentage"},
            {"loss=150%", "within 0% to 100%"},
            {"port=70000:blackhole", "not in 0..65535"},
            {"dir=up:blackhole", "not one of in, out, both"},
            {"jitter=5ms", "unknown field 'jitter'"},
            {"tcp:udp:blackhole", "repeats the protocol"},
            {"loss=1%:loss=2%", "repeats loss"},
            {"bandwidth=fast", "not a rate"},
            {"latency=5ms±10ms", "jitter exceeds"},
            {"slice=0", "slice=0"},
            {"raddr=10.0.0.300:blackhole", "not a numeric IP address"},
        };
        for (String[] c : cases) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FaultRule.parse(c[0]), c[0]);
            assertTrue(e.getMessage().startsWith("fault rule '" + c[0] + "': "), e.getMessage());
            assertTrue(e.getMessage().contains(c[1]), e.getMessage());
            assertTrue(e.getMessage().contains(FaultRuleSyntax.FORM), e.getMessage());
        }
    }

    @Test
    void theLiveSetAddsRemovesAndClears() {
        FaultRules rules = new FaultRules();
        rules.add("latency=1ms;tcp:loss=1%");
        assertEquals(2, rules.list().size());
        assertTrue(rules.remove(" latency=1ms "));
        assertFalse(rules.remove("latency=1ms"));
        assertEquals("tcp:loss=1% (hits 0)", rules.getRules()[0]);
        assertThrows(IllegalArgumentException.class, () -> rules.add("latency=2ms;nonsense"));
        assertEquals(1, rules.list().size(), "a bad rule adds none of its text's rules");
        rules.clear();
        assertTrue(rules.isEmpty());
    }
}
