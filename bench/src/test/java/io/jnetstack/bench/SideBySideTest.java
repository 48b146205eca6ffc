package io.jnetstack.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SideBySideTest {
    private static List<String> arguments(String... args) {
        return SideBySide.workloadArguments(Options.parse("t", SideBySide.defaults(), args));
    }

    @Test
    void shortSizesAreTheDefault() {
        List<String> args = arguments();
        assertEquals("3", args.get(args.indexOf("--seconds") + 1));
        assertEquals("5000", args.get(args.indexOf("--rr") + 1));
    }

    @Test
    void fullSizesLeaveThePeersDefaultsToNioBench() {
        List<String> args = arguments("--sizes", "full");
        assertFalse(args.contains("--seconds"));
        assertFalse(args.contains("--rr"));
        assertTrue(args.contains("--tests"));
    }

    @Test
    void anExplicitSizeWinsOverTheShortDefault() {
        List<String> args = arguments("--rr", "20000");
        assertEquals("20000", args.get(args.indexOf("--rr") + 1));
    }

    @Test
    void eachRunIsBoundedInTime() {
        Options options = Options.parse("t", SideBySide.defaults(), "--seconds", "2", "--warmup", "1");
        assertEquals(1 + 6 * 2 + 30, SideBySide.runTimeBound(options));
    }

    @Test
    void aMissingProviderJarSaysHowToBuildIt(@TempDir Path dir) {
        String reason = SideBySide.missingProviderReason(dir.resolve("none-all.jar").toString());
        assertNotNull(reason);
        assertTrue(reason.contains("mvn -B -q -pl spi -am package"), reason);
    }

    @Test
    void eachColumnAcceptsOnlyItsOwnProvider() {
        SideBySide.Column jdk = new SideBySide.Column("jdk", List.of(), "", false);
        SideBySide.Column jnetstack = new SideBySide.Column("jnetstack", List.of(), "", true);
        assertTrue(jdk.accepts("EPollSelectorProvider"));
        assertFalse(jdk.accepts("JnetstackSelectorProvider"));
        assertTrue(jnetstack.accepts("JnetstackSelectorProvider"));
        assertFalse(jnetstack.accepts("EPollSelectorProvider"));
        assertFalse(jnetstack.accepts(null));
    }
}
