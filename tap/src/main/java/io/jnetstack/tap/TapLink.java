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
import java.util.concurrent.atomic.LongAdder;
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
 * <p>Offloads ({@link Offload#AUTO}, the default): the device is opened with {@code IFF_VNET_HDR}
 * and told ({@code TUNSETOFFLOAD}) that we complete checksums and take unsegmented TCP. Every frame
 * then carries a {@link VirtioNetHeader}. Outbound, TCP hands the link packets of up to
 * {@link #GSO_MAX_SIZE} bytes with a partial checksum and the kernel cuts them into MTU-sized
 * segments and sums them; inbound, the kernel hands up its own large TCP packets (up to 64 KiB per
 * read) with checksums it vouches for, which the stack then does not verify. Where the kernel
 * refuses an offload, the link goes on without it.
 *
 * <p>Queues: with {@link Config#queues()} above 1 the device is opened {@code IFF_MULTI_QUEUE}, one
 * descriptor per queue, each with its own reader thread; the kernel spreads inbound flows over
 * them, and a flow's outbound frames always leave through the queue its {@linkplain #flowHash hash}
 * picks, so they stay in order.
 *
 * <p>Each reader thread is a daemon that blocks in {@code poll} on its descriptor and on an eventfd
 * that {@link #close()} signals. Each wake-up it reads every frame the device holds (until
 * {@code EAGAIN}, up to a bound, so that a close is seen between batches), hands the batch to the
 * attached dispatcher in order, each frame marked {@linkplain PacketBuffer#markBatchEndFollows
 * batched}, then tells it the batch ended. A frame of at least half a pooled array's length goes up
 * in an array from a pool (MTU-sized, and 64 KiB ones for the kernel's large packets), which the
 * receiver may take over and give back once consumed (the TCP receive buffer does, when the
 * application has read it); other frames get an array of their own length, so a few bytes never
 * pin a whole array. Writes may come from any thread; each queue serializes its writes through one
 * direct buffer.
 *
 * <p>A capture ({@code SniffingLink}) around this link records frames as the stack sees them:
 * with offload on, a large TCP packet is recorded once, before the kernel cuts it, with the
 * pseudo-header's partial sum as its checksum, as tcpdump on a Linux host with TSO shows its own
 * packets. That shows what the stack did, at no cost when nothing captures.
 */
public final class TapLink implements LinkEndpoint {
    public static final String TUN_DEVICE_PATH = "/dev/net/tun";
    public static final int DEFAULT_MTU = 1500;
    /** The smallest MTU IPv4 allows (RFC 791). */
    public static final int MIN_MTU = 68;
    /** The kernel's limit for a TAP device: 65535 minus the Ethernet header. */
    public static final int MAX_MTU = 65535 - LinkType.ETHERNET.headerLength();
    /** Largest packet (IP header included) handed to the kernel to segment: the most an IPv4 total length says. */
    public static final int GSO_MAX_SIZE = 65535;
    /** The kernel's limit on a multi-queue TAP device's queues (MAX_TAP_QUEUES). */
    public static final int MAX_QUEUES = 256;

    private static final System.Logger LOG = System.getLogger(TapLink.class.getName());
    /** An 802.1Q tag the kernel may leave in a frame, beyond the Ethernet header. */
    private static final int VLAN_TAG_LENGTH = 4;
    /** Big enough for any frame the kernel can send into a TAP device, VLAN tag included. */
    private static final int MAX_FRAME = 65535 + VLAN_TAG_LENGTH;
    /** Frames read per wake-up (one batch) before the reader polls, and so looks at the closed flag, again. */
    static final int MAX_FRAMES_PER_WAKEUP = 64;
    /** Spare frame arrays kept for reuse: about 1 MiB of them, and at least one batch's worth. */
    private static final int SPARE_FRAME_ARRAY_BYTES = 1 << 20;
    /** Spare arrays for the kernel's large packets (4 MiB of 64 KiB ones). */
    private static final int SPARE_LARGE_FRAME_ARRAYS = 64;
    /** Upper bound on one poll, so a lost wake-up cannot park the reader forever. */
    private static final int POLL_TIMEOUT_MILLIS = 1000;
    private static final long CLOSE_JOIN_MILLIS = 5000;
    private static final long FAILURE_PAUSE_NANOS = 1_000_000;
    /** What we ask TUNSETOFFLOAD for, most first; the kernel may refuse some (an old one TSO6, say). */
    private static final int[] OFFLOAD_CHOICES = {
        LinuxLibC.TUN_F_CSUM | LinuxLibC.TUN_F_TSO4 | LinuxLibC.TUN_F_TSO6,
        LinuxLibC.TUN_F_CSUM | LinuxLibC.TUN_F_TSO4,
        LinuxLibC.TUN_F_CSUM,
    };

    /** Whether to use the device's offloads ({@code jnetstack.offload}). */
    public enum Offload {
        /** Checksum and segmentation offload where the kernel grants them. */
        AUTO,
        /** Plain frames: every checksum computed and every segment cut by the stack. */
        OFF;

        /** {@code auto} or {@code off}, in any case. */
        public static Offload parse(String value) {
            for (Offload o : values()) {
                if (o.name().equalsIgnoreCase(value.trim())) {
                    return o;
                }
            }
            throw new IllegalArgumentException("not an offload mode: '" + value + "' (expected auto or off)");
        }
    }

    /**
     * How to open a TAP device. {@code deviceName} is 1 to 15 bytes without '/', ':' or whitespace
     * (a {@code %d} in it lets the kernel number a new device, e.g. {@code tap%d}); {@code mtu} is
     * the largest IP packet this link carries; {@code mac} is this end's unicast address;
     * {@code offload} whether to use the device's offloads; {@code queues} how many queues (and
     * reader threads) to open, from 1 to {@link #MAX_QUEUES}.
     */
    public record Config(String deviceName, int mtu, LinkAddress mac, Offload offload, int queues) {
        public Config {
            Objects.requireNonNull(deviceName, "deviceName");
            Objects.requireNonNull(mac, "mac");
            Objects.requireNonNull(offload, "offload");
            validateDeviceName(deviceName);
            if (mtu < MIN_MTU || mtu > MAX_MTU) {
                throw new IllegalArgumentException("TAP MTU must be between " + MIN_MTU + " and " + MAX_MTU + ", got " + mtu);
            }
            if (mac.isMulticast() || mac.equals(LinkAddress.NONE)) {
                throw new IllegalArgumentException("a TAP link needs a unicast, non-zero MAC address, got " + mac);
            }
            if (queues < 1 || queues > MAX_QUEUES) {
                throw new IllegalArgumentException("TAP queues must be between 1 and " + MAX_QUEUES + ", got " + queues);
            }
        }

        /** The device with the default MTU, a random locally administered MAC address, offloads and one queue. */
        public static Config of(String deviceName) {
            return new Config(deviceName, DEFAULT_MTU, LinkAddress.randomLocal(ThreadLocalRandom.current()), Offload.AUTO, 1);
        }

        public Config withMtu(int newMtu) {
            return new Config(deviceName, newMtu, mac, offload, queues);
        }

        public Config withMac(LinkAddress newMac) {
            return new Config(deviceName, mtu, newMac, offload, queues);
        }

        public Config withOffload(Offload newOffload) {
            return new Config(deviceName, mtu, mac, newOffload, queues);
        }

        public Config withQueues(int newQueues) {
            return new Config(deviceName, mtu, mac, offload, newQueues);
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
    private final int wakeFd;
    /** Frames carry a {@link VirtioNetHeader}. */
    private final boolean vnetHeader;
    /** The TUN_F_* offloads the kernel granted. */
    private final int offloads;
    private final Queue[] queues;
    /** Arrays of a full-sized frame; the receiver that takes one over gives it back once consumed. */
    private final ArrayPool frameArrays;
    /** Arrays for the kernel's large TCP packets; null without offloads, when none come. */
    private final ArrayPool largeFrameArrays;

    private volatile NetworkDispatcher dispatcher;
    /** Set before close() takes each queue's write lock, so no write starts on a descriptor being released. */
    private volatile boolean closed;
    private final Object closeLock = new Object();

    private final TapStats stats = new TapStats();
    private final AtomicBoolean failureLogged = new AtomicBoolean();

    private TapLink(POSIX posix, LinuxLibC libc, String deviceName, Config config, int[] tapFds, int wakeFd,
            boolean vnetHeader, int offloads) {
        this.posix = posix;
        this.libc = libc;
        this.deviceName = deviceName;
        this.mtu = config.mtu();
        this.mac = config.mac();
        this.wakeFd = wakeFd;
        this.vnetHeader = vnetHeader;
        this.offloads = offloads;
        int frameArrayLength = mtu + LinkType.ETHERNET.headerLength() + VLAN_TAG_LENGTH;
        this.frameArrays = new ArrayPool(frameArrayLength, Math.max(MAX_FRAMES_PER_WAKEUP, SPARE_FRAME_ARRAY_BYTES / frameArrayLength));
        this.largeFrameArrays = offloads != 0 && frameArrayLength < MAX_FRAME
                ? new ArrayPool(MAX_FRAME, SPARE_LARGE_FRAME_ARRAYS) : null;
        this.queues = new Queue[tapFds.length];
        for (int i = 0; i < tapFds.length; i++) {
            queues[i] = new Queue(i, tapFds[i]);
        }
    }

    /**
     * Opens {@code /dev/net/tun} (once per queue) and attaches to (or, with CAP_NET_ADMIN,
     * creates) the TAP device {@code config.deviceName()}, sets its offloads, then starts the
     * reader threads.
     *
     * @throws IOException with a message saying what to do: not Linux, no TUN/TAP driver,
     *     permission denied, device busy, or the name belongs to a TUN or non-TAP device or to a
     *     TAP device whose multi-queue setting differs from the configuration's
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
        boolean vnetHeader = config.offload() == Offload.AUTO;
        short flags = (short) (LinuxLibC.IFF_TAP | LinuxLibC.IFF_NO_PI
                | (config.queues() > 1 ? LinuxLibC.IFF_MULTI_QUEUE : 0) | (vnetHeader ? LinuxLibC.IFF_VNET_HDR : 0));

        int[] tapFds = new int[config.queues()];
        java.util.Arrays.fill(tapFds, -1);
        int wakeFd = -1;
        try {
            String attachedName = config.deviceName();
            for (int i = 0; i < tapFds.length; i++) {
                tapFds[i] = openTun(posix, user);
                // Every queue attaches to the name the first was given (a %d is filled in once).
                attachedName = attach(libc, tapFds[i], attachedName, flags, user);
            }
            int offloads = vnetHeader ? negotiateOffloads(libc, tapFds[0], attachedName) : disableOffloads(libc, tapFds[0]);
            wakeFd = libc.eventfd(0, LinuxLibC.EFD_NONBLOCK | LinuxLibC.EFD_CLOEXEC);
            if (wakeFd < 0) {
                throw new IOException("eventfd failed: " + TapErrors.describe(lastError(libc)));
            }
            TapLink link = new TapLink(posix, libc, attachedName, config, tapFds, wakeFd, vnetHeader, offloads);
            for (Queue q : link.queues) {
                q.reader.start();
            }
            return link;
        } catch (IOException | RuntimeException e) {
            for (int fd : tapFds) {
                if (fd >= 0) {
                    posix.close(fd);
                }
            }
            if (wakeFd >= 0) {
                posix.close(wakeFd);
            }
            throw e;
        }
    }

    private static int openTun(POSIX posix, String user) throws IOException {
        // CLOEXEC: a child process (ip, a test's ping) must not inherit the device and keep it busy.
        int openFlags = OpenFlags.O_RDWR.intValue() | OpenFlags.O_NONBLOCK.intValue() | OpenFlags.O_CLOEXEC.intValue();
        int fd = posix.open(TUN_DEVICE_PATH, openFlags, 0);
        if (fd < 0) {
            throw TapErrors.openFailed(posix.errno(), TUN_DEVICE_PATH, user);
        }
        return fd;
    }

    /** TUNSETIFF with {@code flags}; returns the name the kernel gave the device. */
    private static String attach(LinuxLibC libc, int tapFd, String requestedName, short flags, String user) throws IOException {
        Pointer ifreq = Memory.allocateDirect(jnr.ffi.Runtime.getRuntime(libc), LinuxLibC.IFREQ_SIZE, true);
        byte[] name = requestedName.getBytes(StandardCharsets.UTF_8);
        ifreq.put(0, name, 0, name.length);
        ifreq.putShort(LinuxLibC.IFREQ_FLAGS_OFFSET, flags);
        if (libc.ioctl(tapFd, LinuxLibC.TUNSETIFF, ifreq) < 0) {
            int errno = lastError(libc);
            throw TapErrors.attachFailed(errno, requestedName,
                    ExistingDevice.probe(ExistingDevice.SYS_CLASS_NET, requestedName), user,
                    (flags & LinuxLibC.IFF_MULTI_QUEUE) != 0);
        }
        return ifreq.getString(0, LinuxLibC.IFNAMSIZ, StandardCharsets.UTF_8);
    }

    /**
     * Sets the virtio header's length and the most offloads the kernel grants; returns the granted
     * TUN_F_* flags, 0 when it refuses them all (frames still carry the header, with nothing to do).
     */
    private static int negotiateOffloads(LinuxLibC libc, int tapFd, String deviceName) {
        Pointer headerLength = Memory.allocateDirect(jnr.ffi.Runtime.getRuntime(libc), Integer.BYTES, true);
        headerLength.putInt(0, VirtioNetHeader.LENGTH);
        if (libc.ioctl(tapFd, LinuxLibC.TUNSETVNETHDRSZ, headerLength) < 0) {
            // The kernel's default header is this same 10-byte struct: nothing changes.
            LOG.log(System.Logger.Level.DEBUG, "TUNSETVNETHDRSZ refused on {0}: {1}", deviceName,
                    TapErrors.describe(lastError(libc)));
        }
        for (int choice : OFFLOAD_CHOICES) {
            if (libc.ioctl(tapFd, LinuxLibC.TUNSETOFFLOAD, (long) choice) == 0) {
                return choice;
            }
        }
        LOG.log(System.Logger.Level.INFO, "the kernel refused every offload on {0} ({1}): going on without",
                deviceName, TapErrors.describe(lastError(libc)));
        return 0;
    }

    /** Offload off: a persistent device may keep offloads an earlier owner set; clear them (best effort). */
    private static int disableOffloads(LinuxLibC libc, int tapFd) {
        libc.ioctl(tapFd, LinuxLibC.TUNSETOFFLOAD, 0L);
        return 0;
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

    /** {@link #GSO_MAX_SIZE} when the kernel takes unsegmented TCP over IPv4, else 0. */
    @Override
    public int gsoMaxSize() {
        return (offloads & LinuxLibC.TUN_F_TSO4) != 0 ? GSO_MAX_SIZE : 0;
    }

    @Override
    public boolean completesChecksums() {
        return (offloads & LinuxLibC.TUN_F_CSUM) != 0;
    }

    /** Whether the kernel granted checksum and TCP segmentation offload (for tests and logs). */
    public boolean offloading() {
        return completesChecksums() && gsoMaxSize() > 0;
    }

    /** The number of queues, each with its own descriptor and reader thread. */
    public int queueCount() {
        return queues.length;
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
        boolean segmented = frame.segmentSize() > 0;
        int maxLength = LinkType.ETHERNET.headerLength() + (segmented ? gsoMaxSize() : mtu);
        boolean offloadRefused = (segmented && (gsoMaxSize() == 0 || !frame.isChecksumPartial()))
                || (frame.isChecksumPartial() && !completesChecksums());
        if (length < LinkType.ETHERNET.headerLength() || length > maxLength || offloadRefused) {
            stats.dropped().record(length);
            return;
        }
        queues[queueFor(frame, queues.length)].write(frame, length, segmented);
    }

    /** The queue of {@code queueCount} that {@code frame} leaves through: its flow's. */
    static int queueFor(PacketBuffer frame, int queueCount) {
        return queueCount == 1 ? 0 : Math.floorMod(flowHash(frame), queueCount);
    }

    /** Frames read from queue {@code queue} so far. */
    public long framesRead(int queue) {
        return queues[queue].framesRead.sum();
    }

    /** Frames written to queue {@code queue} so far. */
    public long framesWritten(int queue) {
        return queues[queue].framesWritten.sum();
    }

    /**
     * A hash of the frame's flow: IP addresses and, for an unfragmented TCP or UDP packet, ports;
     * the EtherType for anything else. Every frame of a connection hashes alike, so a connection
     * leaves through one queue and its frames stay in order.
     */
    static int flowHash(PacketBuffer frame) {
        int length = frame.length();
        int etherType = (frame.getByte(12) << 8) | frame.getByte(13);
        int ip = LinkType.ETHERNET.headerLength();
        int addresses;
        int addressLength;
        int protocol;
        int transport;
        boolean fragment;
        if (etherType == 0x0800 && length >= ip + 20) {
            addresses = ip + 12;
            addressLength = 8;
            protocol = frame.getByte(ip + 9);
            transport = ip + (frame.getByte(ip) & 0x0f) * 4;
            fragment = (((frame.getByte(ip + 6) << 8) | frame.getByte(ip + 7)) & 0x3fff) != 0;
        } else if (etherType == 0x86dd && length >= ip + 40) {
            addresses = ip + 8;
            addressLength = 32;
            protocol = frame.getByte(ip + 6);
            transport = ip + 40;
            fragment = false;
        } else {
            return etherType;
        }
        int hash = etherType;
        for (int i = addresses; i < addresses + addressLength; i++) {
            hash = 31 * hash + frame.getByte(i);
        }
        boolean hasPorts = (protocol == 6 || protocol == 17) && !fragment && length >= transport + 4;
        if (hasPorts) {
            for (int i = transport; i < transport + 4; i++) {
                hash = 31 * hash + frame.getByte(i);
            }
        }
        return hash ^ (hash >>> 16);
    }

    /**
     * Stops the reader threads (waiting for them), then closes the device; a device this link
     * created disappears. Frames written afterwards are dropped and counted.
     */
    @Override
    public void close() {
        synchronized (closeLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        wakeReaders();
        for (Queue q : queues) {
            q.awaitReader();
        }
        for (Queue q : queues) {
            q.closeDescriptor();
        }
        posix.close(wakeFd);
    }

    /** The eventfd stays readable once written, so every reader polling it wakes. */
    private void wakeReaders() {
        ByteBuffer one = ByteBuffer.allocateDirect(Long.BYTES).order(ByteOrder.nativeOrder());
        one.putLong(0, 1L);
        if (posix.write(wakeFd, one, Long.BYTES) != Long.BYTES) {
            // Only possible if the counter is saturated; the bounded poll timeout still ends the readers.
            LOG.log(System.Logger.Level.DEBUG, "eventfd wake-up for {0} failed", deviceName);
        }
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

    /** Hands an unexpected failure of a reader to the attached NIC, which counts and logs it; else logs it once. */
    private void reportFailure(Throwable e) {
        NetworkDispatcher target = dispatcher;
        if (target != null) {
            target.linkThreadFailed(e);
        } else if (failureLogged.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.ERROR, "TAP reader for " + deviceName + " failed and goes on"
                    + " (later failures are not logged)", e);
        }
    }

    @Override
    public String toString() {
        return "TapLink[" + deviceName + ", mac=" + mac + ", mtu=" + mtu
                + (offloading() ? ", offload" : "") + (queues.length > 1 ? ", queues=" + queues.length : "")
                + (closed ? ", closed" : "") + "]";
    }

    /** One descriptor of the device: its reader thread, and the writes that leave through it. */
    private final class Queue {
        private final int fd;
        private final Thread reader;
        private final Object writeLock = new Object();
        private final ByteBuffer writeBuffer;
        private final PacketBuffer.RangeVisitor copyIntoWriteBuffer;
        private final ByteBuffer readBuffer;
        /** The frames of one wake-up, read before any is delivered; reader thread only, emptied after each batch. */
        private final PacketBuffer[] batch = new PacketBuffer[MAX_FRAMES_PER_WAKEUP];
        private final Pointer pollFds;
        private final LongAdder framesRead = new LongAdder();
        private final LongAdder framesWritten = new LongAdder();

        Queue(int index, int fd) {
            this.fd = fd;
            int header = vnetHeader ? VirtioNetHeader.LENGTH : 0;
            int largestWrite = LinkType.ETHERNET.headerLength() + Math.max(mtu, gsoMaxSize());
            this.writeBuffer = ByteBuffer.allocateDirect(header + largestWrite).order(ByteOrder.nativeOrder());
            this.copyIntoWriteBuffer = writeBuffer::put;
            this.readBuffer = ByteBuffer.allocateDirect(header + MAX_FRAME).order(ByteOrder.nativeOrder());
            this.pollFds = Memory.allocateDirect(jnr.ffi.Runtime.getRuntime(libc), 2 * LinuxLibC.POLLFD_SIZE, true);
            pollFds.putInt(0, fd);
            pollFds.putShort(4, LinuxLibC.POLLIN);
            pollFds.putInt(LinuxLibC.POLLFD_SIZE, wakeFd);
            pollFds.putShort(LinuxLibC.POLLFD_SIZE + 4, LinuxLibC.POLLIN);
            String suffix = queues.length > 1 ? "-" + index : "";
            this.reader = new Thread(this::readLoop, "jnetstack-tap-reader-" + deviceName + suffix);
            reader.setDaemon(true);
        }

        void write(PacketBuffer frame, int length, boolean segmented) {
            synchronized (writeLock) {
                if (closed) {
                    stats.dropped().record(length);
                    return;
                }
                writeBuffer.clear();
                if (vnetHeader) {
                    VirtioNetHeader.put(writeBuffer, frame);
                }
                frame.forEachRange(0, length, copyIntoWriteBuffer);
                writeBuffer.flip();
                int total = writeBuffer.limit();
                long written = posix.write(fd, writeBuffer, total);
                if (written == total) {
                    stats.sent().record(length);
                    framesWritten.increment();
                    if (segmented) {
                        stats.countSegmentedWrite();
                    }
                } else {
                    // EIO while the interface is down, EAGAIN under memory pressure: the frame is lost, as on a wire.
                    stats.countWriteError();
                }
            }
        }

        void awaitReader() {
            if (Thread.currentThread() == reader) {
                return;
            }
            try {
                reader.join(CLOSE_JOIN_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (reader.isAlive()) {
                LOG.log(System.Logger.Level.WARNING, "TAP reader {0} did not stop within {1} ms (a dispatcher call blocking?); closing the device anyway",
                        reader.getName(), CLOSE_JOIN_MILLIS);
            }
        }

        /** After {@code closed} is set: a write in progress finishes first, later ones see the flag. */
        void closeDescriptor() {
            synchronized (writeLock) {
                posix.close(fd);
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
         * Reads the frames the device holds, up to {@link #MAX_FRAMES_PER_WAKEUP}, then delivers them
         * in order; false when the device failed and the reader must stop.
         */
        private boolean readAvailableFrames() {
            int count = 0;
            int errno = 0;
            int header = vnetHeader ? VirtioNetHeader.LENGTH : 0;
            for (int reads = 0; reads < MAX_FRAMES_PER_WAKEUP && !closed; reads++) {
                readBuffer.clear();
                long n = posix.read(fd, readBuffer, readBuffer.capacity());
                if (n < 0) {
                    errno = posix.errno();
                    break;
                }
                if (n < header) {
                    stats.dropped().record((int) n); // the kernel always writes the whole header: never expected
                    continue;
                }
                framesRead.increment();
                PacketBuffer frame = copyOut(header, (int) n - header);
                if (frame == null) {
                    continue;
                }
                if (vnetHeader) {
                    if (VirtioNetHeader.checksumVouched(readBuffer)) {
                        frame.markChecksumVerified();
                    }
                    if (VirtioNetHeader.isCoalesced(readBuffer)) {
                        stats.countCoalescedRead();
                    }
                }
                frame.markBatchEndFollows();
                batch[count++] = frame;
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
         * The frame just read into the read buffer at {@code offset}, in an array the dispatcher may
         * own: a pooled one when the frame {@linkplain ArrayPool#suits suits} one of the pools (as in
         * {@link PacketBuffer#flatten(ArrayPool)}), else one of the frame's length. Null when there
         * is no heap for it: the frame is dropped.
         */
        private PacketBuffer copyOut(int offset, int length) {
            stats.received().record(length);
            try {
                ArrayPool pool = frameArrays.suits(length) ? frameArrays
                        : largeFrameArrays != null && largeFrameArrays.suits(length) ? largeFrameArrays : null;
                if (pool != null) {
                    byte[] array = pool.take();
                    readBuffer.get(offset, array, 0, length);
                    return PacketBuffer.wrapPooled(array, length, pool);
                }
                byte[] array = new byte[length];
                readBuffer.get(offset, array, 0, length);
                return PacketBuffer.wrap(array, 0, length);
            } catch (Throwable e) {
                stats.dropped().record(length);
                reportFailure(e);
                return null;
            }
        }

        /** Hands the batch's frames to the dispatcher in the order they were read, lets go of them, and ends the batch. */
        private void deliverBatch(int count) {
            if (count == 0) {
                return;
            }
            stats.countBatch();
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
            if (target != null) {
                try {
                    target.batchEnded();
                } catch (Throwable e) {
                    reportFailure(e);
                }
            }
        }
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
