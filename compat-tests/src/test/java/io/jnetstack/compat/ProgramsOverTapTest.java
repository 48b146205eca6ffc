package io.jnetstack.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.compat.harness.ForkedJvm;
import io.jnetstack.compat.harness.ProcessOutput;
import io.jnetstack.compat.harness.Provider;
import io.jnetstack.compat.programs.Digests;
import io.jnetstack.compat.programs.HttpFetch;
import io.jnetstack.compat.programs.HttpFileServer;
import io.jnetstack.compat.programs.RedisSetGet;
import io.jnetstack.tap.testing.CommandResult;
import io.jnetstack.testing.ExternalTool;
import io.jnetstack.tap.testing.KernelPeer;
import io.jnetstack.tap.testing.NamespaceProcess;
import io.jnetstack.tap.testing.TapPreconditions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unmodified programs on jnetstack over a TAP device, with the kernel's programs (curl, Python's
 * http.server, redis-server) on the far side, in a namespace the test creates. The jnetstack JVM
 * runs inside that namespace too, opening the device by name as a user's program would with
 * {@code -Djnetstack.tap}. Needs root (skips without it, fails without it under JNETSTACK_REQUIRE_TAP=1).
 */
@Timeout(180)
class ProgramsOverTapTest {
    private static final Duration LIMIT = Duration.ofSeconds(90);
    private static final long FILE_BYTES = 16L << 20;
    /** Debian's python3, as CI installs it; another python3 on PATH may not run as root in a namespace. */
    private static final String DEBIAN_PYTHON = "/usr/bin/python3";

    @RegisterExtension
    final KernelPeer peer = KernelPeer.forAnotherProcess();

    @TempDir
    Path directory;

    /** Unique local IPv6 addresses (RFC 4193) of the kernel's and jnetstack's ends of the TAP. */
    private static final String KERNEL6 = "fd00:5e::1";
    private static final String STACK6 = "fd00:5e::2";

    private final String stack = KernelPeer.STACK_ADDRESS.getHostAddress();
    private final String kernel = KernelPeer.KERNEL_ADDRESS.getHostAddress();

    /** A program on jnetstack whose stack is the namespace's TAP device at {@link KernelPeer#STACK_ADDRESS}. */
    private ForkedJvm onTap(Class<?> program, String... arguments) {
        return ForkedJvm.of(Provider.JNETSTACK, program, arguments)
                .option("-Djnetstack.tap=" + peer.deviceName())
                .option("-Djnetstack.ipv4=" + stack + "/" + KernelPeer.PREFIX_LENGTH)
                .option("-Djnetstack.gateway=" + kernel);
    }

    /** {@link #onTap} with the TAP NIC's IPv6 address too; the kernel's side gets {@link #KERNEL6} first. */
    private ForkedJvm onTapWithIpv6(Class<?> program, String... arguments) {
        // nodad: the kernel's address is usable at once instead of after its own duplicate detection.
        CommandResult added = peer.exec(LIMIT, "ip", "-6", "addr", "add", KERNEL6 + "/64", "dev", peer.deviceName(), "nodad");
        assertTrue(added.succeeded(), added.describe());
        return onTap(program, arguments).option("-Djnetstack.ipv6=" + STACK6 + "/64");
    }

    private NamespaceProcess spawn(ForkedJvm jvm) throws Exception {
        System.out.println("in " + peer.namespace() + ": " + String.join(" ", jvm.command()));
        return peer.spawn(jvm.command().toArray(String[]::new));
    }

    private Path writeFile(String name, long length) throws Exception {
        Path file = directory.resolve(name);
        Digests.writeFile(file, length);
        return file;
    }

