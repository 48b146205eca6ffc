package io.jnetstack.spi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocketImpl;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.net.SocketOptions;
import java.net.StandardSocketOptions;
import java.util.Set;

/**
 * What {@code new DatagramSocket()} and {@code new MulticastSocket()} run on once
 * {@link JavaNetSockets} installed its factory: one jnetstack datagram channel driven through its
 * socket adaptor (SO_TIMEOUT, the JDK's exceptions). The JDK's DatagramSocket in front keeps the
 * connected state and checks the arguments, as with the JDK's own implementation.
 */
final class JnetstackDatagramSocketImpl extends DatagramSocketImpl {
    /** Room for any UDP payload over IPv4, for a datagram peeked at before the caller's packet takes it. */
    private static final int LARGEST_DATAGRAM = 65_507;

    private final JnetstackSelectorProvider provider;
    private DatagramSocketAdaptor socket;
    /** A datagram peekData took off the channel; the next receive or peek gets it first. */
    private DatagramPacket peeked;
    /** The address MulticastSocket.setInterface named, reported back as given (as the JDK's adaptor does); null if none. */
    private InetAddress multicastInterfaceAddress;

    JnetstackDatagramSocketImpl(JnetstackSelectorProvider provider) {
        this.provider = provider;
    }

    @Override
    protected void create() throws SocketException {
        try {
            socket = (DatagramSocketAdaptor) provider.openDatagramChannel().socket();
        } catch (IOException e) {
            throw SocketExceptions.translate(e);
        }
    }

    private DatagramSocketAdaptor socket() throws SocketException {
        if (socket == null) {
            throw new SocketException("Socket is not created");
        }
        return socket;
    }

    @Override
    protected void bind(int port, InetAddress address) throws SocketException {
        socket().bind(new InetSocketAddress(address, port));
        localPort = socket.getLocalPort();
    }

    /**
     * Connects the channel, which from then on takes datagrams from its peer only; DatagramSocket's
     * own filtering stays off (its dataAvailable is 0 for implementations outside java.net).
     */
    @Override
    protected void connect(InetAddress address, int port) throws SocketException {
        try {
            socket().connect(address, port);
        } catch (UncheckedIOException e) {
            throw SocketExceptions.translate(e.getCause());
        }
        peeked = null; // a datagram from before the connect may come from anyone; the channel's filter never saw it
        localPort = socket.getLocalPort();
    }

    @Override
    protected void disconnect() {
        if (socket != null) {
            socket.disconnect();
        }
    }

    @Override
    protected void send(DatagramPacket p) throws IOException {
        socket().send(p);
    }

    @Override
    protected synchronized void receive(DatagramPacket p) throws IOException {
        if (peeked != null) {
            copy(peeked, p);
            peeked = null;
            return;
        }
        socket().receive(p);
    }

    /** Leaves the datagram to the next receive: DatagramSocket peeks to ask a security manager about its sender. */
    @Override
    protected synchronized int peekData(DatagramPacket p) throws IOException {
        if (peeked == null) {
            DatagramPacket next = new DatagramPacket(new byte[LARGEST_DATAGRAM], LARGEST_DATAGRAM);
            socket().receive(next);
            peeked = next;
        }
        copy(peeked, p);
        return peeked.getPort();
    }

    /**
     * An InetAddress cannot be changed, so the sender's address cannot be reported through this
     * old method; DatagramSocket calls it only for implementations without {@link #peekData}.
     */
    @Override
    protected int peek(InetAddress sender) throws IOException {
        throw new SocketException("jnetstack: peek(InetAddress) cannot report the sender; use peekData");
    }

    private static void copy(DatagramPacket from, DatagramPacket to) {
        synchronized (to) {
            int n = Math.min(from.getLength(), to.getLength());
            System.arraycopy(from.getData(), from.getOffset(), to.getData(), to.getOffset(), n);
            to.setLength(n);
            to.setSocketAddress(from.getSocketAddress());
        }
    }

    @Override
    protected void setTimeToLive(int ttl) throws SocketException {
        AdaptorOptions.set(socket().getChannel(), StandardSocketOptions.IP_MULTICAST_TTL, ttl);
    }

    @Override
    protected int getTimeToLive() throws SocketException {
        return AdaptorOptions.get(socket().getChannel(), StandardSocketOptions.IP_MULTICAST_TTL);
    }

    @Override
    @Deprecated
    protected void setTTL(byte ttl) throws SocketException {
        setTimeToLive(ttl & 0xff);
    }

    @Override
    @Deprecated
    protected byte getTTL() throws SocketException {
        return (byte) getTimeToLive();
    }

