package io.jnetstack.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading a device's kind and owner from a sysfs-shaped directory tree. */
class ExistingDeviceTest {
    @TempDir
    Path sys;

    private void device(String name, String tunFlags, String owner) throws IOException {
        Path dir = Files.createDirectories(sys.resolve(name));
        if (tunFlags != null) {
            Files.writeString(dir.resolve("tun_flags"), tunFlags + "\n");
            Files.writeString(dir.resolve("owner"), owner + "\n");
        }
    }

    @Test
    void missingDirectoryIsAbsent() {
        assertEquals(ExistingDevice.ABSENT, ExistingDevice.probe(sys, "tap0"));
    }

    @Test
    void interfaceWithoutTunFlagsIsNotTunTap() throws IOException {
        device("eth0", null, null);
        assertEquals(ExistingDevice.Kind.NOT_TUN_TAP, ExistingDevice.probe(sys, "eth0").kind());
    }

    @Test
    void persistentTunAsTheKernelPrintsIt() throws IOException {
        device("tun0", "0x1801", "-1"); // IFF_TUN | IFF_PERSIST | IFF_NO_PI, no owner
        assertEquals(new ExistingDevice(ExistingDevice.Kind.TUN, OptionalLong.empty()), ExistingDevice.probe(sys, "tun0"));
    }

    @Test
    void tapOwnedByAUser() throws IOException {
        device("tap0", "0x1802", "1000");
        assertEquals(new ExistingDevice(ExistingDevice.Kind.TAP, OptionalLong.of(1000)), ExistingDevice.probe(sys, "tap0"));
    }

    @Test
    void multiQueueTap() throws IOException {
        device("tap1", "0x1902", "-1");
        assertEquals(ExistingDevice.Kind.TAP_MULTI_QUEUE, ExistingDevice.probe(sys, "tap1").kind());
    }
}
