package io.jnetstack.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ResultLineTest {
    @Test
    void aPeerLineIsParsed() {
        ResultLine line = ResultLine.parse("gvisor-mem link=pipe mtu=1500 rr_p50_us=17.5 rr_p99_us=56.0 n=20000");
        assertEquals("gvisor-mem", line.label());
        assertEquals("pipe", line.get("link"));
        assertEquals(17.5, line.number("rr_p50_us"));
    }

    @Test
    void commentsAndLogLinesAreNotResults() {
        assertNull(ResultLine.parse("# pin=none 2026-11-21"));
        assertNull(ResultLine.parse("NioBench: loopback provider=x"));
        assertNull(ResultLine.parse("just words here"));
    }

    @Test
    void numbersAreWrittenWithAPointWhateverTheLocale() {
        String text = ResultLine.of("x").with("gbps", 1.5, 3).with("n", 7).toString();
        assertEquals("x gbps=1.500 n=7", text);
    }

    @Test
    void aMissingOrTextFieldIsNotANumber() {
        ResultLine line = ResultLine.parse("x io=selector");
        assertTrue(Double.isNaN(line.number("io")));
        assertTrue(Double.isNaN(line.number("absent")));
    }
}
