package io.jnetstack.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TwoStacksDemoTest {
    @Test
    void theDemoPingsBothWaysAndExchangesDatagrams() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            TwoStacksDemo.main(new String[0]);
        } finally {
            System.setOut(original);
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        original.print(printed);
        for (String expected : new String[] {"ping: 56 bytes from 10.0.0.2: icmp_seq=1",
            "ping: 56 bytes from 10.0.0.1: icmp_seq=2", "(REACHABLE)", "bob got \"hello bob\" from 10.0.0.1:6000",
            "alice got \"hello alice\" from 10.0.0.2:7000", "bob got a 60000-byte datagram, sent as 41 IPv4 fragments"}) {
            assertTrue(printed.contains(expected), "missing \"" + expected + "\" in:\n" + printed);
        }
    }
}
