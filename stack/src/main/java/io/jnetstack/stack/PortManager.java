package io.jnetstack.stack;

import io.jnetstack.address.IpAddress;
import java.net.BindException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
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
 * sockets may be shared by other connecting sockets whose 4-tuples differ, but never by a bind.
 *
 * <p>Thread-safe: every method takes one internal lock.
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
    private final byte[] offsetKey = new byte[16];
    private final byte[] indexKey = new byte[16];
    private final int[] perturbation = new int[PERTURBATION_TABLE_LENGTH];
    private final Random random;
    private final Object lock = new Object();
    /** (protocol, port) → its reservations, one element per successful reserve call. */
    private final Map<Integer, List<Reservation>> reservations = new HashMap<>();

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
        random.nextBytes(offsetKey);
        random.nextBytes(indexKey);
        for (int i = 0; i < perturbation.length; i++) {
            perturbation[i] = random.nextInt(65536);
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
        synchronized (lock) {
            if (port != 0) {
                if (conflictsWithBind(protocol, address, port, reuseAddress)) {
                    throw new BindException(IN_USE);
                }
                add(protocol, port, new Reservation(address, Kind.BOUND, reuseAddress));
                return port;
            }
            // A bind has no remote to hash, so start at a random point (RFC 6056 §3.3.1 style).
            int start = random.nextInt(ephemeralCount);
            for (int i = 0; i < ephemeralCount; i++) {
                int candidate = firstEphemeral + (start + i) % ephemeralCount;
                if (overlapping(protocol, address, candidate).isEmpty()) {
                    add(protocol, candidate, new Reservation(address, Kind.BOUND, reuseAddress));
                    return candidate;
                }
            }
            throw new BindException(EXHAUSTED);
        }
    }

    /**
     * Reserves a local port for a connecting socket, chosen by RFC 6056 §3.3.3 Algorithm 3
     * ("double-hash port selection"). A port free of reservations is taken; a port held only by
     * other connecting sockets is shared when {@code isTupleFree} accepts it, i.e. no connection
     * already uses (local, port, remote, remotePort).
     *
     * <p>{@code isTupleFree} is called with this manager's lock held and must not call back into it.
     *
     * @return the reserved port; release it with {@link #release}
     * @throws BindException "Cannot assign requested address" when no port in the range fits
     */
    public int reserveEphemeral(int protocol, IpAddress local, IpAddress remote, int remotePort,
                                IntPredicate isTupleFree) throws BindException {
        checkPort(remotePort);
        int offset = keyedHash(offsetKey, local, remote, remotePort);
        int index = Math.floorMod(keyedHash(indexKey, local, remote, remotePort), PERTURBATION_TABLE_LENGTH);
        synchronized (lock) {
            for (int count = 0; count < ephemeralCount; count++) {
                int port = firstEphemeral + Math.floorMod(offset + perturbation[index], ephemeralCount);
                // Moving the slot on makes the next connection to the same peer try the next port
                // first, so reconnects do not reuse a port still in TIME-WAIT (RFC 6056 §3.3.3).
                perturbation[index]++;
                List<Reservation> holders = overlapping(protocol, local, port);
                boolean onlyConnections = holders.stream().allMatch(r -> r.kind == Kind.CONNECTED);
                if (holders.isEmpty() || (onlyConnections && isTupleFree.test(port))) {
                    add(protocol, port, new Reservation(local, Kind.CONNECTED, false));
                    return port;
                }
            }
            throw new BindException(EXHAUSTED);
        }
    }

    /**
     * Releases one reservation of {@code port} made with exactly {@code address}; does nothing if
     * there is none (closing twice is harmless).
     */
    public void release(int protocol, IpAddress address, int port) {
        synchronized (lock) {
            List<Reservation> list = reservations.get(key(protocol, port));
            if (list == null) {
                return;
            }
            for (int i = 0; i < list.size(); i++) {
                if (list.get(i).address.equals(address)) {
                    list.remove(i);
                    break;
                }
            }
            if (list.isEmpty()) {
                reservations.remove(key(protocol, port));
            }
        }
    }

    /** True if some reservation of {@code port} overlaps {@code address} (see the class rules). */
    public boolean isReserved(int protocol, IpAddress address, int port) {
        synchronized (lock) {
            return !overlapping(protocol, address, port).isEmpty();
        }
    }

    /** Reservations held now, of every protocol and port: a stack that closed all its sockets holds none. */
    public int reservationCount() {
        synchronized (lock) {
            int n = 0;
            for (List<Reservation> list : reservations.values()) {
                n += list.size();
            }
            return n;
        }
    }

    private boolean conflictsWithBind(int protocol, IpAddress address, int port, boolean reuseAddress) {
        for (Reservation r : overlapping(protocol, address, port)) {
            if (!(reuseAddress && r.reuseAddress)) {
                return true;
            }
        }
        return false;
    }

    private List<Reservation> overlapping(int protocol, IpAddress address, int port) {
        List<Reservation> list = reservations.get(key(protocol, port));
        if (list == null) {
            return List.of();
        }
        List<Reservation> out = new ArrayList<>(list.size());
        for (Reservation r : list) {
            if (overlaps(r.address, address)) {
                out.add(r);
            }
        }
        return out;
    }

    private static boolean overlaps(IpAddress a, IpAddress b) {
        if (a.isV4() != b.isV4()) {
            return a.equals(IpAddress.IPV6_ANY) || b.equals(IpAddress.IPV6_ANY);
        }
        return a.isUnspecified() || b.isUnspecified() || a.equals(b);
    }

    private void add(int protocol, int port, Reservation r) {
        reservations.computeIfAbsent(key(protocol, port), k -> new ArrayList<>(1)).add(r);
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
     * RFC 6056 §3.3.3's F() and G(): a cryptographic hash over the connection identifiers and a
     * secret key. MD5 is what the RFC suggests; unpredictability, not collision resistance, matters.
     */
    private static int keyedHash(byte[] key, IpAddress local, IpAddress remote, int remotePort) {
        MessageDigest md5 = md5();
        md5.update(key);
        md5.update(local.toByteArray());
        md5.update(remote.toByteArray());
        md5.update((byte) (remotePort >>> 8));
        md5.update((byte) remotePort);
        md5.update(key);
        return ByteBuffer.wrap(md5.digest()).getInt();
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every Java platform must provide MD5", e);
        }
    }

    private enum Kind { BOUND, CONNECTED }

    private record Reservation(IpAddress address, Kind kind, boolean reuseAddress) {
    }
}
