package io.jnetstack.examples;

import io.jnetstack.address.IpAddress;
import io.jnetstack.address.IpSubnet;
import io.jnetstack.link.PipeLink;
import io.jnetstack.network.Icmpv4Protocol;
import io.jnetstack.network.Ipv4Protocol;
import io.jnetstack.network.NetworkProtocols;
import io.jnetstack.stack.LinkAddressCache;
import io.jnetstack.stack.Nic;
import io.jnetstack.stack.Stack;
import io.jnetstack.stack.StackCounter;
import io.jnetstack.transport.udp.UdpEndpoint;
import io.jnetstack.transport.udp.UdpProtocol;
import io.jnetstack.waiter.Events;
import io.jnetstack.waiter.WaiterEntry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Two stacks joined by an in-memory Ethernet cable: they resolve each other with ARP, ping each
 * other, and exchange UDP datagrams, printing what happens.
 */
public final class TwoStacksDemo {
    private static final IpAddress ALICE = IpAddress.parse("10.0.0.1");
    private static final IpAddress BOB = IpAddress.parse("10.0.0.2");
    private static final long TIMEOUT_SECONDS = 5;

    private TwoStacksDemo() {
    }

    public static void main(String[] args) throws Exception {
        UdpProtocol udpAlice = new UdpProtocol();
        UdpProtocol udpBob = new UdpProtocol();
        try (PipeLink.Pair cable = PipeLink.pair(1500);
                Stack alice = Stack.builder().network(NetworkProtocols.ipv4()).transport(udpAlice).build();
                Stack bob = Stack.builder().network(NetworkProtocols.ipv4()).transport(udpBob).build()) {
            Nic aliceNic = alice.createNic("eth0", cable.a());
            Nic bobNic = bob.createNic("eth0", cable.b());
            aliceNic.addAddress(new IpSubnet(ALICE, 24));
            bobNic.addAddress(new IpSubnet(BOB, 24));
            System.out.printf("alice %s at %s, bob %s at %s, joined by a 1500-byte in-memory cable%n",
                    ALICE, cable.a().linkAddress(), BOB, cable.b().linkAddress());

            ping(alice, BOB, 1);
            System.out.printf("ARP: alice knows bob at %s (%s); bob learnt alice at %s from her request%n",
                    aliceNic.neighbors().lookup(BOB), aliceNic.neighbors().state(BOB),
                    bobNic.neighbors().lookup(ALICE));
            ping(bob, ALICE, 2);

            UdpEndpoint bobSocket = udpBob.newEndpoint();
            bobSocket.bind(IpAddress.IPV4_ANY, 7000);
            UdpEndpoint aliceSocket = udpAlice.newEndpoint();
            aliceSocket.bind(ALICE, 6000);

            aliceSocket.send(text("hello bob"), BOB, 7000);
            UdpEndpoint.Datagram atBob = receive(bobSocket);
            System.out.printf("UDP: bob got \"%s\" from %s:%d%n", string(atBob), atBob.sourceAddress(), atBob.sourcePort());

            bobSocket.send(text("hello alice"), atBob.sourceAddress(), atBob.sourcePort());
            UdpEndpoint.Datagram atAlice = receive(aliceSocket);
            System.out.printf("UDP: alice got \"%s\" from %s:%d%n", string(atAlice), atAlice.sourceAddress(),
                    atAlice.sourcePort());

            byte[] big = new byte[60_000];
            aliceSocket.send(ByteBuffer.wrap(big), BOB, 7000);
            UdpEndpoint.Datagram bigAtBob = receive(bobSocket);
            System.out.printf("UDP: bob got a %d-byte datagram, sent as %d IPv4 fragments and reassembled%n",
                    bigAtBob.data().length, alice.stats().get(StackCounter.IPV4_FRAGMENTS_SENT));

            System.out.println("alice's counters: " + nonZero(alice));
            System.out.println("bob's counters:   " + nonZero(bob));
        }
    }

    private static void ping(Stack from, IpAddress to, int sequence) throws Exception {
        CountDownLatch replied = new CountDownLatch(1);
        long start = System.nanoTime();
        Icmpv4Protocol icmp = from.network(Ipv4Protocol.class).icmp();
        icmp.registerEchoListener(0x4a53, (source, seq, data, ttl) -> {
            System.out.printf("ping: %d bytes from %s: icmp_seq=%d ttl=%d time=%.3f ms%n", data.length, source, seq,
                    ttl, (System.nanoTime() - start) / 1e6);
            replied.countDown();
        });
        icmp.sendEchoRequest(from.findRoute(0, null, to), 0x4a53, sequence, new byte[56]);
        if (!replied.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            throw new IOException("no echo reply from " + to + " within " + TIMEOUT_SECONDS + " s");
        }
        icmp.unregisterEchoListener(0x4a53);
    }

    /** Waits on the endpoint's waiter queue (no polling) for the next datagram. */
    private static UdpEndpoint.Datagram receive(UdpEndpoint socket) throws Exception {
        BlockingQueue<Integer> events = new ArrayBlockingQueue<>(64);
        WaiterEntry entry = new WaiterEntry(Events.IN, events::offer);
        socket.waiterQueue().register(entry);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
            while (true) {
                UdpEndpoint.Datagram d = socket.receive();
                if (d != null) {
                    return d;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || events.poll(left, TimeUnit.NANOSECONDS) == null) {
                    throw new IOException("no datagram within " + TIMEOUT_SECONDS + " s");
                }
            }
        } finally {
            socket.waiterQueue().unregister(entry);
        }
    }

    private static ByteBuffer text(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String string(UdpEndpoint.Datagram d) {
        return new String(d.data(), StandardCharsets.UTF_8);
    }

    private static String nonZero(Stack stack) {
        StringBuilder sb = new StringBuilder();
        stack.stats().snapshot().forEach((counter, value) -> {
            if (value != 0) {
                sb.append(sb.length() == 0 ? "" : ", ").append(counter.name().toLowerCase()).append('=').append(value);
            }
        });
        return sb.toString();
    }
}
