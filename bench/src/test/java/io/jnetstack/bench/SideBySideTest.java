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
    void sizesGoOutAsPlainIntegersThatGosFlagPackageReads() {
        List<String> args = arguments("--chunk", "64k");
        assertEquals(Long.toString(1L << 30), args.get(args.indexOf("--bytes") + 1));
        assertEquals("65536", args.get(args.indexOf("--chunk") + 1));
    }

    @Test
    void theGvisorColumnRunsTheLinkThatMatchesJnetstackMemsDelivery() {
        assertEquals(List.of("-mode=mem", "-link=pipe", "-mtu=1500"), SideBySide.gvisorMemArguments(
                Options.parse("t", SideBySide.defaults(), "--mem-delivery", "inline", "--mem-mtu", "1500")));
        assertEquals(List.of("-mode=mem", "-link=channel", "-mtu=65535"), SideBySide.gvisorMemArguments(
                Options.parse("t", SideBySide.defaults())));
    }

    @Test
    void eachRunIsBoundedInTime() {
        Options options = Options.parse("t", SideBySide.defaults(), "--seconds", "2", "--warmup", "1");
        assertEquals(1 + 6 * 2 + 30, SideBySide.runTimeBound(options));
    }

    @Test
    void aMissingJarSaysHowToBuildIt(@TempDir Path dir) {
        String reason = SideBySide.missingClassReason(dir.resolve("none-all.jar").toString(),
                SideBySide.PROVIDER_CLASS, "the provider jar");
        assertNotNull(reason);
        assertTrue(reason.contains("mvn -B -q -pl bench -am package"), reason);
    }

    @Test
    void eachColumnAcceptsOnlyItsOwnProvider() {
        assertTrue(SideBySide.ProviderRule.KERNEL.accepts("EPollSelectorProvider"));
        assertFalse(SideBySide.ProviderRule.KERNEL.accepts("JnetstackSelectorProvider"));
        assertTrue(SideBySide.ProviderRule.JNETSTACK.accepts("JnetstackSelectorProvider"));
        assertFalse(SideBySide.ProviderRule.JNETSTACK.accepts("EPollSelectorProvider"));
        assertFalse(SideBySide.ProviderRule.JNETSTACK.accepts(null));
        assertTrue(SideBySide.ProviderRule.NONE.accepts(null));
        assertFalse(SideBySide.ProviderRule.NONE.accepts("EPollSelectorProvider"));
    }

    @Test
    void theNewestMatchingJarIsFound(@TempDir Path dir) throws Exception {
        for (String name : List.of("jnetstack-stack-0.1.0-SNAPSHOT.jar", "jnetstack-stack-0.1.0-SNAPSHOT-tests.jar", "x.jar")) {
            java.nio.file.Files.createFile(dir.resolve(name));
        }
        assertEquals("jnetstack-stack-0.1.0-SNAPSHOT.jar",
                SideBySide.findJar(dir, "jnetstack-stack-[^-]*(-SNAPSHOT)?\\.jar").getFileName().toString());
    }
}
