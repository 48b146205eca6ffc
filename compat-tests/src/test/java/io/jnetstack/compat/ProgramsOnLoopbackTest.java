package io.jnetstack.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.compat.harness.ForkedJvm;
import io.jnetstack.compat.harness.Provider;
import io.jnetstack.compat.programs.Digests;
import io.jnetstack.compat.programs.HttpServeAndFetch;
import io.jnetstack.compat.programs.NettyEcho;
import io.jnetstack.compat.programs.NettyHttpServer;
import java.time.Duration;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Unmodified programs (io.jnetstack.compat.programs: plain JDK and Netty, no jnetstack import)
 * in a fresh JVM over 127.0.0.1, on the JDK's provider (the oracle) and on jnetstack's with only
 * the -all jar and the provider property added. Each passes only when the bytes' SHA-256 match.
 */
@Timeout(600)
class ProgramsOnLoopbackTest {
    private static final long HUNDRED_MIB = 100L << 20;
    private static final long HTTP_FILE_BYTES = 32L << 20;
    private static final Duration PROGRAM_LIMIT = Duration.ofMinutes(4);

    private static String run(ForkedJvm program, Provider provider) throws Exception {
        ForkedJvm.Result result = program.run(PROGRAM_LIMIT).abortIfNotBuilt();
        System.out.println(String.join(" ", program.command()) + "\n" + result.output());
        assertEquals(0, result.exitCode(), result.output());
        String providerLine = result.output().lines().filter(l -> l.startsWith("provider ")).findFirst().orElse("provider ?");
        assertTrue(provider.isImplementedBy(providerLine.substring("provider ".length())), providerLine);
        return result.output();
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void jdkHttpServerServesAFileToTheJdkHttpClient(Provider provider) throws Exception {
        String output = run(ForkedJvm.of(provider, HttpServeAndFetch.class, Long.toString(HTTP_FILE_BYTES)), provider);
        String sha = Digests.expected(HTTP_FILE_BYTES);
        assertTrue(output.contains("file sha256 " + sha), output);
        assertTrue(output.contains("status 200 bytes " + HTTP_FILE_BYTES + " sha256 " + sha), output);
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void nettyEchoServerAndClientExchange100MiB(Provider provider) throws Exception {
        String output = run(ForkedJvm.of(provider, NettyEcho.class, Long.toString(HUNDRED_MIB)).withNetty(), provider);
        String sha = Digests.expected(HUNDRED_MIB);
        assertTrue(output.contains("sent " + HUNDRED_MIB + " bytes sha256 " + sha), output);
        assertTrue(output.contains("echoed " + HUNDRED_MIB + " bytes sha256 " + sha), output);
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void nettyHttpServerServes100MiBToTheJdkHttpClient(Provider provider) throws Exception {
        String output = run(ForkedJvm.of(provider, NettyHttpServer.class, Long.toString(HUNDRED_MIB)).withNetty(), provider);
        String sha = Digests.expected(HUNDRED_MIB);
        assertTrue(output.contains("served " + HUNDRED_MIB + " bytes sha256 " + sha), output);
        assertTrue(output.contains("status 200 bytes " + HUNDRED_MIB + " sha256 " + sha), output);
    }
}
