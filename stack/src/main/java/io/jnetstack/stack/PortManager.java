package io.jnetstack.stack;

import io.jnetstack.address.IpAddress;
import java.net.BindException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.IntPredicate;

/**
 * Reserves transport ports by (protocol number, local address, port), like netstack's
 * {@code ports.PortManager}.
 *
 * <p>Rules: a wildcard address ({@link IpAddress#IPV4_ANY}, {@link IpAddress#IPV6_ANY}) overlaps
 * every address of its family, and a specific address overlaps itself. The IPv6 wildcard is
 * dual-stack, as on Linux with {@code bindv6only=0} (the JDK offers no {@code IPV6_V6ONLY}): it
 * also overlaps every IPv4 address; other IPv4 and IPv6 reservations never overlap. Two overlapping bind reservations conflict unless
 * both asked for {@code reuseAddress}. Ports taken by {@link #reserveEphemeral} for connecting
 * sockets may be shared by other connecting sockets whose 4-tuples differ, but never by a bind;
 * each such reservation records its 4-tuple, so choosing the port and claiming the 4-tuple are
 * one step, as Linux's {@code __inet_hash_connect} checks and inserts under the port's bucket lock.
 *
 * <p>Thread-safe without a manager-wide lock: every rule above concerns one (protocol, port), so
 * each reservation and release is one atomic update of that port's entry in a concurrent map
 * (holding only that entry), and connections set up and torn down on many threads at once do not
 * wait for each other unless they want the same port. An entry is an immutable array, replaced
 * on every change, so a look-up reads it without locking.
 */
public final class PortManager {
    /** RFC 6056 §2.1 suggests 1024–65535; Linux's default {@code ip_local_port_range} is this. */
    public static final int DEFAULT_FIRST_EPHEMERAL = 32768;
    public static final int DEFAULT_LAST_EPHEMERAL = 60999;

    static final String IN_USE = "Address already in use";
    /** Linux's EADDRNOTAVAIL text, which it reports when the ephemeral range is exhausted. */
    static final String EXHAUSTED = "Cannot assign requested address";

    /** RFC 6056 §3.3.3's "TABLE_LENGTH"; any size works, more slots spread flows further. */
    private static final int PERTURBATION_TABLE_LENGTH = 256;

    private final int firstEphemeral;
    private final int ephemeralCount;
    /** RFC 6056 §3.3.3's F(), keyed with secret_key1: where a peer's search starts. */
    private final SipHash offsetHash;
    /** Its G(), keyed with secret_key2: which perturbation slot a peer's connections share. */
    private final SipHash indexHash;
    private final AtomicIntegerArray perturbation = new AtomicIntegerArray(PERTURBATION_TABLE_LENGTH);
    private final Random random;
    /** (protocol, port) → its reservations, one element per successful reserve call; never an empty array. */
    private final ConcurrentHashMap<Integer, Reservation[]> reservations = new ConcurrentHashMap<>();
    /** Each thread's room for one hashed message (two IPv6 addresses and a port), so a connect's port choice allocates nothing for it. */
    private static final ThreadLocal<byte[]> HASH_MESSAGE = ThreadLocal.withInitial(() -> new byte[2 * 16 + 2]);

    /** The default ephemeral range with secrets from a {@link SecureRandom}. */
    public PortManager() {
        this(DEFAULT_FIRST_EPHEMERAL, DEFAULT_LAST_EPHEMERAL, new SecureRandom());
    }

    /**
     * @param firstEphemeral first port of the ephemeral range (inclusive, ≥ 1)
     * @param lastEphemeral  last port of the ephemeral range (inclusive, ≤ 65535)
     * @param random         source of the hash secrets and random choices; a {@link SecureRandom}
     *                       in production (RFC 6056 §3.3.3 needs unguessable keys), seeded in tests
     */
    public PortManager(int firstEphemeral, int lastEphemeral, Random random) {
        if (firstEphemeral < 1 || lastEphemeral > 65535 || firstEphemeral > lastEphemeral) {
            throw new IllegalArgumentException("ephemeral range must satisfy 1 <= first <= last <= 65535, got "
                    + firstEphemeral + "-" + lastEphemeral);
        }
        this.firstEphemeral = firstEphemeral;
        this.ephemeralCount = lastEphemeral - firstEphemeral + 1;
        this.random = random;
        this.offsetHash = new SipHash(randomKey(random));
        this.indexHash = new SipHash(randomKey(random));
        for (int i = 0; i < perturbation.length(); i++) {
            perturbation.set(i, random.nextInt(65536));
        }
    }

