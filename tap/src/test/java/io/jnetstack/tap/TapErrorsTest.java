package io.jnetstack.tap;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.OptionalLong;
import jnr.constants.platform.Errno;
import org.junit.jupiter.api.Test;

/** Each failure TapLink can meet yields a message that says what to do. */
class TapErrorsTest {
    private static final ExistingDevice NONE = ExistingDevice.ABSENT;

    private static void assertMentions(IOException e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "expected '" + part + "' in: " + e.getMessage());
        }
    }

    @Test
    void missingTunDeviceSaysModprobe() {
        assertMentions(TapErrors.openFailed(Errno.ENOENT.intValue(), "/dev/net/tun", "alice"),
                "/dev/net/tun does not exist", "modprobe tun");
    }

    @Test
    void unloadedDriverSaysModprobe() {
        assertMentions(TapErrors.openFailed(Errno.ENODEV.intValue(), "/dev/net/tun", "alice"), "not loaded", "modprobe tun");
    }

    @Test
    void unreadableTunDeviceNamesChmodAndCapability() {
        assertMentions(TapErrors.openFailed(Errno.EACCES.intValue(), "/dev/net/tun", "alice"),
                "permission denied", "alice", "chmod 0666 /dev/net/tun", "CAP_NET_ADMIN");
    }

    @Test
    void creatingWithoutPrivilegeNamesCapabilityAndPersistentDeviceCommand() {
        assertMentions(TapErrors.attachFailed(Errno.EPERM.intValue(), "tap0", NONE, "alice", false),
                "CAP_NET_ADMIN", "ip tuntap add dev tap0 mode tap user alice", "ip link set tap0 up");
    }

    @Test
    void attachingToSomeoneElsesDeviceNamesOwnerCapabilityAndCommand() {
        ExistingDevice ownedByBob = new ExistingDevice(ExistingDevice.Kind.TAP, OptionalLong.of(1001));
        assertMentions(TapErrors.attachFailed(Errno.EPERM.intValue(), "tap0", ownedByBob, "alice", false),
                "uid 1001", "CAP_NET_ADMIN", "ip tuntap add dev tap0 mode tap user alice");
    }

    @Test
    void busyDeviceSaysAnotherProcessHasIt() {
        assertMentions(TapErrors.attachFailed(Errno.EBUSY.intValue(), "tap0", NONE, "alice", false), "busy", "another process");
    }

    @Test
    void tunDeviceSaysItIsNotTapAndHowToRecreate() {
        ExistingDevice tun = new ExistingDevice(ExistingDevice.Kind.TUN, OptionalLong.empty());
        assertMentions(TapErrors.attachFailed(Errno.EINVAL.intValue(), "tun0", tun, "alice", false),
                "is a TUN device", "not a TAP device", "ip tuntap del dev tun0 mode tun", "ip tuntap add dev tun0 mode tap user alice");
    }

    @Test
    void multiQueueTapOpenedWithOneQueueSaysToAskForMoreOrRecreate() {
        ExistingDevice multiQueue = new ExistingDevice(ExistingDevice.Kind.TAP_MULTI_QUEUE, OptionalLong.empty());
        assertMentions(TapErrors.attachFailed(Errno.EINVAL.intValue(), "tap0", multiQueue, "alice", false),
                "multi_queue", "jnetstack.tapQueues", "recreate");
    }

    @Test
    void singleQueueTapOpenedWithSeveralQueuesSaysToAskForOneOrRecreate() {
        ExistingDevice singleQueue = new ExistingDevice(ExistingDevice.Kind.TAP, OptionalLong.empty());
        assertMentions(TapErrors.attachFailed(Errno.EINVAL.intValue(), "tap0", singleQueue, "alice", true),
                "without multi_queue", "jnetstack.tapQueues=1", "ip tuntap add dev tap0 mode tap user alice multi_queue");
    }

    @Test
    void otherInterfaceSaysChooseAnotherName() {
        ExistingDevice ethernet = new ExistingDevice(ExistingDevice.Kind.NOT_TUN_TAP, OptionalLong.empty());
        assertMentions(TapErrors.attachFailed(Errno.EINVAL.intValue(), "eth0", ethernet, "alice", false),
                "not a TUN/TAP device", "choose another name");
    }

    @Test
    void notLinuxNamesTheSystemAndTheLoopbackAlternative() {
        assertMentions(TapErrors.notLinux("Mac OS X"), "Linux", "Mac OS X", "loopback");
    }

    @Test
    void unknownErrnoIsShownByNameAndDescription() {
        assertMentions(TapErrors.attachFailed(Errno.ENOMEM.intValue(), "tap0", NONE, "alice", false), "tap0", "ENOMEM");
    }
}