    @Override
    protected void join(InetAddress group) throws IOException {
        joinGroup(new InetSocketAddress(group, 0), null);
    }

    @Override
    protected void leave(InetAddress group) throws IOException {
        leaveGroup(new InetSocketAddress(group, 0), null);
    }

    @Override
    protected void joinGroup(SocketAddress group, NetworkInterface netIf) throws IOException {
        socket().joinGroup(group, netIf);
    }

    @Override
    protected void leaveGroup(SocketAddress group, NetworkInterface netIf) throws IOException {
        socket().leaveGroup(group, netIf);
    }

    @Override
    protected void close() {
        if (socket != null) {
            socket.close();
        }
    }

    @Override
    public void setOption(int id, Object value) throws SocketException {
        DatagramSocketAdaptor s = socket();
        switch (id) {
            case SocketOptions.SO_TIMEOUT -> s.setSoTimeout((Integer) value);
            case SocketOptions.SO_SNDBUF -> s.setSendBufferSize((Integer) value);
            case SocketOptions.SO_RCVBUF -> s.setReceiveBufferSize((Integer) value);
            case SocketOptions.SO_REUSEADDR -> s.setReuseAddress((Boolean) value);
            case SocketOptions.SO_BROADCAST -> s.setBroadcast((Boolean) value);
            case SocketOptions.IP_TOS -> s.setTrafficClass((Integer) value);
            case SocketOptions.IP_MULTICAST_IF -> {
                setMulticastInterface(interfaceOf((InetAddress) value));
                multicastInterfaceAddress = (InetAddress) value;
            }
            case SocketOptions.IP_MULTICAST_IF2 -> {
                setMulticastInterface((NetworkInterface) value);
                multicastInterfaceAddress = null;
            }
            // The old option says whether loopback is disabled (MulticastSocket.setLoopbackMode).
            case SocketOptions.IP_MULTICAST_LOOP -> AdaptorOptions.set(s.getChannel(), StandardSocketOptions.IP_MULTICAST_LOOP,
                    !(Boolean) value);
            default -> throw new SocketException("Unknown option " + id);
        }
    }

    @Override
    public Object getOption(int id) throws SocketException {
        DatagramSocketAdaptor s = socket();
        return switch (id) {
            case SocketOptions.SO_TIMEOUT -> s.getSoTimeout();
            case SocketOptions.SO_SNDBUF -> s.getSendBufferSize();
            case SocketOptions.SO_RCVBUF -> s.getReceiveBufferSize();
            case SocketOptions.SO_REUSEADDR -> s.getReuseAddress();
            case SocketOptions.SO_BROADCAST -> s.getBroadcast();
            case SocketOptions.IP_TOS -> s.getTrafficClass();
            case SocketOptions.SO_BINDADDR -> s.getLocalAddress();
            case SocketOptions.IP_MULTICAST_IF -> {
                if (multicastInterfaceAddress != null) {
                    yield multicastInterfaceAddress;
                }
                NetworkInterface interf = AdaptorOptions.get(s.getChannel(), StandardSocketOptions.IP_MULTICAST_IF);
                var addresses = interf == null ? null : interf.inetAddresses().filter(a -> a instanceof Inet4Address).findFirst();
                yield addresses != null && addresses.isPresent() ? addresses.get() : new InetSocketAddress(0).getAddress();
            }
            case SocketOptions.IP_MULTICAST_IF2 -> AdaptorOptions.get(s.getChannel(), StandardSocketOptions.IP_MULTICAST_IF);
            case SocketOptions.IP_MULTICAST_LOOP -> !AdaptorOptions.get(s.getChannel(), StandardSocketOptions.IP_MULTICAST_LOOP);
            default -> throw new SocketException("Unknown option " + id);
        };
    }

    private void setMulticastInterface(NetworkInterface interf) throws SocketException {
        AdaptorOptions.set(socket().getChannel(), StandardSocketOptions.IP_MULTICAST_IF, interf);
    }

    /** The host's interface with {@code address}, as MulticastSocket.setInterface names one. */
    private static NetworkInterface interfaceOf(InetAddress address) throws SocketException {
        NetworkInterface interf = NetworkInterface.getByInetAddress(address);
        if (interf == null) {
            throw new SocketException("No network interface with address " + address.getHostAddress());
        }
        return interf;
    }

    @Override
    protected <T> void setOption(SocketOption<T> name, T value) throws IOException {
        socket().setOption(name, value);
    }

    @Override
    protected <T> T getOption(SocketOption<T> name) throws IOException {
        return socket().getOption(name);
    }

    @Override
    protected Set<SocketOption<?>> supportedOptions() {
        return socket != null ? socket.supportedOptions() : JnetstackDatagramChannel.OPTIONS;
    }
}
