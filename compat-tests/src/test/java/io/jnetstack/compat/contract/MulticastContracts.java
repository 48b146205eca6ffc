package io.jnetstack.compat.contract;

import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.MembershipKey;
import java.nio.charset.StandardCharsets;

/**
 * IPv4 multicast on the loopback interface: DatagramChannel memberships (any-source and
 * source-specific keys, block, drop), the multicast options, MulticastSocket; and the refusal of
 * a broadcast without SO_BROADCAST. "Nothing arrived"
 * is shown by order, never by waiting: a unicast marker sent after the datagram that must not
 * arrive is what arrives (a loopback keeps the order; jnetstack's delivers on its own thread, so
 * only once the marker is in has the datagram before it surely been dealt with).
 */
public final class MulticastContracts {
    private static final int RECEIVE_LIMIT_MILLIS = 10_000;

    private MulticastContracts() {
    }

    private static InetAddress group() throws Exception {
        return InetAddress.getByName("239.255.77.7");
    }

    /** IPv4's loopback address whichever loopback the suite runs over: these are IPv4 groups. */
    private static InetAddress ipv4Loopback() throws Exception {
        return InetAddress.getByName("127.0.0.1");
    }

    private static NetworkInterface loopback() throws Exception {
        return NetworkInterface.getByInetAddress(ipv4Loopback());
    }

