package io.jnetstack.tap;

import io.jnetstack.stack.Nic;
import java.io.IOException;
import jnr.constants.platform.Errno;

/**
 * Turns a failed system call into an {@link IOException} whose message says what went wrong and
 * what to do about it. Kept apart from {@link TapLink} so every message can be tested without
 * provoking the failure (most of them need a non-root user or a machine without TUN/TAP).
 */
final class TapErrors {
    private TapErrors() {
    }

    static IOException notLinux(String osName) {
        return new IOException("TAP devices are a Linux feature; this JVM runs on " + osName
                + ". Run jnetstack on Linux to use a TAP device, or leave jnetstack.tap unset to use only the loopback NIC.");
    }

    static IOException openFailed(int errno, String path, String user) {
        if (errno == Errno.ENOENT.intValue()) {
            return new IOException(path + " does not exist: load the TUN/TAP driver with `modprobe tun` as root"
                    + " (in a container, pass the device in, e.g. `docker run --device /dev/net/tun --cap-add NET_ADMIN`)");
        }
        if (errno == Errno.ENODEV.intValue() || errno == Errno.ENXIO.intValue()) {
            return new IOException(path + " exists but the TUN/TAP driver is not loaded (" + describe(errno)
                    + "): load it with `modprobe tun` as root");
        }
        if (errno == Errno.EACCES.intValue() || errno == Errno.EPERM.intValue()) {
            return new IOException("permission denied opening " + path + " as user " + user
                    + ": the device is normally mode 0666; as root, run `chmod 0666 " + path
                    + "`, or run this program with CAP_NET_ADMIN");
        }
        return new IOException("cannot open " + path + ": " + describe(errno));
    }

    static IOException attachFailed(int errno, String deviceName, ExistingDevice existing, String user, boolean multiQueue) {
        String createForUser = "`ip tuntap add dev " + deviceName + " mode tap user " + user + "`";
        if (errno == Errno.EPERM.intValue()) {
            if (existing.kind() == ExistingDevice.Kind.ABSENT) {
                return new IOException("permission denied creating TAP device '" + deviceName
                        + "': creating a device needs CAP_NET_ADMIN. Without it, have an administrator create a persistent device for user "
                        + user + " once with " + createForUser + " and `ip link set " + deviceName + " up`");
            }
            String owner = existing.ownerUid().isPresent()
                    ? "it belongs to uid " + existing.ownerUid().getAsLong()
                    : "it has no owner";
            return new IOException("permission denied attaching to TAP device '" + deviceName + "' (" + owner
                    + "): the process needs CAP_NET_ADMIN, or the device must be created for user " + user
                    + " with " + createForUser);
        }
        if (errno == Errno.EBUSY.intValue()) {
            return new IOException("TAP device '" + deviceName
                    + "' is busy: another process (or another TapLink) has it open; close that first or use another device name");
        }
        if (errno == Errno.EINVAL.intValue()) {
            switch (existing.kind()) {
                case TUN:
                    return new IOException("device '" + deviceName
                            + "' is a TUN device (bare IP packets), not a TAP device (Ethernet frames): recreate it with `ip tuntap del dev "
                            + deviceName + " mode tun` and " + createForUser);
                case TAP_MULTI_QUEUE:
                    if (!multiQueue) {
                        return new IOException("TAP device '" + deviceName
                                + "' was created with multi_queue, but jnetstack.tapQueues is 1: set jnetstack.tapQueues"
                                + " to 2 or more, or recreate it with `ip tuntap del dev " + deviceName
                                + " mode tap multi_queue` and " + createForUser);
                    }
                    break;
                case TAP:
                    if (multiQueue) {
                        return new IOException("TAP device '" + deviceName
                                + "' was created without multi_queue, but jnetstack.tapQueues asks for several queues:"
                                + " set jnetstack.tapQueues=1, or recreate it with `ip tuntap del dev " + deviceName
                                + " mode tap` and `ip tuntap add dev " + deviceName + " mode tap user " + user + " multi_queue`");
                    }
                    break;
                case NOT_TUN_TAP:
                    return new IOException("'" + deviceName
                            + "' is an existing network interface that is not a TUN/TAP device: choose another name");
                default:
                    return new IOException("the kernel rejected TAP device name '" + deviceName + "' (" + describe(errno)
                            + "); names are 1 to 15 bytes without '/', ':' or whitespace");
            }
        }
        return new IOException("cannot attach to TAP device '" + deviceName + "': " + describe(errno));
    }

    /** "EPERM (Operation not permitted)", or the bare number for an errno jnr-constants does not know. */
    static String describe(int errno) {
        Errno e = Errno.valueOf(errno);
        if (e == null || e == Errno.__UNKNOWN_CONSTANT__) {
            return "errno " + errno;
        }
        return e.name() + " (" + e.description() + ")";
    }
}
