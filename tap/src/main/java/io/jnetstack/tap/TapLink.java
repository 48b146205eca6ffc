package io.jnetstack.tap;

import io.jnetstack.address.LinkAddress;
import io.jnetstack.buffer.ArrayPool;
import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.link.LinkEndpoint;
import io.jnetstack.link.LinkType;
import io.jnetstack.link.NetworkDispatcher;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import jnr.constants.platform.Errno;
import jnr.constants.platform.OpenFlags;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;

/**
 * A {@link LinkEndpoint} over a Linux TAP device: each {@code read} of the device's descriptor
 * yields one Ethernet frame the kernel sent into the device, and each {@code write} injects one
 * frame as if it had arrived on the wire.
 *
 * <p>{@link #open(Config)} attaches to an existing TAP device (for example a persistent one an
 * administrator created for this user with {@code ip tuntap add dev tap0 mode tap user $USER}, so
 * no privilege is needed at run time) or, when the process has CAP_NET_ADMIN, creates the device;
 * a device created that way disappears when the link is closed.
 *
 * <p>One daemon reader thread per link blocks in {@code poll} on the device and on an eventfd that
 * {@link #close()} signals. Each wake-up it reads every frame the device holds (until
 * {@code EAGAIN}, up to a bound, so that a close is seen between batches) and
 * then hands the batch to the attached dispatcher in order. A frame of at least half an MTU-sized
 * frame goes up in an array from a pool, which the receiver may take over and give back once
 * consumed (the TCP receive buffer does, when the application has read it); a smaller frame gets an
 * array of its own length, so a few bytes never pin a whole frame's array. Writes may come from any
 * thread; they are serialized through one direct buffer.
 */
public final class TapLink implements LinkEndpoint {
    public static final String TUN_DEVICE_PATH = "/dev/net/tun";
    public static final int DEFAULT_MTU = 1500;
    /** The smallest MTU IPv4 allows (RFC 791). */
    public static final int MIN_MTU = 68;
    /** The kernel's limit for a TAP device: 65535 minus the Ethernet header. */
    public static final int MAX_MTU = 65535 - LinkType.ETHERNET.headerLength();

    private static final System.Logger LOG = System.getLogger(TapLink.class.getName());
    /** An 802.1Q tag the kernel may leave in a frame, beyond the Ethernet header. */
    private static final int VLAN_TAG_LENGTH = 4;
    /** Big enough for any frame the kernel can send into a TAP device, VLAN tag included. */
    private static final int READ_BUFFER_SIZE = 65535 + VLAN_TAG_LENGTH;
    /** Frames read per wake-up (one batch) before the reader polls, and so looks at the closed flag, again. */
    static final int MAX_FRAMES_PER_WAKEUP = 64;
    /** Spare frame arrays kept for reuse: about 1 MiB of them, and at least one batch's worth. */
    private static final int SPARE_FRAME_ARRAY_BYTES = 1 << 20;
    /** Upper bound on one poll, so a lost wake-up cannot park the reader forever. */
    private static final int POLL_TIMEOUT_MILLIS = 1000;
    private static final long CLOSE_JOIN_MILLIS = 5000;
    private static final long FAILURE_PAUSE_NANOS = 1_000_000;

    /**
     * How to open a TAP device. {@code deviceName} is 1 to 15 bytes without '/', ':' or whitespace
     * (a {@code %d} in it lets the kernel number a new device, e.g. {@code tap%d}); {@code mtu} is
     * the largest IP packet this link carries; {@code mac} is this end's unicast address.
     */
    public record Config(String deviceName, int mtu, LinkAddress mac) {
        public Config {
            Objects.requireNonNull(deviceName, "deviceName");
            Objects.requireNonNull(mac, "mac");
            validateDeviceName(deviceName);
            if (mtu < MIN_MTU || mtu > MAX_MTU) {
                throw new IllegalArgumentException("TAP MTU must be between " + MIN_MTU + " and " + MAX_MTU + ", got " + mtu);
            }
            if (mac.isMulticast() || mac.equals(LinkAddress.NONE)) {
                throw new IllegalArgumentException("a TAP link needs a unicast, non-zero MAC address, got " + mac);
            }
        }

