package io.jnetstack.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.address.LinkAddress;
import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.link.LinkType;
import io.jnetstack.tap.testing.Commands;
import io.jnetstack.tap.testing.TapPreconditions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * TapLink against real devices. They live in the JVM's network namespace but stay down and carry
 * no address, so no traffic flows; each is deleted afterwards. Needs root; see {@link TapPreconditions}.
 */
class TapLinkDeviceTest {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);
    private static int devicesMade;

    private String ip;
    private final List<String> devicesToDelete = new ArrayList<>();

    @BeforeEach
    void requireTap() {
        TapPreconditions.require();
        ip = TapPreconditions.ipCommand().orElseThrow();
    }

    @AfterEach
    void deleteDevices() {
        for (String device : devicesToDelete) {
            // Already gone for devices TapLink created; that is fine.
            Commands.run(COMMAND_TIMEOUT, ip, "link", "del", "dev", device);
        }
    }

    /** A device name no other test (or test JVM) uses. */
    private String freshDeviceName() {
        String name = "jnd" + ProcessHandle.current().pid() + "-" + (++devicesMade);
        devicesToDelete.add(name);
        return name;
    }

    private String persistentDevice(String mode) {
        String name = freshDeviceName();
        Commands.run(COMMAND_TIMEOUT, ip, "tuntap", "add", "dev", name, "mode", mode).requireSuccess();
        return name;
    }

    private static boolean deviceExists(String name) {
        return Files.isDirectory(Path.of("/sys/class/net", name));
    }

    @Test
    void createsADeviceThatDisappearsOnClose() throws IOException {
        String name = freshDeviceName();
        TapLink link = TapLink.open(TapLink.Config.of(name));
        try {
            assertTrue(deviceExists(name));
            assertEquals(name, link.deviceName());
            assertEquals("0x5002", Files.readString(Path.of("/sys/class/net", name, "tun_flags")).trim(),
                    "IFF_TAP | IFF_NO_PI | IFF_VNET_HDR (offload is on by default), not persistent");
            assertTrue(link.offloading(), "the kernel grants checksum and segmentation offload: " + link);
            assertEquals(TapLink.GSO_MAX_SIZE, link.gsoMaxSize());
        } finally {
            link.close();
        }
        assertFalse(deviceExists(name));
    }

    @Test
    void offloadOffOpensPlainFramesWithoutTheVirtioHeader() throws IOException {
        String name = freshDeviceName();
        try (TapLink link = TapLink.open(TapLink.Config.of(name).withOffload(TapLink.Offload.OFF))) {
            assertEquals("0x1002", Files.readString(Path.of("/sys/class/net", name, "tun_flags")).trim(),
                    "IFF_TAP | IFF_NO_PI, not persistent");
            assertFalse(link.offloading());
            assertEquals(0, link.gsoMaxSize());
            assertFalse(link.completesChecksums());
        }
    }

    @Test
    void severalQueuesOpenAMultiQueueDeviceWithAQueuePerDescriptor() throws IOException {
        String name = freshDeviceName();
        long descriptorsBefore = openDescriptors();
        try (TapLink link = TapLink.open(TapLink.Config.of(name).withQueues(3))) {
            assertEquals(3, readerThreads(name), "a reader per queue");
            assertEquals(descriptorsBefore + 4, openDescriptors(), "a descriptor per queue and the eventfd");
            assertEquals("0x5102", Files.readString(Path.of("/sys/class/net", name, "tun_flags")).trim(),
                    "IFF_TAP | IFF_NO_PI | IFF_VNET_HDR | IFF_MULTI_QUEUE");
            assertEquals(3, link.queueCount());
            try (var rx = Files.list(Path.of("/sys/class/net", name, "queues"))) {
                assertEquals(3, rx.filter(q -> q.getFileName().toString().startsWith("rx-")).count(), "the kernel's receive queues");
            }
        }
        assertFalse(deviceExists(name));
        assertEquals(0, readerThreads(name), "close() waits for every reader");
        assertEquals(descriptorsBefore, openDescriptors());
    }

    @Test
    void attachesToAPersistentDeviceWhichOutlivesTheLink() throws IOException {
        String name = persistentDevice("tap");
        try (TapLink link = TapLink.open(TapLink.Config.of(name))) {
            assertEquals(name, link.deviceName());
        }
        assertTrue(deviceExists(name));
    }

    @Test
    void kernelNumbersADevicePattern() throws IOException {
        try (TapLink link = TapLink.open(TapLink.Config.of("jnp%d"))) {
            devicesToDelete.add(link.deviceName());
            assertTrue(link.deviceName().matches("jnp\\d+"), link.deviceName());
            assertTrue(deviceExists(link.deviceName()));
        }
    }

    @Test
    void reportsConfiguredLinkProperties() throws IOException {
        LinkAddress mac = LinkAddress.parse("02:00:5e:10:00:07");
        try (TapLink link = TapLink.open(TapLink.Config.of(freshDeviceName()).withMtu(9000).withMac(mac))) {
            assertEquals(LinkType.ETHERNET, link.linkType());
            assertEquals(9000, link.mtu());
            assertEquals(mac, link.linkAddress());
        }
    }

    @Test
    void tunDeviceIsRejectedAsNotATap() {
        String name = persistentDevice("tun");
        IOException e = assertThrows(IOException.class, () -> TapLink.open(TapLink.Config.of(name)));
        assertTrue(e.getMessage().contains("is a TUN device") && e.getMessage().contains("not a TAP device"), e.getMessage());
    }

    @Test
    void nonTunInterfaceIsRejected() {
        IOException e = assertThrows(IOException.class, () -> TapLink.open(TapLink.Config.of("lo")));
        assertTrue(e.getMessage().contains("not a TUN/TAP device"), e.getMessage());
    }

    @Test
    void secondOpenOfTheSameDeviceIsBusy() throws IOException {
        String name = persistentDevice("tap");
        try (TapLink first = TapLink.open(TapLink.Config.of(name))) {
            IOException e = assertThrows(IOException.class, () -> TapLink.open(TapLink.Config.of(name)));
            assertTrue(e.getMessage().contains("busy"), e.getMessage());
        }
    }

    @Test
    void openAndClose200TimesLeaksNoDescriptorAndNoThread() throws IOException {
        String name = persistentDevice("tap");
        // The first open loads native libraries, which opens files once and for all.
        TapLink.open(TapLink.Config.of(name)).close();
        long descriptorsBefore = openDescriptors();
        for (int i = 0; i < 200; i++) {
            TapLink.open(TapLink.Config.of(name)).close();
        }
        assertEquals(descriptorsBefore, openDescriptors());
        assertEquals(0, readerThreads(name));
    }

    @Test
    void closeStopsTheReaderThreadAndFurtherWritesAreDropped() throws IOException {
        String name = freshDeviceName();
        TapLink link = TapLink.open(TapLink.Config.of(name));
        assertEquals(1, readerThreads(name));
        link.close();
        assertEquals(0, readerThreads(name), "close() waits for the reader to stop");
        link.writeFrame(PacketBuffer.allocate(0, 60));
        assertEquals(1, link.stats().dropped().frames());
        assertEquals(0, link.stats().sent().frames());
        link.close(); // a second close is harmless
    }

    @Test
    void writeWhileTheInterfaceIsDownIsCountedAsAnError() throws IOException {
        try (TapLink link = TapLink.open(TapLink.Config.of(freshDeviceName()))) {
            link.writeFrame(PacketBuffer.allocate(0, 60)); // The kernel answers EIO: the device was never set up.
            assertEquals(1, link.stats().writeErrors());
            assertEquals(0, link.stats().sent().frames());
        }
    }

    @Test
    void framesShorterThanAnEthernetHeaderOrLongerThanTheMtuAreDropped() throws IOException {
        try (TapLink link = TapLink.open(TapLink.Config.of(freshDeviceName()).withMtu(1500))) {
            link.writeFrame(PacketBuffer.allocate(0, 13));
            link.writeFrame(PacketBuffer.allocate(0, 1500 + 14 + 1));
            assertEquals(2, link.stats().dropped().frames());
            assertEquals(0, link.stats().writeErrors());
        }
    }

    @Test
    void deletingTheDeviceUnderTheLinkStopsTheReaderWithAReadError() throws Exception {
        String name = freshDeviceName();
        try (TapLink link = TapLink.open(TapLink.Config.of(name))) {
            Thread reader = readerThread(name);
            Commands.run(COMMAND_TIMEOUT, ip, "link", "del", "dev", name).requireSuccess();
            reader.join(COMMAND_TIMEOUT.toMillis());
            assertFalse(reader.isAlive(), "the reader stops once the device is gone");
            assertEquals(1, link.stats().readErrors());
            link.writeFrame(PacketBuffer.allocate(0, 60));
            assertEquals(1, link.stats().writeErrors());
        }
    }

    private static Thread readerThread(String deviceName) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("jnetstack-tap-reader-" + deviceName))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no reader thread for " + deviceName));
    }

    /**
     * Descriptors a TapLink opens: the TUN device and its wake-up eventfd. Counting every descriptor
     * of the JVM would also count the class loader's and other tests' files coming and going.
     */
    private static long openDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.map(TapLinkDeviceTest::target)
                    .filter(t -> t.equals(TapLink.TUN_DEVICE_PATH) || t.equals("anon_inode:[eventfd]"))
                    .count();
        }
    }

    private static String target(Path fd) {
        try {
            return Files.readSymbolicLink(fd).toString();
        } catch (IOException e) {
            return ""; // closed between listing and reading: not ours to count
        }
    }

    private static long readerThreads(String deviceName) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("jnetstack-tap-reader-" + deviceName)
                        || t.getName().startsWith("jnetstack-tap-reader-" + deviceName + "-"))
                .count();
    }
}
