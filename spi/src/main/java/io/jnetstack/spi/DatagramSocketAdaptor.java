package io.jnetstack.spi;

import io.jnetstack.transport.udp.UdpEndpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.IllegalBlockingModeException;
import java.util.Set;

/**
 * The {@link DatagramSocket} that {@link JnetstackDatagramChannel#socket()} returns: every public
 * method works on the channel, with the JDK adaptor's exceptions. Sends and receives need the
 * channel in blocking mode; a receive waits at most {@link #getSoTimeout()} milliseconds.
 */
final class DatagramSocketAdaptor extends DatagramSocket {
    private final JnetstackDatagramChannel channel;
    private final AdaptorTimeout timeout;

    DatagramSocketAdaptor(JnetstackDatagramChannel channel) {
        super(new UnusedDatagramSocketImpl());
        this.channel = channel;
        this.timeout = new AdaptorTimeout(channel);
    }

    @Override
    public void bind(SocketAddress local) throws SocketException {
        SocketAddress checked = local == null ? null : Addresses.asInetSocketAddress(local);
        try {
            channel.bind(checked);
        } catch (Exception x) {
            throw SocketExceptions.translate(x);
        }
    }

    @Override
    public void connect(InetAddress address, int port) {
        if (address == null) {
            throw new IllegalArgumentException("Address can't be null");
        }
        try {
            connect(new InetSocketAddress(address, port));
        } catch (SocketException x) {
            throw new UncheckedIOException(x);
        }
    }

    @Override
    public void connect(SocketAddress remote) throws SocketException {
        if (remote == null) {
            throw new IllegalArgumentException("Address can't be null");
        }
        InetSocketAddress checked = Addresses.asInetSocketAddress(remote);
        try {
            channel.connect(checked, false); // DatagramSocket.connect replaces a previous connection
        } catch (ClosedChannelException e) {
            // DatagramSocket.connect on a closed socket does nothing, as in the JDK's adaptor
        } catch (Exception x) {
            throw SocketExceptions.translate(x);
        }
    }

