package io.jnetstack.compat.programs;

import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.NetworkInterface;
import java.nio.channels.spi.SelectorProvider;
import java.nio.charset.StandardCharsets;

/**
 * A MulticastSocket sender and two MulticastSocket receivers sharing a port, on the host's
 * loopback interface: COUNT datagrams to a group, each receiver prints how many it got and the
 * last one's text. Argument: COUNT.
 */
public final class MulticastGroup {
    private MulticastGroup() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("provider " + SelectorProvider.provider().getClass().getName());
        int count = Integer.parseInt(args[0]);
        NetworkInterface loopback = NetworkInterface.getByInetAddress(InetAddress.getLoopbackAddress());
        try (MulticastSocket first = new MulticastSocket(0)) {
            int port = first.getLocalPort();
            InetSocketAddress group = new InetSocketAddress(InetAddress.getByName("239.255.77.9"), port);
            try (MulticastSocket second = new MulticastSocket(port); MulticastSocket sender = new MulticastSocket()) {
                first.joinGroup(group, loopback);
                second.joinGroup(group, loopback);
                sender.setNetworkInterface(loopback);
                for (int i = 1; i <= count; i++) {
                    byte[] text = ("datagram " + i).getBytes(StandardCharsets.UTF_8);
                    sender.send(new DatagramPacket(text, text.length, group));
                }
                for (MulticastSocket receiver : new MulticastSocket[] {first, second}) {
                    receiver.setSoTimeout(30_000);
                    String last = null;
                    for (int i = 0; i < count; i++) {
                        DatagramPacket p = new DatagramPacket(new byte[64], 64);
                        receiver.receive(p);
                        last = new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
                    }
                    System.out.println("receiver got " + count + ", the last: " + last);
                }
            }
        }
    }
}
