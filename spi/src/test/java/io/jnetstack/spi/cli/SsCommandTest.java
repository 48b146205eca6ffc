package io.jnetstack.spi.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.address.IpAddress;
import io.jnetstack.transport.tcp.TcpConnectionSnapshot;
import io.jnetstack.transport.tcp.TcpState;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What ss prints from a socket's details, in ss -ti's units; and its usage errors. */
class SsCommandTest {
    private static Map<String, String> details(int ssthresh, long retransmitted, int timeouts, boolean timestamps) {
        TcpConnectionSnapshot s = new TcpConnectionSnapshot(TcpState.ESTABLISHED, IpAddress.parse("127.0.0.1"), 1,
                IpAddress.parse("127.0.0.1"), 2, 0, 0, "", 1_250_000, 625_000, 204_000_000, 14_480, ssthresh, 1448,
                1460, 7, 9, true, timestamps, "cubic", retransmitted, timeouts, 12, 11, 3000, 4000);
        Map<String, String> text = new LinkedHashMap<>();
        s.details().forEach((k, v) -> text.put(k, String.valueOf(v)));
        return text;
    }

    @Test
    void theInfoLineHasSsUnitsMillisecondsAndSegments() {
        assertEquals(" ts sack cubic wscale:7,9 rto:204 rtt:1.25/0.625 mss:1448 advmss:1460 cwnd:10"
                + " bytes_acked:3000 bytes_received:4000 segs_in:11 data_segs_out:12",
                SsCommand.tcpInfo(details(Integer.MAX_VALUE, 0, 0, true)));
    }

    @Test
    void ssthreshAndRetransmissionsShowOnceThereWasALoss() {
        assertEquals(" sack cubic wscale:7,9 rto:204 rtt:1.25/0.625 mss:1448 advmss:1460 cwnd:10 ssthresh:5"
                + " bytes_acked:3000 bytes_received:4000 segs_in:11 data_segs_out:12 retrans:1/3",
                SsCommand.tcpInfo(details(5 * 1448, 3, 1, false)));
    }

    @Test
    void statesAreNamedAsSsNamesThem() {
        assertEquals("ESTAB", SsCommand.ssState("ESTABLISHED"));
        assertEquals("SYN-RECV", SsCommand.ssState("SYN_RECEIVED"));
        assertEquals("FIN-WAIT-2", SsCommand.ssState("FIN_WAIT_2"));
    }

    @Test
    void aMissingOrBadPidIsAUsageError() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errors = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertEquals(2, JnetstackCommand.run(new String[] {"ss"}, System.out, errors));
        assertEquals(2, JnetstackCommand.run(new String[] {"ss", "-x", "12"}, System.out, errors));
        assertEquals(2, JnetstackCommand.run(new String[] {"netstat"}, System.out, errors));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("usage: java -jar jnetstack-spi-VERSION-all.jar"));
    }
}