    @Override
    public void disconnect() {
        try {
            channel.disconnect();
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
    }

    @Override
    public boolean isBound() {
        return channel.endpoint().isBound();
    }

    @Override
    public boolean isConnected() {
        return channel.endpoint().isConnected();
    }

    @Override
    public InetAddress getInetAddress() {
        return Addresses.addressOf(remote());
    }

    @Override
    public int getPort() {
        return Addresses.portOf(remote(), -1);
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        return remote();
    }

    private InetSocketAddress remote() {
        UdpEndpoint e = channel.endpoint();
        return e.isConnected() ? Addresses.toSocketAddress(e.remoteAddress(), e.remotePort()) : null;
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        UdpEndpoint e = channel.endpoint();
        if (isClosed() || !e.isBound()) {
            return null;
        }
        return Addresses.toSocketAddress(e.localAddress(), e.localPort());
    }

    @Override
    public InetAddress getLocalAddress() {
        if (isClosed()) {
            return null;
        }
        SocketAddress local = getLocalSocketAddress();
        return local == null ? new InetSocketAddress(0).getAddress() : ((InetSocketAddress) local).getAddress();
    }

    @Override
    public int getLocalPort() {
        if (isClosed()) {
            return -1;
        }
        UdpEndpoint e = channel.endpoint();
        return e.isBound() ? e.localPort() : 0;
    }

    @Override
    public void send(DatagramPacket p) throws IOException {
        ByteBuffer data;
        SocketAddress target;
        synchronized (p) {
            data = ByteBuffer.wrap(p.getData(), p.getOffset(), p.getLength()).slice();
            if (p.getAddress() == null) {
                InetSocketAddress remote = remote();
                if (remote == null) {
                    throw new IllegalArgumentException("Address not set");
                }
                p.setAddress(remote.getAddress());
                p.setPort(remote.getPort());
                target = remote;
            } else {
                target = p.getSocketAddress();
            }
        }
        if (!channel.isBlocking()) {
            throw new IllegalBlockingModeException();
        }
        try {
            channel.send(data, target);
        } catch (AlreadyConnectedException e) {
            throw new IllegalArgumentException("Connected and packet address differ");
        } catch (ClosedChannelException e) {
            throw (SocketException) new SocketException("Socket closed").initCause(e);
        }
    }

    /**
     * Receives into the packet's buffer. The packet's length becomes the datagram's, through
     * {@link DatagramPacket#setLength}, which also shrinks what the next receive into the same
     * packet may take (the JDK's adaptor can keep the buffer length apart; public API cannot).
     */
    @Override
    public void receive(DatagramPacket p) throws IOException {
        if (!channel.isBlocking()) {
            throw new IllegalBlockingModeException();
        }
        UdpEndpoint.Datagram d;
        try {
            d = channel.receiveDatagram(timeout.nanos());
        } catch (ClosedChannelException e) {
            throw (SocketException) new SocketException("Socket closed").initCause(e);
        }
        if (d == null) { // the channel turned non-blocking since the check above
            throw new SocketTimeoutException("Receive timed out");
        }
        synchronized (p) {
            int n = Math.min(d.data().length, p.getLength());
            System.arraycopy(d.data(), 0, p.getData(), p.getOffset(), n);
            p.setLength(n);
            p.setSocketAddress(channel.senderOf(d));
        }
    }

    @Override
    public void setSoTimeout(int millis) throws SocketException {
        timeout.set(millis);
    }

    @Override
    public int getSoTimeout() throws SocketException {
        return timeout.get();
    }

    @Override
    public void setSendBufferSize(int size) throws SocketException {
        AdaptorOptions.setBufferSize(channel, StandardSocketOptions.SO_SNDBUF, size, "Invalid send size");
    }

    @Override
    public int getSendBufferSize() throws SocketException {
        return AdaptorOptions.get(channel, StandardSocketOptions.SO_SNDBUF);
    }

    @Override
    public void setReceiveBufferSize(int size) throws SocketException {
        AdaptorOptions.setBufferSize(channel, StandardSocketOptions.SO_RCVBUF, size, "Invalid receive size");
    }

    @Override
    public int getReceiveBufferSize() throws SocketException {
        return AdaptorOptions.get(channel, StandardSocketOptions.SO_RCVBUF);
    }

    @Override
    public void setReuseAddress(boolean on) throws SocketException {
        AdaptorOptions.set(channel, StandardSocketOptions.SO_REUSEADDR, on);
    }

    @Override
    public boolean getReuseAddress() throws SocketException {
        return AdaptorOptions.get(channel, StandardSocketOptions.SO_REUSEADDR);
    }

    @Override
    public void setBroadcast(boolean on) throws SocketException {
        AdaptorOptions.set(channel, StandardSocketOptions.SO_BROADCAST, on);
    }

    @Override
    public boolean getBroadcast() throws SocketException {
        return AdaptorOptions.get(channel, StandardSocketOptions.SO_BROADCAST);
    }

    @Override
    public void setTrafficClass(int tc) throws SocketException {
        AdaptorOptions.set(channel, StandardSocketOptions.IP_TOS, tc);
    }

    @Override
    public int getTrafficClass() throws SocketException {
        return AdaptorOptions.get(channel, StandardSocketOptions.IP_TOS);
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
    }

    @Override
    public boolean isClosed() {
        return !channel.isOpen();
    }

    @Override
    public DatagramChannel getChannel() {
        return channel;
    }

    @Override
    public <T> DatagramSocket setOption(SocketOption<T> name, T value) throws IOException {
        channel.setOption(name, value);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException {
        return channel.getOption(name);
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return channel.supportedOptions();
    }

    /** As the JDK's adaptor: on {@code netIf}, else on IP_MULTICAST_IF's interface, else on the default one. */
    @Override
    public void joinGroup(SocketAddress mcastaddr, NetworkInterface netIf) throws IOException {
        InetAddress group = checkGroup(mcastaddr);
        NetworkInterface interf = netIf != null ? netIf : AdaptorOptions.get(channel, StandardSocketOptions.IP_MULTICAST_IF);
        if (isClosed()) {
            throw new SocketException("Socket is closed");
        }
        synchronized (this) {
            if (channel.membership(group, interf) != null) {
                SecurityChecks.checkMulticast(group);
                throw new SocketException("Already a member of group");
            }
            try {
                channel.joinOn(group, interf, null);
            } catch (ClosedChannelException e) {
                throw (SocketException) new SocketException("Socket is closed").initCause(e);
            }
        }
    }

    @Override
    public void leaveGroup(SocketAddress mcastaddr, NetworkInterface netIf) throws IOException {
        InetAddress group = checkGroup(mcastaddr);
        NetworkInterface interf = netIf != null ? netIf : AdaptorOptions.get(channel, StandardSocketOptions.IP_MULTICAST_IF);
        if (isClosed()) {
            throw new SocketException("Socket is closed");
        }
        SecurityChecks.checkMulticast(group);
        synchronized (this) {
            JnetstackMembershipKey key = channel.membership(group, interf);
            if (key == null) {
                throw new SocketException("Not a member of group");
            }
            key.drop();
        }
    }

    private static InetAddress checkGroup(SocketAddress mcastaddr) {
        if (!(mcastaddr instanceof InetSocketAddress isa)) {
            throw new IllegalArgumentException("Unsupported address type");
        }
        InetAddress group = isa.getAddress();
        if (group == null) {
            throw new IllegalArgumentException("Unresolved address");
        }
        if (!group.isMulticastAddress()) {
            throw new IllegalArgumentException("Group not a multicast address");
        }
        return group;
    }
}
