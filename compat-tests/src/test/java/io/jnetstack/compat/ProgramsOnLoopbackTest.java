package io.jnetstack.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.compat.harness.ForkedJvm;
import io.jnetstack.compat.harness.Provider;
import io.jnetstack.compat.programs.AsyncEcho;
import io.jnetstack.compat.programs.Digests;
import io.jnetstack.compat.programs.HttpServeAndFetch;
import io.jnetstack.compat.programs.MulticastGroup;
import io.jnetstack.compat.programs.PlainSocketHttpGet;
import io.jnetstack.spi.testing.AllJar;
import io.jnetstack.compat.programs.NettyEcho;
import io.jnetstack.compat.programs.NettyHttpServer;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Unmodified programs (io.jnetstack.compat.programs: plain JDK and Netty, no jnetstack import)
 * in a fresh JVM over 127.0.0.1, on the JDK's provider (the oracle) and on jnetstack's with only
 * the -all jar and the provider properties added (and the jar as -javaagent for programs on plain
 * java.net sockets). Each passes only when the bytes' SHA-256 match.
 */
@Timeout(600)
class ProgramsOnLoopbackTest {
    private static final long HUNDRED_MIB = 100L << 20;
    private static final long HTTP_FILE_BYTES = 32L << 20;
    private static final long ASYNC_ECHO_BYTES = 1L << 20;
    private static final Duration PROGRAM_LIMIT = Duration.ofMinutes(4);

    private static String run(ForkedJvm program, Provider provider) throws Exception {
        ForkedJvm.Result result = program.run(PROGRAM_LIMIT).abortIfNotBuilt();
        System.out.println(String.join(" ", program.command()) + "\n" + result.output());
        assertEquals(0, result.exitCode(), result.output());
        String providerLine = result.output().lines().filter(l -> l.startsWith("provider ")).findFirst().orElse("provider ?");
        assertTrue(provider.isImplementedBy(providerLine.substring("provider ".length())), providerLine);
        // A program that opens asynchronous channels names their provider too.
        result.output().lines().filter(l -> l.startsWith("asyncProvider ")).forEach(asyncLine ->
                assertTrue(provider.isImplementedBy(asyncLine.substring("asyncProvider ".length())), asyncLine));
        return result.output();
    }

    /**
     * A program, the bytes it moves, and the two lines of its output that prove they arrived
     * intact: formats of the byte count ({@code %1$d}) and their SHA-256 ({@code %2$s}).
     */
    private record Program(Class<?> mainClass, long bytes, boolean needsNetty, String firstProof, String secondProof) {
        ForkedJvm on(Provider provider) {
            ForkedJvm jvm = ForkedJvm.of(provider, mainClass, Long.toString(bytes));
            return needsNetty ? jvm.withNetty() : jvm;
        }

        /** As {@link #on}, with jnetstack also as the -javaagent, for {@code new Socket()} and the like. */
        ForkedJvm withAgentOn(Provider provider) {
            ForkedJvm jvm = on(provider);
            return provider == Provider.JNETSTACK ? jvm.option("-javaagent:" + AllJar.path()) : jvm;
        }

        String proof(String format) {
            return String.format(format, bytes, Digests.expected(bytes));
        }
    }

    static Stream<Arguments> programsOnBothProviders() {
        return Stream.of(
                Named.of("JDK HttpServer serves a file to the JDK HttpClient", new Program(HttpServeAndFetch.class, HTTP_FILE_BYTES,
                        false, "file sha256 %2$s", "status 200 bytes %1$d sha256 %2$s")),
                Named.of("Netty echo server and client exchange 100 MiB", new Program(NettyEcho.class, HUNDRED_MIB,
                        true, "sent %1$d bytes sha256 %2$s", "echoed %1$d bytes sha256 %2$s")),
                Named.of("Netty HTTP server serves 100 MiB to the JDK HttpClient", new Program(NettyHttpServer.class, HUNDRED_MIB,
                        true, "served %1$d bytes sha256 %2$s", "status 200 bytes %1$d sha256 %2$s")),
                Named.of("Asynchronous channels echo 1 MiB to each of 100 concurrent clients", new Program(AsyncEcho.class,
                        ASYNC_ECHO_BYTES, false, "100 clients each sent %1$d bytes sha256 %2$s",
                        "100 clients each got back %1$d bytes sha256 %2$s")))
                .flatMap(program -> Stream.of(Provider.values()).map(provider -> Arguments.of(program, provider)));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("programsOnBothProviders")
    void programMovesItsBytesIntact(Program program, Provider provider) throws Exception {
        String output = run(program.on(provider), provider);
        assertTrue(output.contains(program.proof(program.firstProof())), output);
        assertTrue(output.contains(program.proof(program.secondProof())), output);
    }

    @ParameterizedTest(name = "on {0}")
    @EnumSource(Provider.class)
    void aPlainSocketClientGetsAFileOverHttpFromTheJdkHttpServer(Provider provider) throws Exception {
        Program program = new Program(PlainSocketHttpGet.class, HTTP_FILE_BYTES, false, "file sha256 %2$s",
                "status 200 bytes %1$d sha256 %2$s");
        String output = run(program.withAgentOn(provider), provider);
        assertTrue(output.contains(program.proof(program.firstProof())), output);
        assertTrue(output.contains(program.proof(program.secondProof())), output);
        assertTrue(output.contains(provider == Provider.JDK ? "socket on the kernel" : "socket on jnetstack"), output);
    }

    @ParameterizedTest(name = "on {0}")
    @EnumSource(Provider.class)
    void aMulticastSocketSenderReachesTwoReceivers(Provider provider) throws Exception {
        String output = run(ForkedJvm.of(provider, MulticastGroup.class, "50")
                .option(provider == Provider.JNETSTACK ? "-javaagent:" + AllJar.path() : "-Dunused=0"), provider);
        assertEquals(2, output.lines().filter(l -> l.equals("receiver got 50, the last: datagram 50")).count(), output);
    }
}
