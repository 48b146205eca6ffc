package io.jnetstack.tap;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * What, if anything, already carries a network device name, as sysfs tells it. The kernel answers
 * most failed TUNSETIFF calls with a bare EINVAL or EPERM; this is what lets the error say why.
 */
record ExistingDevice(Kind kind, OptionalLong ownerUid) {
    static final Path SYS_CLASS_NET = Path.of("/sys/class/net");

    enum Kind {
        /** No device by that name in this network namespace: TUNSETIFF would create one. */
        ABSENT,
        TAP,
        TAP_MULTI_QUEUE,
        TUN,
        /** An interface that is not a TUN/TAP device (eth0, lo, a bridge, ...). */
        NOT_TUN_TAP
    }

    static final ExistingDevice ABSENT = new ExistingDevice(Kind.ABSENT, OptionalLong.empty());

    /** Reads {@code sysClassNet/NAME/tun_flags} and {@code owner}; unreadable files count as absent. */
    static ExistingDevice probe(Path sysClassNet, String name) {
        Path dir = sysClassNet.resolve(name);
        if (!Files.isDirectory(dir)) {
            return ABSENT;
        }
        OptionalLong flags = readNumber(dir.resolve("tun_flags"));
        if (flags.isEmpty()) {
            return new ExistingDevice(Kind.NOT_TUN_TAP, OptionalLong.empty());
        }
        // The kernel reports -1 when the device has no owner.
        OptionalLong owner = readNumber(dir.resolve("owner"));
        OptionalLong ownerUid = owner.isPresent() && owner.getAsLong() >= 0 ? owner : OptionalLong.empty();
        long f = flags.getAsLong();
        Kind kind;
        if ((f & LinuxLibC.IFF_TAP) == 0) {
            kind = Kind.TUN;
        } else if ((f & LinuxLibC.IFF_MULTI_QUEUE) != 0) {
            kind = Kind.TAP_MULTI_QUEUE;
        } else {
            kind = Kind.TAP;
        }
        return new ExistingDevice(kind, ownerUid);
    }

    /** Parses a sysfs number: decimal, or hex with a 0x prefix (tun_flags is printed as 0x1002). */
    private static OptionalLong readNumber(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
            if (text.startsWith("0x")) {
                return OptionalLong.of(Long.parseLong(text.substring(2), 16));
            }
            return OptionalLong.of(Long.parseLong(text));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
