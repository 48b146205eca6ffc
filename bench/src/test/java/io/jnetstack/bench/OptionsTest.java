package io.jnetstack.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OptionsTest {
    private static final Map<String, String> DEFAULTS = Map.of("bytes", "1G", "seconds", "10", "tests", "bulk,rr,cc");

    @Test
    void bothSpellingsOfAnOptionAreAccepted() {
        Options o = Options.parse("t", DEFAULTS, "--seconds", "3", "--bytes=64k");
        assertEquals(3.0, o.doubleValue("seconds"));
        assertEquals(65536, o.longValue("bytes"));
    }

    @Test
    void anOptionNotGivenHasItsDefault() {
        Options o = Options.parse("t", DEFAULTS);
        assertEquals(1L << 30, o.longValue("bytes"));
        assertFalse(o.isSet("bytes"));
    }

    @Test
    void aMisspeltOptionIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Options.parse("t", DEFAULTS, "--second", "3"));
        assertTrue(e.getMessage().contains("unknown option --second"), e.getMessage());
    }

    @Test
    void anOptionWithoutValueIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> Options.parse("t", DEFAULTS, "--seconds"));
    }

    @Test
    void wordsWithoutDashesArePositional() {
        assertEquals(List.of("loopback"), Options.parse("t", DEFAULTS, "loopback", "--seconds", "1").positional());
    }

    @Test
    void listsAreSplitAtCommas() {
        assertEquals(List.of("bulk", "cc"), Options.parse("t", DEFAULTS, "--tests", "bulk, ,cc").list("tests"));
    }

    @Test
    void sizeSuffixesAreBinary() {
        assertEquals(1L << 40, Options.parseSize("1T"));
        assertEquals(3 << 20, Options.parseSize("3m"));
        assertEquals(20000, Options.parseSize("20000"));
    }

    @Test
    void aNonNumberNamesTheOption() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Options.parse("t", DEFAULTS, "--bytes", "lots").longValue("bytes"));
        assertTrue(e.getMessage().contains("--bytes"), e.getMessage());
    }
}