        /** The device with the default MTU and a random locally administered MAC address. */
        public static Config of(String deviceName) {
            return new Config(deviceName, DEFAULT_MTU, LinkAddress.randomLocal(ThreadLocalRandom.current()));
        }

        public Config withMtu(int newMtu) {
            return new Config(deviceName, newMtu, mac);
        }

        public Config withMac(LinkAddress newMac) {
            return new Config(deviceName, mtu, newMac);
        }

        /** The kernel's rules for interface names (dev_valid_name). */
        private static void validateDeviceName(String name) {
            int bytes = name.getBytes(StandardCharsets.UTF_8).length;
            boolean valid = bytes >= 1 && bytes < LinuxLibC.IFNAMSIZ && !name.equals(".") && !name.equals("..")
                    && name.chars().noneMatch(c -> c == '/' || c == ':' || Character.isWhitespace(c));
            if (!valid) {
                throw new IllegalArgumentException("not a network device name: '" + name
                        + "' (expected 1 to 15 bytes without '/', ':' or whitespace, such as tap0)");
            }
        }
    }

    private final POSIX posix;
    private final LinuxLibC libc;
    private final String deviceName;
    private final int mtu;
    private final LinkAddress mac;
    private final int tapFd;
    private final int wakeFd;
    private final Thread reader;