    private static String finished(NamespaceProcess program) throws Exception {
        ForkedJvm.Result result = ProcessOutput.awaitExit(program, LIMIT).abortIfNotBuilt();
        System.out.println(result.output());
        assertEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("provider " + Provider.PROVIDER_CLASS), result.output());
        return result.output();
    }

    @Test
    void kernelCurlFetchesAFileFromJdkHttpServerOnJnetstack() throws Exception {
        TapPreconditions.requireCommand("curl", "curl");
        Path file = writeFile("served.bin", FILE_BYTES);
        Path fetched = directory.resolve("fetched.bin");
        try (NamespaceProcess server = spawn(onTap(HttpFileServer.class, "0.0.0.0", "8080", file.toString(), "1"))) {
            ProcessOutput.awaitLine(server, "serving ", LIMIT);
            CommandResult curl = peer.exec(LIMIT, "curl", "-sS", "--max-time", "60", "-o", fetched.toString(),
                    "http://" + stack + ":8080/file");
            System.out.println(curl.describe());
            assertTrue(curl.succeeded(), curl.describe());
            finished(server);
        }
        try (var in = Files.newInputStream(fetched)) {
            var digest = Digests.sha256();
            digest.update(in.readAllBytes());
            assertEquals(Digests.expected(FILE_BYTES), Digests.hex(digest), "SHA-256 of what curl fetched");
        }
    }

    @Test
    void kernelCurlFetchesAFileOverIpv6FromJdkHttpServerOnJnetstack() throws Exception {
        TapPreconditions.requireCommand("curl", "curl");
        Path file = writeFile("served6.bin", FILE_BYTES);
        Path fetched = directory.resolve("fetched6.bin");
        try (NamespaceProcess server = spawn(onTapWithIpv6(HttpFileServer.class, "::", "8080", file.toString(), "1"))) {
            ProcessOutput.awaitLine(server, "serving ", LIMIT);
            CommandResult curl = peer.exec(LIMIT, "curl", "-6", "-g", "-sS", "--max-time", "60", "-o", fetched.toString(),
                    "http://[" + STACK6 + "]:8080/file");
            System.out.println(curl.describe());
            assertTrue(curl.succeeded(), curl.describe());
            finished(server);
        }
        try (var in = Files.newInputStream(fetched)) {
            var digest = Digests.sha256();
            digest.update(in.readAllBytes());
            assertEquals(Digests.expected(FILE_BYTES), Digests.hex(digest), "SHA-256 of what curl -6 fetched");
        }
    }

    @Test
    void jdkHttpClientOnJnetstackFetchesOverIpv6FromKernelPythonHttpServer() throws Exception {
        if (!Files.isExecutable(Path.of(DEBIAN_PYTHON))) {
            ExternalTool.skip(DEBIAN_PYTHON + " is not installed (apt-get install python3)");
        }
        writeFile("file6.bin", FILE_BYTES);
        ForkedJvm fetch = onTapWithIpv6(HttpFetch.class, "http://[" + KERNEL6 + "]:8000/file6.bin");
        try (NamespaceProcess python = peer.spawn(DEBIAN_PYTHON, "-u", "-m", "http.server", "8000", "--bind", KERNEL6,
                "--directory", directory.toString())) {
            ProcessOutput.awaitLine(python, "Serving HTTP", LIMIT);
            String output = finished(spawn(fetch));
            assertTrue(output.contains("status 200 bytes " + FILE_BYTES + " sha256 " + Digests.expected(FILE_BYTES)), output);
        }
    }

    @Test
    void jdkHttpClientOnJnetstackFetchesFromKernelPythonHttpServer() throws Exception {
        if (!Files.isExecutable(Path.of(DEBIAN_PYTHON))) {
            ExternalTool.skip(DEBIAN_PYTHON + " is not installed (apt-get install python3)");
        }
        writeFile("file.bin", FILE_BYTES);
        try (NamespaceProcess python = peer.spawn(DEBIAN_PYTHON, "-u", "-m", "http.server", "8000", "--bind", kernel,
                "--directory", directory.toString())) {
            ProcessOutput.awaitLine(python, "Serving HTTP", LIMIT);
            String output = finished(spawn(onTap(HttpFetch.class, "http://" + kernel + ":8000/file.bin")));
            assertTrue(output.contains("status 200 bytes " + FILE_BYTES + " sha256 " + Digests.expected(FILE_BYTES)), output);
        }
    }

    @Test
    void nioClientOnJnetstackSetsAndGets10000KeysInKernelRedis() throws Exception {
        TapPreconditions.requireCommand("redis-server", "redis-server");
        try (NamespaceProcess redis = peer.spawn("redis-server", "--bind", kernel, "--port", "6379", "--save", "",
                "--appendonly", "no", "--protected-mode", "no", "--dir", directory.toString())) {
            ProcessOutput.awaitLine(redis, "Ready to accept connections", LIMIT);
            String output = finished(spawn(onTap(RedisSetGet.class, kernel, "6379", "10000")));
            assertTrue(output.contains("SET 10000 of 10000 keys, GET 10000 of 10000 values matched"), output);
        }
    }
}