    /**
     * Reserves {@code port} on {@code address} for a bind, or an unused ephemeral port when
     * {@code port} is 0.
     *
     * @return the reserved port
     * @throws BindException "Address already in use" on a conflict, or "Cannot assign requested
     *                       address" when {@code port} is 0 and every ephemeral port is taken
     */
    public int reserve(int protocol, IpAddress address, int port, boolean reuseAddress) throws BindException {
        checkPort(port);
        Reservation bound = new Reservation(address, Kind.BOUND, reuseAddress, null, 0);
        if (port != 0) {
            if (!addIf(protocol, port, bound, (holders, p) -> !conflictsWithBind(holders, address, reuseAddress))) {
                throw new BindException(IN_USE);
            }
            return port;
        }
        // A bind has no remote to hash, so start at a random point (RFC 6056 §3.3.1 style).
        int start = random.nextInt(ephemeralCount);
        for (int i = 0; i < ephemeralCount; i++) {
            int candidate = firstEphemeral + (start + i) % ephemeralCount;
            if (addIf(protocol, candidate, bound, (holders, p) -> !overlapsAny(holders, address))) {
                return candidate;
            }
        }
        throw new BindException(EXHAUSTED);
    }

    /**
     * Reserves a local port for a connecting socket, chosen by RFC 6056 §3.3.3 Algorithm 3
     * ("double-hash port selection"). A port free of reservations is taken; a port held only by
     * other connecting sockets is shared when none of them holds this 4-tuple (local, port,
     * remote, remotePort) and {@code isTupleFree} accepts it. The reservation claims the 4-tuple
     * in the same atomic step, so a concurrent reservation for it moves on to another port even
     * before this connection is registered anywhere else.
     *
     * <p>{@code isTupleFree} covers connections this manager did not reserve for (an accepted
     * connection outliving its listener); it is called while the candidate port's entry is held
     * and must not call back into this manager.
     *
     * @return the reserved port; release it with {@link #release(int, IpAddress, int, IpAddress, int)}
     * @throws BindException "Cannot assign requested address" when no port in the range fits
     */
    public int reserveEphemeral(int protocol, IpAddress local, IpAddress remote, int remotePort,
                                IntPredicate isTupleFree) throws BindException {
        checkPort(remotePort);
        int offset = (int) keyedHash(offsetHash, local, remote, remotePort);
        int index = Math.floorMod(keyedHash(indexHash, local, remote, remotePort), PERTURBATION_TABLE_LENGTH);
        Reservation connected = new Reservation(local, Kind.CONNECTED, false, remote, remotePort);
        Admission admission = (holders, port) -> !overlapsAny(holders, local)
                || (canShareWith(holders, connected) && isTupleFree.test(port));
        for (int count = 0; count < ephemeralCount; count++) {
            // Moving the slot on makes the next connection to the same peer try the next port
            // first, so reconnects do not reuse a port still in TIME-WAIT (RFC 6056 §3.3.3).
            int port = firstEphemeral + Math.floorMod(offset + perturbation.getAndIncrement(index), ephemeralCount);
            if (addIf(protocol, port, connected, admission)) {
                return port;
            }
        }
        throw new BindException(EXHAUSTED);
    }

    /**
     * Releases one reservation of {@code port} made with exactly {@code address}; does nothing if
     * there is none (closing twice is harmless). For a bound socket; a connection whose port was
     * reserved by {@link #reserveEphemeral} releases its own 4-tuple with
     * {@link #release(int, IpAddress, int, IpAddress, int)}.
     */
    public void release(int protocol, IpAddress address, int port) {
        release(protocol, address, port, null, 0);
    }

    /**
     * Releases the reservation a socket took on {@code port} with exactly {@code address}: the
     * one {@link #reserveEphemeral} made for the 4-tuple to {@code remote:remotePort}, or else
     * one made by a bind; does nothing if there is none (closing twice is harmless). A bind and
     * a connection never both hold the same address and port, so the two cannot be confused.
     *
     * @param remote the peer the socket connected to, or null for a socket that never did
     */
    public void release(int protocol, IpAddress address, int port, IpAddress remote, int remotePort) {
        reservations.computeIfPresent(key(protocol, port), (k, holders) -> {
            for (int i = 0; i < holders.length; i++) {
                if (holders[i].isHeldBy(address, remote, remotePort)) {
                    if (holders.length == 1) {
                        return null; // the port's last reservation: the entry goes
                    }
                    Reservation[] rest = new Reservation[holders.length - 1];
                    System.arraycopy(holders, 0, rest, 0, i);
                    System.arraycopy(holders, i + 1, rest, i, holders.length - i - 1);
                    return rest;
                }
            }
            return holders;
        });
    }