    private final Object writeLock = new Object();
    private final ByteBuffer writeBuffer;
    private final PacketBuffer.RangeVisitor copyIntoWriteBuffer;
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER_SIZE);
    /** Arrays of a full-sized frame; the receiver that takes one over gives it back once consumed. */
    private final ArrayPool frameArrays;
    /** The frames of one wake-up, read before any is delivered; reader thread only, emptied after each batch. */
    private final PacketBuffer[] batch = new PacketBuffer[MAX_FRAMES_PER_WAKEUP];
    private final Pointer pollFds;

    private volatile NetworkDispatcher dispatcher;
    /** Set under writeLock, so no write starts on a descriptor close() is about to release. */
    private volatile boolean closed;

    private final TapStats stats = new TapStats();
    private final AtomicBoolean failureLogged = new AtomicBoolean();

    private TapLink(POSIX posix, LinuxLibC libc, String deviceName, Config config, int tapFd, int wakeFd) {
        this.posix = posix;
        this.libc = libc;
        this.deviceName = deviceName;
        this.mtu = config.mtu();
        this.mac = config.mac();
        this.tapFd = tapFd;
        this.wakeFd = wakeFd;
        this.writeBuffer = ByteBuffer.allocateDirect(mtu + LinkType.ETHERNET.headerLength());
        this.copyIntoWriteBuffer = writeBuffer::put;
        int frameArrayLength = mtu + LinkType.ETHERNET.headerLength() + VLAN_TAG_LENGTH;
        this.frameArrays = new ArrayPool(frameArrayLength, Math.max(MAX_FRAMES_PER_WAKEUP, SPARE_FRAME_ARRAY_BYTES / frameArrayLength));
        this.pollFds = Memory.allocateDirect(jnr.ffi.Runtime.getRuntime(libc), 2 * LinuxLibC.POLLFD_SIZE, true);
        pollFds.putInt(0, tapFd);
        pollFds.putShort(4, LinuxLibC.POLLIN);
        pollFds.putInt(LinuxLibC.POLLFD_SIZE, wakeFd);
        pollFds.putShort(LinuxLibC.POLLFD_SIZE + 4, LinuxLibC.POLLIN);
        this.reader = new Thread(this::readLoop, "jnetstack-tap-reader-" + deviceName);
        reader.setDaemon(true);
    }

    /**
     * Opens {@code /dev/net/tun} and attaches to (or, with CAP_NET_ADMIN, creates) the TAP device
     * {@code config.deviceName()}, then starts the reader thread.
     *
     * @throws IOException with a message saying what to do: not Linux, no TUN/TAP driver,
     *     permission denied, device busy, or the name belongs to a TUN or non-TAP device
     */
    public static TapLink open(Config config) throws IOException {
        String os = System.getProperty("os.name", "unknown");
        if (!os.startsWith("Linux")) {
            throw TapErrors.notLinux(os);
        }
        NativeAccess nativeAccess = NativeAccess.load();
        POSIX posix = nativeAccess.posix;
        LinuxLibC libc = nativeAccess.libc;
        String user = System.getProperty("user.name", "$USER");

        // CLOEXEC: a child process (ip, a test's ping) must not inherit the device and keep it busy.
        int flags = OpenFlags.O_RDWR.intValue() | OpenFlags.O_NONBLOCK.intValue() | OpenFlags.O_CLOEXEC.intValue();
        int tapFd = posix.open(TUN_DEVICE_PATH, flags, 0);
        if (tapFd < 0) {
            throw TapErrors.openFailed(posix.errno(), TUN_DEVICE_PATH, user);
        }
        int wakeFd = -1;
        try {
            String attachedName = attach(libc, tapFd, config.deviceName(), user);
            wakeFd = libc.eventfd(0, LinuxLibC.EFD_NONBLOCK | LinuxLibC.EFD_CLOEXEC);
            if (wakeFd < 0) {
                throw new IOException("eventfd failed: " + TapErrors.describe(lastError(libc)));
            }
            TapLink link = new TapLink(posix, libc, attachedName, config, tapFd, wakeFd);
            link.reader.start();
            return link;
        } catch (IOException | RuntimeException e) {
            posix.close(tapFd);
            if (wakeFd >= 0) {
                posix.close(wakeFd);
            }
            throw e;
        }
    }

    /** TUNSETIFF with IFF_TAP | IFF_NO_PI; returns the name the kernel gave the device. */
    private static String attach(LinuxLibC libc, int tapFd, String requestedName, String user) throws IOException {
        Pointer ifreq = Memory.allocateDirect(jnr.ffi.Runtime.getRuntime(libc), LinuxLibC.IFREQ_SIZE, true);
        byte[] name = requestedName.getBytes(StandardCharsets.UTF_8);
        ifreq.put(0, name, 0, name.length);
        ifreq.putShort(LinuxLibC.IFREQ_FLAGS_OFFSET, (short) (LinuxLibC.IFF_TAP | LinuxLibC.IFF_NO_PI));
        if (libc.ioctl(tapFd, LinuxLibC.TUNSETIFF, ifreq) < 0) {
            int errno = lastError(libc);
            throw TapErrors.attachFailed(errno, requestedName,
                    ExistingDevice.probe(ExistingDevice.SYS_CLASS_NET, requestedName), user);
        }
        return ifreq.getString(0, LinuxLibC.IFNAMSIZ, StandardCharsets.UTF_8);
    }

    private static int lastError(LinuxLibC libc) {
        return jnr.ffi.Runtime.getRuntime(libc).getLastError();
    }

    /** The device's name as the kernel knows it (a {@code %d} in the configured name is filled in). */
    public String deviceName() {
        return deviceName;
    }

    @Override
    public LinkType linkType() {
        return LinkType.ETHERNET;
    }

    @Override
    public int mtu() {
        return mtu;
    }

    @Override
    public LinkAddress linkAddress() {
        return mac;
    }

    @Override
    public void attach(NetworkDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    @Override
    public boolean isAttached() {
        return dispatcher != null;
    }

    public boolean isClosed() {
        return closed;
    }

    /** The link's counters (live). */
    public TapStats stats() {
        return stats;
    }

    /** The pool received frames' arrays come from (for tests). */
    ArrayPool frameArrays() {
        return frameArrays;
    }

    @Override
    public void writeFrame(PacketBuffer frame) {
        int length = frame.length();
        if (length < LinkType.ETHERNET.headerLength() || length > writeBuffer.capacity()) {
            stats.dropped().record(length);
            return;
        }
        synchronized (writeLock) {
            if (closed) {
                stats.dropped().record(length);
                return;
            }
            writeBuffer.clear();
            frame.forEachRange(0, length, copyIntoWriteBuffer);
            writeBuffer.flip();
            long written = posix.write(tapFd, writeBuffer, length);
            if (written == length) {
                stats.sent().record(length);
            } else {
                // EIO while the interface is down, EAGAIN under memory pressure: the frame is lost, as on a wire.
                stats.countWriteError();
            }
        }
    }

    /**
     * Stops the reader thread (waiting for it), then closes the device; a device this link created
     * disappears. Frames written afterwards are dropped and counted.
     */
    @Override
    public void close() {
        synchronized (writeLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        wakeReader();
        if (Thread.currentThread() != reader) {
            try {
                reader.join(CLOSE_JOIN_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (reader.isAlive()) {
                LOG.log(System.Logger.Level.WARNING, "TAP reader for {0} did not stop within {1} ms (a dispatcher call blocking?); closing the device anyway",
                        deviceName, CLOSE_JOIN_MILLIS);
            }
        }
        posix.close(tapFd);
        posix.close(wakeFd);
    }

    private void wakeReader() {
        ByteBuffer one = ByteBuffer.allocateDirect(Long.BYTES).order(ByteOrder.nativeOrder());
        one.putLong(0, 1L);
        if (posix.write(wakeFd, one, Long.BYTES) != Long.BYTES) {
            // Only possible if the counter is saturated; the bounded poll timeout still ends the reader.
            LOG.log(System.Logger.Level.DEBUG, "eventfd wake-up for {0} failed", deviceName);
        }
    }

    private void readLoop() {
        while (!closed) {
            try {
                if (!pollAndRead()) {
                    return;
                }
            } catch (Throwable e) {
                // An OutOfMemoryError, say: what was being read is lost, the reader goes on. Dying
                // here would leave the stack deaf for good; the pause keeps a failure that repeats
                // with every poll from spinning a core.
                reportFailure(e);
                LockSupport.parkNanos(FAILURE_PAUSE_NANOS);
            }
        }
    }

    /** Waits for frames and reads them; false when the device failed and the reader must stop. */
    private boolean pollAndRead() {
        int ready = libc.poll(pollFds, 2, POLL_TIMEOUT_MILLIS);
        if (ready < 0) {
            int errno = lastError(libc);
            return errno == Errno.EINTR.intValue() || deviceFailed("poll failed: " + TapErrors.describe(errno));
        }
        short revents = pollFds.getShort(6);
        if ((revents & (LinuxLibC.POLLERR | LinuxLibC.POLLHUP | LinuxLibC.POLLNVAL)) != 0 && !closed) {
            return deviceFailed("the device reported an error (poll revents 0x" + Integer.toHexString(revents) + ")");
        }
        return (revents & LinuxLibC.POLLIN) == 0 || readAvailableFrames();
    }

    /**
     * The device is gone or broken, so nothing will arrive again: the reader stops, and the attached
     * NIC is told, so that its connections fail with this cause instead of waiting forever.
     * Returns false, for the reader to stop.
     */
    private boolean deviceFailed(String what) {
        stats.countReadError();
        IOException cause = new IOException("TAP device " + deviceName + ": " + what);
        LOG.log(System.Logger.Level.ERROR, "{0}; the reader stops and the connections over it fail", cause.getMessage());
        NetworkDispatcher target = dispatcher;
        if (target != null) {
            target.linkFailed(cause);
        }
        return false;
    }

    /** Hands an unexpected failure of the reader to the attached NIC, which counts and logs it; else logs it once. */
    private void reportFailure(Throwable e) {
        NetworkDispatcher target = dispatcher;
        if (target != null) {
            target.linkThreadFailed(e);
        } else if (failureLogged.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.ERROR, "TAP reader for " + deviceName + " failed and goes on"
                    + " (later failures are not logged)", e);
        }
    }

    /**
     * Reads the frames the device holds, up to {@link #MAX_FRAMES_PER_WAKEUP}, then delivers them
     * in order; false when the device failed and the reader must stop.
     */
    private boolean readAvailableFrames() {
        int count = 0;
        int errno = 0;
        while (count < MAX_FRAMES_PER_WAKEUP && !closed) {
            readBuffer.clear();
            long n = posix.read(tapFd, readBuffer, readBuffer.capacity());
            if (n < 0) {
                errno = posix.errno();
                break;
            }
            PacketBuffer frame = copyOut((int) n);
            if (frame != null) {
                batch[count++] = frame;
            }
        }
        deliverBatch(count);
        if (errno == 0 || errno == Errno.EAGAIN.intValue() || errno == Errno.EINTR.intValue()) {
            return true;
        }
        if (closed) {
            stats.countReadError();
            return false;
        }
        return deviceFailed("read failed: " + TapErrors.describe(errno));
    }

    /**
     * The frame just read into the read buffer, in an array the dispatcher may own: a pooled one
     * when the frame {@linkplain ArrayPool#suits suits} it (as in {@link PacketBuffer#flatten(ArrayPool)}),
     * else one of the frame's length. Null when there is no heap for it: the frame is dropped.
     */
    private PacketBuffer copyOut(int length) {
        stats.received().record(length);
        try {
            if (frameArrays.suits(length)) {
                byte[] array = frameArrays.take();
                readBuffer.get(0, array, 0, length);
                return PacketBuffer.wrapPooled(array, length, frameArrays);
            }
            byte[] array = new byte[length];
            readBuffer.get(0, array, 0, length);
            return PacketBuffer.wrap(array, 0, length);
        } catch (Throwable e) {
            stats.dropped().record(length);
            reportFailure(e);
            return null;
        }
    }

    /** Hands the batch's frames to the dispatcher in the order they were read, and lets go of them. */
    private void deliverBatch(int count) {
        if (count > 0) {
            stats.countBatch();
        }
        NetworkDispatcher target = dispatcher;
        for (int i = 0; i < count; i++) {
            PacketBuffer frame = batch[i];
            batch[i] = null; // the dispatcher owns it now, and may give its array back to the pool
            if (target == null) {
                stats.dropped().record(frame.length());
                continue;
            }
            try {
                target.deliverNetworkPacket(frame);
            } catch (Throwable e) {
                // A dispatcher that threw (they must not): drop the frame, go on.
                stats.dropped().record(frame.length());
                reportFailure(e);
            }
        }
    }

    @Override
    public String toString() {
        return "TapLink[" + deviceName + ", mac=" + mac + ", mtu=" + mtu + (closed ? ", closed" : "") + "]";
    }

    /** The native bindings, loaded once: loading fails with an IOException, not an Error, if jnr cannot load. */
    private static final class NativeAccess {
        private static volatile NativeAccess instance;

        final POSIX posix;
        final LinuxLibC libc;

        private NativeAccess(POSIX posix, LinuxLibC libc) {
            this.posix = posix;
            this.libc = libc;
        }

        static NativeAccess load() throws IOException {
            NativeAccess loaded = instance;
            if (loaded != null) {
                return loaded;
            }
            synchronized (NativeAccess.class) {
                if (instance == null) {
                    try {
                        POSIX posix = POSIXFactory.getNativePOSIX();
                        if (!posix.isNative()) {
                            throw new IOException("jnr-posix could not load its native library, which TapLink needs");
                        }
                        instance = new NativeAccess(posix, LibraryLoader.create(LinuxLibC.class).load("c"));
                    } catch (LinkageError | RuntimeException e) {
                        throw new IOException("cannot load the native libc bindings TapLink needs (jnr-ffi): " + e, e);
                    }
                }
                return instance;
            }
        }
    }
}
