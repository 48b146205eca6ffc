package io.jnetstack.tap.testing;

import io.jnetstack.address.LinkAddress;
import io.jnetstack.stack.Nic;
import io.jnetstack.tap.TapLink;
import java.io.IOException;
import java.net.Inet4Address;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives each test the Linux kernel as a network peer: a fresh network namespace holding the
 * kernel's end of a TAP device whose other end is a {@link TapLink} in this JVM.
 *
 * <pre>{@code
 * @RegisterExtension final KernelPeer peer = new KernelPeer();
 *
 * @Test void kernelAnswersArp() throws Exception {
 *     peer.link().writeFrame(...);
 *     peer.frames().expectFrame("ARP reply", TestFrames.arpReplyFrom(KernelPeer.KERNEL_ADDRESS), Duration.ofSeconds(5));
 * }
 * }</pre>
 *
 * <p>Before each test: create the namespace {@code jns-PID-N}, open (and so create) the TAP device
 * {@code jntPID-N} from this JVM, move it into the namespace (the open descriptor keeps working),
 * give the kernel side {@link #KERNEL_ADDRESS}/24, bring it and {@code lo} up. Received frames go
 * to {@link #frames()} until the test attaches something else (a NIC) to {@link #link()}. After
 * each test, even a failed one: kill every process in the namespace, close the link (which
 * removes the device) and delete the namespace. The kernel's addresses exist only in that
 * namespace, so nothing leaks onto the host's network.
 *
 * <p>Skips without root, {@code /dev/net/tun} or {@code ip}; fails instead with
 * {@code JNETSTACK_REQUIRE_TAP=1}.
 */
public final class KernelPeer implements BeforeEachCallback, AfterEachCallback {
    /** The kernel's address on the TAP (RFC 2544 benchmarking range, never routed). */
    public static final Inet4Address KERNEL_ADDRESS = TestFrames.ipv4("198.18.0.1");
    /** The address a jnetstack under test should take on the same subnet. */
    public static final Inet4Address STACK_ADDRESS = TestFrames.ipv4("198.18.0.2");
    public static final int PREFIX_LENGTH = 24;

    private static final Duration SETUP_COMMAND_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration KILL_TIMEOUT = Duration.ofSeconds(5);
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final int mtu;
    private final TapLink.Offload offload;
    private final int queues;
    /** Whether a process started in the namespace, not this JVM, opens the device. */
    private final boolean deviceForAnotherProcess;
    private final List<NamespaceProcess> spawned = new ArrayList<>();
    private String ip;
    private String namespace;
    private String deviceName;
    private TapLink link;
    private LinkAddress kernelMac;
    private FrameRecorder frames;

    public KernelPeer() {
        this(TapLink.DEFAULT_MTU);
    }

    /** A peer whose TAP device (both ends) uses {@code mtu}. */
    public KernelPeer(int mtu) {
        this(mtu, TapLink.Offload.AUTO, 1);
    }

    /** A peer whose TAP device uses {@code mtu}, opened by the link with {@code offload} and {@code queues} queues. */
    public KernelPeer(int mtu, TapLink.Offload offload, int queues) {
        this(mtu, offload, queues, false);
    }

    private KernelPeer(int mtu, TapLink.Offload offload, int queues, boolean deviceForAnotherProcess) {
        this.mtu = mtu;
        this.offload = offload;
        this.queues = queues;
        this.deviceForAnotherProcess = deviceForAnotherProcess;
    }

    /**
     * A peer whose TAP device a program started inside the namespace opens (a JVM run with
     * {@code -Djnetstack.tap=}{@link #deviceName()} through {@link #spawn}), as a user's program
     * would: the device is created persistent in the namespace, and {@link #link()} and
     * {@link #frames()} are null. Deleting the namespace deletes the device.
     */
    public static KernelPeer forAnotherProcess() {
        return new KernelPeer(TapLink.DEFAULT_MTU, TapLink.Offload.AUTO, 1, true);
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        TapPreconditions.require();
        ip = TapPreconditions.ipCommand().orElseThrow();
        int n = INSTANCES.incrementAndGet();
        long pid = ProcessHandle.current().pid();
        namespace = "jns-" + pid + "-" + n;
        deviceName = "jnt" + pid + "-" + n;
        try {
            runIp("netns", "add", namespace);
            if (deviceForAnotherProcess) {
                runIp("-n", namespace, "tuntap", "add", "dev", deviceName, "mode", "tap");
            } else {
                link = TapLink.open(TapLink.Config.of(deviceName).withMtu(mtu).withOffload(offload).withQueues(queues));
                frames = new FrameRecorder();
                link.attach(frames);
                runIp("link", "set", "dev", deviceName, "netns", namespace);
            }
            runIp("-n", namespace, "link", "set", "dev", deviceName, "mtu", Integer.toString(mtu));
            runIp("-n", namespace, "addr", "add", KERNEL_ADDRESS.getHostAddress() + "/" + PREFIX_LENGTH, "dev", deviceName);
            runIp("-n", namespace, "link", "set", "dev", deviceName, "up");
            runIp("-n", namespace, "link", "set", "dev", "lo", "up");
            kernelMac = readKernelMac();
        } catch (Exception | AssertionError e) {
            tearDown(e);
            throw e;
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        AssertionError failure = new AssertionError("tearing down kernel peer " + namespace + " failed");
        tearDown(failure);
        if (failure.getSuppressed().length > 0) {
            throw failure;
        }
    }

    /** The JVM's end of the TAP device. */
    public TapLink link() {
        return link;
    }

    /** Frames the link received, until the test attaches another dispatcher. */
    public FrameRecorder frames() {
        return frames;
    }

    public String namespace() {
        return namespace;
    }

    public String deviceName() {
        return deviceName;
    }

    public Inet4Address kernelAddress() {
        return KERNEL_ADDRESS;
    }

    public Inet4Address stackAddress() {
        return STACK_ADDRESS;
    }

    /** The MAC address of the kernel's end of the TAP device. */
    public LinkAddress kernelMac() {
        return kernelMac;
    }

    /** Runs {@code command} inside the namespace and waits at most {@code timeout} for it. */
    public CommandResult exec(Duration timeout, String... command) {
        return Commands.run(timeout, new byte[0], inNamespace(command));
    }

    /** Runs {@code command} inside the namespace with {@code stdin} as its input. */
    public CommandResult exec(Duration timeout, byte[] stdin, String... command) {
        return Commands.run(timeout, stdin, inNamespace(command));
    }

    /** Starts {@code command} in the background inside the namespace; it is killed after the test at the latest. */
    public NamespaceProcess spawn(String... command) throws IOException {
        Path output = Files.createTempFile("jnetstack-ns-process", ".txt");
        Process process = new ProcessBuilder(inNamespace(command))
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(output.toFile())
                .redirectErrorStream(true)
                .start();
        NamespaceProcess started = new NamespaceProcess(process, output);
        synchronized (spawned) {
            spawned.add(started);
        }
        return started;
    }

    /** The kernel's neighbour-table line for {@code address} on the TAP ("" when it has none). */
    public String kernelNeighbour(Inet4Address address) {
        return Commands.run(SETUP_COMMAND_TIMEOUT, ip, "-n", namespace, "neigh", "show", address.getHostAddress(), "dev", deviceName)
                .requireSuccess().output().trim();
    }

    /**
     * A statistic of the kernel's end of the TAP device, e.g. {@code tx_packets} (frames it handed
     * to the JVM's end) or {@code tx_dropped} (frames it dropped because that end did not read in time).
     */
    public long deviceCounter(String name) {
        String value = Commands.run(SETUP_COMMAND_TIMEOUT, ip, "netns", "exec", namespace, "cat",
                "/sys/class/net/" + deviceName + "/statistics/" + name).requireSuccess().output().trim();
        return Long.parseLong(value);
    }

    private List<String> inNamespace(String... command) {
        List<String> full = new ArrayList<>(List.of(ip, "netns", "exec", namespace));
        full.addAll(List.of(command));
        return full;
    }

    private void runIp(String... arguments) {
        List<String> command = new ArrayList<>(List.of(ip));
        command.addAll(List.of(arguments));
        Commands.run(SETUP_COMMAND_TIMEOUT, new byte[0], command).requireSuccess();
    }

    /** Parses "jnt123-1  UP  aa:bb:cc:dd:ee:ff <...>" from {@code ip -br link show}. */
    private LinkAddress readKernelMac() {
        String line = Commands.run(SETUP_COMMAND_TIMEOUT, ip, "-n", namespace, "-br", "link", "show", "dev", deviceName)
                .requireSuccess().output().trim();
        String[] fields = line.split("\\s+");
        if (fields.length < 3) {
            throw new AssertionError("unexpected `ip -br link show` output: " + line);
        }
        return LinkAddress.parse(fields[2]);
    }

    /** Undoes whatever setup got done, adding each failure to {@code failures} as suppressed. */
    private void tearDown(Throwable failures) {
        synchronized (spawned) {
            for (NamespaceProcess process : spawned) {
                process.close();
            }
            spawned.clear();
        }
        if (namespace != null) {
            killRemainingProcesses(failures);
        }
        if (link != null) {
            try {
                link.close();
            } catch (RuntimeException e) {
                failures.addSuppressed(e);
            }
            link = null;
        }
        if (namespace != null) {
            CommandResult deleted = Commands.run(SETUP_COMMAND_TIMEOUT, ip, "netns", "del", namespace);
            if (!deleted.succeeded() && !deleted.output().contains("No such file")) {
                failures.addSuppressed(new AssertionError(deleted.describe()));
            }
            namespace = null;
        }
    }

    /** Processes a test started through exec() that outlived their timeout, or that daemonized. */
    private void killRemainingProcesses(Throwable failures) {
        CommandResult pids = Commands.run(SETUP_COMMAND_TIMEOUT, ip, "netns", "pids", namespace);
        if (!pids.succeeded()) {
            return; // The namespace was never created.
        }
        List<ProcessHandle> killed = new ArrayList<>();
        pids.output().lines().map(String::trim).filter(s -> s.matches("\\d+"))
                .forEach(pid -> ProcessHandle.of(Long.parseLong(pid)).ifPresent(handle -> {
                    handle.destroyForcibly();
                    killed.add(handle);
                }));
        for (ProcessHandle handle : killed) {
            try {
                handle.onExit().get(KILL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                failures.addSuppressed(new AssertionError("process " + handle.pid() + " in " + namespace + " did not die", e));
            }
        }
    }
}