    /** True if some reservation of {@code port} overlaps {@code address} (see the class rules). */
    public boolean isReserved(int protocol, IpAddress address, int port) {
        Reservation[] holders = reservations.get(key(protocol, port));
        return holders != null && overlapsAny(holders, address);
    }

    /** Reservations held now, of every protocol and port: a stack that closed all its sockets holds none. */
    public int reservationCount() {
        int n = 0;
        for (Reservation[] holders : reservations.values()) {
            n += holders.length;
        }
        return n;
    }

    /** Whether a new reservation may join those a port holds now (none: an empty array). */
    @FunctionalInterface
    private interface Admission {
        boolean admits(Reservation[] holders, int port);
    }

    /**
     * Adds {@code r} to {@code port}'s reservations if {@code admission} accepts those held now,
     * atomically for that port; true if added. {@code r} is not among them before (a reserve
     * call adds its reservation once), so it is the last element of the entry exactly when added.
     */
    private boolean addIf(int protocol, int port, Reservation r, Admission admission) {
        Reservation[] after = reservations.compute(key(protocol, port), (k, holders) -> {
            Reservation[] current = holders == null ? NONE : holders;
            if (!admission.admits(current, port)) {
                return holders;
            }
            Reservation[] grown = Arrays.copyOf(current, current.length + 1);
            grown[current.length] = r;
            return grown;
        });
        return after != null && after[after.length - 1] == r;
    }

    private static boolean conflictsWithBind(Reservation[] holders, IpAddress address, boolean reuseAddress) {
        for (Reservation r : holders) {
            if (overlaps(r.address, address) && !(reuseAddress && r.reuseAddress)) {
                return true;
            }
        }
        return false;
    }

    private static boolean overlapsAny(Reservation[] holders, IpAddress address) {
        for (Reservation r : holders) {
            if (overlaps(r.address, address)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The connection {@code c} may share the port: every reservation overlapping its address is
     * another connection's (no bind), and none of those holds its 4-tuple.
     */
    private static boolean canShareWith(Reservation[] holders, Reservation c) {
        for (Reservation r : holders) {
            if (overlaps(r.address, c.address)
                    && (r.kind != Kind.CONNECTED || r.isHeldBy(c.address, c.remote, c.remotePort))) {
                return false;
            }
        }
        return true;
    }

    private static boolean overlaps(IpAddress a, IpAddress b) {
        if (a.isV4() != b.isV4()) {
            return a.equals(IpAddress.IPV6_ANY) || b.equals(IpAddress.IPV6_ANY);
        }
        return a.isUnspecified() || b.isUnspecified() || a.equals(b);
    }

    private static Integer key(int protocol, int port) {
        return (protocol << 16) | port;
    }

    private static void checkPort(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range 0-65535: " + port);
        }
    }

    /**
     * RFC 6056 §3.3.3's F() and G(): a keyed hash over the connection identifiers. The RFC
     * suggests MD5 over them and a secret; a keyed pseudo-random function serves as well, since
     * unpredictability, not collision resistance, matters.
     */
    private static long keyedHash(SipHash hash, IpAddress local, IpAddress remote, int remotePort) {
        byte[] message = HASH_MESSAGE.get();
        local.writeTo(message, 0);
        int n = local.length();
        remote.writeTo(message, n);
        n += remote.length();
        message[n++] = (byte) (remotePort >>> 8);
        message[n++] = (byte) remotePort;
        return hash.hash(message, n);
    }

    private static byte[] randomKey(Random random) {
        byte[] key = new byte[SipHash.KEY_BYTES];
        random.nextBytes(key);
        return key;
    }

    private enum Kind { BOUND, CONNECTED }

    /** One reserve call's claim; {@code remote} is the peer of a connection's 4-tuple, null for a bind. */
    private record Reservation(IpAddress address, Kind kind, boolean reuseAddress, IpAddress remote, int remotePort) {
        /**
         * Made for exactly this local address and, if a connection's, this peer: a bind's
         * reservation belongs to whichever socket is bound to its address (any is as good).
         */
        boolean isHeldBy(IpAddress local, IpAddress peer, int peerPort) {
            return address.equals(local)
                    && (kind == Kind.BOUND || (remote.equals(peer) && remotePort == peerPort));
        }
    }

    private static final Reservation[] NONE = new Reservation[0];
}
