package io.jnetstack.compat.programs;

import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.nio.channels.spi.SelectorProvider;
import java.nio.charset.StandardCharsets;

/**
 * A MulticastSocket receiver: joins GROUP on the system's default interface at PORT, prints
 * "joined", then prints each of COUNT datagrams with its sender and exits; gives up (exit 1)
 * when one does not come within 30 seconds. Arguments: GROUP PORT COUNT.
 */
public final class MulticastReceive {
    private MulticastReceive() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("provider " + SelectorProvider.provider().getClass().getName());
        InetAddress group = InetAddress.getByName(args[0]);
        int port = Integer.parseInt(args[1]);
        int count = Integer.parseInt(args[2]);
        try (MulticastSocket receiver = new MulticastSocket(port)) {
            receiver.joinGroup(new InetSocketAddress(group, 0), null);
            receiver.setSoTimeout(30_000);
            System.out.println("joined " + group.getHostAddress() + " port " + port);
            for (int i = 1; i <= count; i++) {
                DatagramPacket p = new DatagramPacket(new byte[512], 512);
                receiver.receive(p);
                System.out.println("received from " + p.getAddress().getHostAddress() + ": "
                        + new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8));
            }
            receiver.leaveGroup(new InetSocketAddress(group, 0), null);
        }
    }
}