    /** A channel bound to {@code port} of every address, sharing it (SO_REUSEADDR), that joined the group on the loopback interface. */
    private static DatagramChannel member(int port) throws Exception {
        DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET);
        ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        ch.bind(new InetSocketAddress(port));
        ch.join(group(), loopback());
        return ch;
    }

    private static DatagramChannel sender() throws Exception {
        DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET);
        ch.setOption(StandardSocketOptions.IP_MULTICAST_IF, loopback());
        return ch;
    }

    private static void send(DatagramChannel sender, String text, int port) throws Exception {
        sender.send(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), new InetSocketAddress(group(), port));
    }

    /** The next datagram's text, waiting at most {@link #RECEIVE_LIMIT_MILLIS}. */
    private static String receive(DatagramChannel ch) throws Exception {
        ch.socket().setSoTimeout(RECEIVE_LIMIT_MILLIS);
        DatagramPacket p = new DatagramPacket(new byte[64], 64);
        ch.socket().receive(p);
        return new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
    }

    /** Sends a unicast "marker" to {@code member}'s port and checks it is what {@code member} receives next. */
    private static void expectMarkerNext(DatagramChannel sender, DatagramChannel member) throws Exception {
        int port = ((InetSocketAddress) member.getLocalAddress()).getPort();
        sender.send(ByteBuffer.wrap("marker".getBytes(StandardCharsets.UTF_8)), new InetSocketAddress(ipv4Loopback(), port));
        Check.equal("marker", receive(member), "nothing arrived before the marker");
    }

    private static int freePort() throws Exception {
        try (DatagramChannel probe = DatagramChannel.open(StandardProtocolFamily.INET)) {
            probe.bind(new InetSocketAddress(0));
            return ((InetSocketAddress) probe.getLocalAddress()).getPort();
        }
    }

    @Contract
    public static void theMulticastOptionsStartAsTheJdksDo() throws Exception {
        try (DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET)) {
            Check.equal(null, ch.getOption(StandardSocketOptions.IP_MULTICAST_IF), "IP_MULTICAST_IF");
            Check.equal(1, ch.getOption(StandardSocketOptions.IP_MULTICAST_TTL), "IP_MULTICAST_TTL");
            Check.equal(true, ch.getOption(StandardSocketOptions.IP_MULTICAST_LOOP), "IP_MULTICAST_LOOP");
            ch.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 9);
            Check.equal(9, ch.getOption(StandardSocketOptions.IP_MULTICAST_TTL), "IP_MULTICAST_TTL set");
            ch.setOption(StandardSocketOptions.IP_MULTICAST_IF, loopback());
            Check.equal(loopback(), ch.getOption(StandardSocketOptions.IP_MULTICAST_IF), "IP_MULTICAST_IF set");
            Check.thrown(IllegalArgumentException.class, () -> ch.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 256));
        }
    }

    @Contract
    public static void everyMemberSharingThePortReceivesTheGroupsDatagram() throws Exception {
        int port = freePort();
        try (DatagramChannel first = member(port); DatagramChannel second = member(port); DatagramChannel sender = sender()) {
            send(sender, "to all", port);
            Check.equal("to all", receive(first), "first member");
            Check.equal("to all", receive(second), "second member");
        }
    }

    @Contract
    public static void membershipKeysAreKeptAndCheckedAsTheJdkDoes() throws Exception {
        try (DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET)) {
            MembershipKey key = ch.join(group(), loopback());
            Check.isTrue(key == ch.join(group(), loopback()), "joining again returns the same key");
            Check.isTrue(key.isValid() && key.channel() == ch && key.group().equals(group()), "valid, its channel and group");
            Check.equal(null, key.sourceAddress(), "any-source");
            Check.thrown(IllegalStateException.class, "Already have source-specific membership",
                    () -> ch.join(group(), loopback(), ipv4Loopback()));
            Check.thrown(IllegalArgumentException.class, "Group not a multicast address", () -> ch.join(ipv4Loopback(), loopback()));
            Check.thrown(IllegalArgumentException.class, "Source address is a wildcard address",
                    () -> key.block(InetAddress.getByName("0.0.0.0")));
            Check.thrown(IllegalStateException.class, "not blocked", () -> key.unblock(ipv4Loopback()));
            key.drop();
            Check.isTrue(!key.isValid(), "a dropped key is invalid");
            MembershipKey specific = ch.join(group(), loopback(), ipv4Loopback());
            Check.thrown(IllegalStateException.class, "key is source-specific", () -> specific.block(ipv4Loopback()));
            Check.thrown(IllegalStateException.class, "Already a member to receive all packets", () -> ch.join(group(), loopback()));
            ch.close();
            Check.isTrue(!specific.isValid(), "closing the channel invalidates its keys");
        }
    }

    @Contract
    public static void aBlockedSourceIsNotReceivedUntilUnblocked() throws Exception {
        int port = freePort();
        try (DatagramChannel member = DatagramChannel.open(StandardProtocolFamily.INET); DatagramChannel sender = sender()) {
            member.bind(new InetSocketAddress(port));
            MembershipKey key = member.join(group(), loopback());
            key.block(ipv4Loopback());
            send(sender, "blocked", port);
            expectMarkerNext(sender, member);
            key.unblock(ipv4Loopback());
            send(sender, "after", port);
            Check.equal("after", receive(member), "unblocked");
        }
    }

    @Contract
    public static void aDroppedMembershipReceivesNothingMore() throws Exception {
        int port = freePort();
        try (DatagramChannel member = DatagramChannel.open(StandardProtocolFamily.INET); DatagramChannel sender = sender()) {
            member.bind(new InetSocketAddress(port));
            member.join(group(), loopback()).drop();
            send(sender, "while out", port);
            expectMarkerNext(sender, member);
            member.join(group(), loopback());
            send(sender, "back in", port);
            Check.equal("back in", receive(member), "a member again");
        }
    }

    /** Only the refusal: with SO_BROADCAST the datagram would leave by the host's real network. */
    @Contract
    public static void aBroadcastWithoutSoBroadcastIsRefused() throws Exception {
        try (DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET)) {
            Check.thrown(SocketException.class, "Permission denied",
                    () -> ch.send(ByteBuffer.wrap(new byte[1]), new InetSocketAddress("255.255.255.255", freePort())));
        }
    }

    @Contract
    public static void aMulticastSocketCarriesItsOptions() throws Exception {
        try (MulticastSocket socket = new MulticastSocket(0)) {
            Check.equal(1, socket.getTimeToLive(), "TTL");
            Check.isTrue(!socket.getLoopbackMode(), "loopback not disabled");
            Check.equal(InetAddress.getByName("0.0.0.0"), socket.getInterface(), "no interface set");
            socket.setTimeToLive(5);
            Check.equal(5, socket.getTimeToLive(), "TTL set");
            socket.setLoopbackMode(true);
            Check.isTrue(socket.getLoopbackMode(), "loopback disabled");
            Check.isTrue(!socket.getOption(StandardSocketOptions.IP_MULTICAST_LOOP), "IP_MULTICAST_LOOP off with it");
            socket.setInterface(ipv4Loopback());
            Check.equal(ipv4Loopback(), socket.getInterface(), "interface by address");
            Check.equal(loopback(), socket.getNetworkInterface(), "its network interface");
            Check.thrown(SocketException.class, "Not a multicast address", () -> socket.joinGroup(ipv4Loopback()));
            Check.thrown(IllegalArgumentException.class, () -> socket.setTimeToLive(256));
            socket.close();
            Check.thrown(SocketException.class, "Socket is closed", socket::getTimeToLive);
        }
    }

    @Contract
    public static void multicastSocketsJoinSendAndReceive() throws Exception {
        int port = freePort();
        InetSocketAddress group = new InetSocketAddress(group(), port);
        try (MulticastSocket first = new MulticastSocket(port); MulticastSocket second = new MulticastSocket(port);
             MulticastSocket sender = new MulticastSocket()) {
            first.joinGroup(group, loopback());
            second.joinGroup(group, loopback());
            Check.thrown(SocketException.class, "Already a member of group", () -> first.joinGroup(group, loopback()));
            sender.setNetworkInterface(loopback());
            Check.equal(1, sender.getTimeToLive(), "TTL");
            byte[] hello = "hello group".getBytes(StandardCharsets.UTF_8);
            sender.send(new DatagramPacket(hello, hello.length, group));
            for (MulticastSocket receiver : new MulticastSocket[] {first, second}) {
                receiver.setSoTimeout(RECEIVE_LIMIT_MILLIS);
                DatagramPacket p = new DatagramPacket(new byte[64], 64);
                receiver.receive(p);
                Check.equal("hello group", new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8), "received");
            }
            first.leaveGroup(group, loopback());
            Check.thrown(SocketException.class, "Not a member of group", () -> first.leaveGroup(group, loopback()));
        }
    }
}
