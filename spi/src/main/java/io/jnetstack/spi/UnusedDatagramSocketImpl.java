package io.jnetstack.spi;

import java.net.DatagramPacket;
import java.net.DatagramSocketImpl;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketException;

/**
 * The implementation {@link DatagramSocketAdaptor} hands to DatagramSocket's constructor, which
 * wants one; the adaptor overrides every public method, so none of these is ever called. Passing
 * a real one would open a kernel socket through the JDK's provider.
 */
final class UnusedDatagramSocketImpl extends DatagramSocketImpl {
    private static SocketException unused() {
        return SocketExceptions.noKernelSocket("datagram socket");
    }

    @Override
    protected void create() throws SocketException {
        throw unused();
    }

    @Override
    protected void bind(int lport, InetAddress laddr) throws SocketException {
        throw unused();
    }

    @Override
    protected void send(DatagramPacket p) throws SocketException {
        throw unused();
    }

    @Override
    protected int peek(InetAddress i) throws SocketException {
        throw unused();
    }

    @Override
    protected int peekData(DatagramPacket p) throws SocketException {
        throw unused();
    }

    @Override
    protected void receive(DatagramPacket p) throws SocketException {
        throw unused();
    }

    @Override
    @Deprecated
    protected void setTTL(byte ttl) throws SocketException {
        throw unused();
    }

    @Override
    @Deprecated
    protected byte getTTL() throws SocketException {
        throw unused();
    }

    @Override
    protected void setTimeToLive(int ttl) throws SocketException {
        throw unused();
    }

    @Override
    protected int getTimeToLive() throws SocketException {
        throw unused();
    }

    @Override
    protected void join(InetAddress inetaddr) throws SocketException {
        throw unused();
    }

    @Override
    protected void leave(InetAddress inetaddr) throws SocketException {
        throw unused();
    }

    @Override
    protected void joinGroup(SocketAddress mcastaddr, NetworkInterface netIf) throws SocketException {
        throw unused();
    }

    @Override
    protected void leaveGroup(SocketAddress mcastaddr, NetworkInterface netIf) throws SocketException {
        throw unused();
    }

    @Override
    protected void close() {
    }

    @Override
    public void setOption(int optID, Object value) throws SocketException {
        throw unused();
    }

    @Override
    public Object getOption(int optID) throws SocketException {
        throw unused();
    }
}
