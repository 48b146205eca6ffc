package io.jnetstack.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.compat.harness.ForkedJvm;
import io.jnetstack.compat.harness.ProcessOutput;
import io.jnetstack.compat.harness.Provider;
import io.jnetstack.compat.programs.Digests;
import io.jnetstack.compat.programs.HttpFetch;
import io.jnetstack.compat.programs.HttpFileServer;
import io.jnetstack.compat.programs.MulticastReceive;
import io.jnetstack.compat.programs.RedisSetGet;
import io.jnetstack.spi.testing.AllJar;
import io.jnetstack.tap.testing.CommandResult;
import io.jnetstack.testing.ExternalTool;
import io.jnetstack.tap.testing.KernelPeer;
import io.jnetstack.tap.testing.NamespaceProcess;
import io.jnetstack.tap.testing.TapPreconditions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unmodified programs on jnetstack over a TAP device, with the kernel's programs (curl, Python's
 * http.server, redis-server, socat) on the far side, in a namespace the test creates. The jnetstack JVM
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
        kernelCurlFetchesAFile(file -> onTap(HttpFileServer.class, "0.0.0.0", "8080", file, "1"), stack, "curl");
    }

    @Test
    void kernelCurlFetchesAFileOverIpv6FromJdkHttpServerOnJnetstack() throws Exception {
        kernelCurlFetchesAFile(file -> onTapWithIpv6(HttpFileServer.class, "::", "8080", file, "1"), "[" + STACK6 + "]",
                "curl", "-6", "-g");
    }

    /** The kernel's {@code curl} fetches a file from the server {@code serving} starts, reached at {@code host}. */
    private void kernelCurlFetchesAFile(Function<String, ForkedJvm> serving, String host, String... curlCommand)
            throws Exception {
        TapPreconditions.requireCommand("curl", "curl");
        Path file = writeFile("served.bin", FILE_BYTES);
        Path fetched = directory.resolve("fetched.bin");
        List<String> curl = new ArrayList<>(List.of(curlCommand));
        curl.addAll(List.of("-sS", "--max-time", "60", "-o", fetched.toString(), "http://" + host + ":8080/file"));
        try (NamespaceProcess server = spawn(serving.apply(file.toString()))) {
            ProcessOutput.awaitLine(server, "serving ", LIMIT);
            CommandResult result = peer.exec(LIMIT, curl.toArray(String[]::new));
            System.out.println(result.describe());
            assertTrue(result.succeeded(), result.describe());
            finished(server);
        }
        try (var in = Files.newInputStream(fetched)) {
            var digest = Digests.sha256();
            digest.update(in.readAllBytes());
            assertEquals(Digests.expected(FILE_BYTES), Digests.hex(digest), "SHA-256 of what " + String.join(" ", curlCommand)
                    + " fetched");
        }
    }

    @Test
    void jdkHttpClientOnJnetstackFetchesFromKernelPythonHttpServer() throws Exception {
        httpClientFetchesFromKernelPython(onTap(HttpFetch.class, "http://" + kernel + ":8000/file.bin"), kernel);
    }

    @Test
    void jdkHttpClientOnJnetstackFetchesOverIpv6FromKernelPythonHttpServer() throws Exception {
        httpClientFetchesFromKernelPython(onTapWithIpv6(HttpFetch.class, "http://[" + KERNEL6 + "]:8000/file.bin"), KERNEL6);
    }

    /** {@code fetch}, HttpClient on jnetstack, gets file.bin from the kernel's python http.server bound to {@code bind}. */
    private void httpClientFetchesFromKernelPython(ForkedJvm fetch, String bind) throws Exception {
        if (!Files.isExecutable(Path.of(DEBIAN_PYTHON))) {
            ExternalTool.skip(DEBIAN_PYTHON + " is not installed (apt-get install python3)");
        }
        writeFile("file.bin", FILE_BYTES);
        try (NamespaceProcess python = peer.spawn(DEBIAN_PYTHON, "-u", "-m", "http.server", "8000", "--bind", bind,
                "--directory", directory.toString())) {
            ProcessOutput.awaitLine(python, "Serving HTTP", LIMIT);
            String output = finished(spawn(fetch));
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

    @Test
    void multicastSocketOnJnetstackReceivesTheKernelsMulticast() throws Exception {
        TapPreconditions.requireCommand("socat", "socat");
        TapPreconditions.requireCommand("ss", "iproute2");
        String group = "239.255.77.10";
        String port = "9997";
        int count = 3;
        // The agent puts new MulticastSocket() on jnetstack; the stack itself comes from the properties.
        ForkedJvm receiver = onTap(MulticastReceive.class, group, port, Integer.toString(count))
                .option("-javaagent:" + AllJar.path());
        try (NamespaceProcess program = spawn(receiver)) {
            ProcessOutput.awaitLine(program, "joined ", LIMIT);
            // A kernel socket in this namespace would get the looped-back copies too: there must be none.
            CommandResult kernelSockets = peer.exec(LIMIT, "ss", "-H", "-u", "-a", "-n", "sport", "=", ":" + port).requireSuccess();
            assertEquals("", kernelSockets.output().strip(), "kernel UDP sockets on port " + port);
            for (int i = 1; i <= count; i++) {
                peer.exec(LIMIT, ("kernel datagram " + i).getBytes(StandardCharsets.UTF_8),
                        "socat", "-u", "-", "UDP4-DATAGRAM:" + group + ":" + port + ",ip-multicast-if=" + kernel).requireSuccess();
            }
            String output = finished(program);
            for (int i = 1; i <= count; i++) {
                assertTrue(output.contains("received from " + kernel + ": kernel datagram " + i), output);
            }
        }
    }
}
