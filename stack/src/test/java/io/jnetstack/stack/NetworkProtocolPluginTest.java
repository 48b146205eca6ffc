package io.jnetstack.stack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jnetstack.address.IpAddress;
import io.jnetstack.address.IpSubnet;
import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.header.EthernetHeader;
import io.jnetstack.header.Ipv4Header;
import io.jnetstack.link.LoopbackLink;
import io.jnetstack.network.Ipv4Protocol;
import io.jnetstack.network.NetworkProtocols;
import io.jnetstack.testing.ManualExecutor;
import io.jnetstack.testing.TwoStacks;
import io.jnetstack.time.ManualClock;
import java.net.NoRouteToHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Network protocols are plug-ins: a NIC hands a frame to whatever is registered for its EtherType,
 * a route sends through whatever is registered for its remote address's family, and a stack has
 * only what its builder was given.
 */
class NetworkProtocolPluginTest {
    /** IEEE 802 "local experimental" EtherType: no real protocol uses it. */
    private static final int EXPERIMENTAL_ETHERTYPE = 0x88b5;
    private static final byte[] PAYLOAD = {1, 2, 3};

    private record Received(Nic nic, byte[] bytes, boolean linkUnicast) {
    }

    /** Records what it receives; an {@link InternetProtocol} of 16-byte addresses when asked. */
    private static class RecordingProtocol implements NetworkProtocol {
        final int etherType;
        final List<Received> received = new ArrayList<>();

        RecordingProtocol(int etherType) {
            this.etherType = etherType;
        }

        @Override
        public int etherType() {
            return etherType;
        }

        @Override
        public void attach(NetworkHost host) {
        }

        @Override
        public void handlePacket(Nic nic, PacketBuffer packet, boolean linkUnicast) {
            byte[] bytes = new byte[packet.length()];
            packet.copyTo(0, bytes, 0, bytes.length);
            received.add(new Received(nic, bytes, linkUnicast));
        }
    }

    /** Stands in for IPv6: a one-byte header holding the version, 6, in its high nibble. */
    private static final class SixProtocol extends RecordingProtocol implements InternetProtocol {
        static final int HEADER = 0x60;
        final List<IpAddress> sentFromTo = new ArrayList<>();

        SixProtocol() {
            super(EthernetHeader.TYPE_IPV6);
        }

        @Override
        public int addressLength() {
            return 16;
        }

        @Override
        public int headerLength() {
            return 1;
        }

        @Override
        public int maxTransportPacket(int mtu) {
            return mtu - headerLength();
        }

        @Override
        public int pseudoHeaderChecksum(IpAddress local, IpAddress remote, int protocol, int length) {
            return 0;
        }

        @Override
        public void send(Nic nic, IpAddress local, IpAddress remote, IpAddress nextHop, int protocol,
                         PacketBuffer packet, int ttl, boolean dontFragment) {
            sentFromTo.add(local);
            sentFromTo.add(remote);
            packet.array()[packet.prepend(headerLength())] = (byte) HEADER;
            nic.writePacket(nextHop, etherType(), packet);
        }
    }

    private static PacketBuffer payload(int headroom) {
        PacketBuffer p = PacketBuffer.allocate(headroom, PAYLOAD.length);
        System.arraycopy(PAYLOAD, 0, p.array(), p.offset(), PAYLOAD.length);
        return p;
    }

    @Test
    void aNicHandsAFrameToTheProtocolRegisteredForItsEtherType() {
        RecordingProtocol experimental = new RecordingProtocol(EXPERIMENTAL_ETHERTYPE);
        try (TwoStacks net = TwoStacks.builder().stackOptions(b -> b.network(experimental)).build()) {
            net.nicA.transmit(net.pipe.b().linkAddress(), EXPERIMENTAL_ETHERTYPE, payload(EthernetHeader.LENGTH));
            net.settle();

            assertEquals(1, experimental.received.size());
            Received r = experimental.received.get(0);
            assertSame(net.nicB, r.nic());
            assertArrayEquals(PAYLOAD, r.bytes());
            assertEquals(true, r.linkUnicast());
        }
    }

    @Test
    void aRouteSendsThroughTheProtocolOfItsRemoteAddressesFamily() throws Exception {
        SixProtocol six = new SixProtocol();
        ManualExecutor wire = new ManualExecutor();
        try (Stack stack = Stack.builder().network(NetworkProtocols.ipv4()).network(six).clock(new ManualClock())
                .sameThreadProcessors().build()) {
            Nic lo = stack.createNic("lo", new LoopbackLink(LoopbackLink.DEFAULT_MTU, wire));
            lo.addAddress(IpSubnet.parse("127.0.0.1/8"));
            lo.addAddress(new IpSubnet(IpAddress.IPV6_LOOPBACK, 128));

            Route route = stack.findRoute(0, null, IpAddress.IPV6_LOOPBACK);
            assertEquals(LoopbackLink.DEFAULT_MTU - 1, route.maxTransportPacket());
            route.writePacket(17, payload(route.maxHeaderLength()), route.ttl(), false);
            wire.runPending();

            assertEquals(List.of(IpAddress.IPV6_LOOPBACK, IpAddress.IPV6_LOOPBACK), six.sentFromTo);
            assertEquals(1, six.received.size());
            assertSame(lo, six.received.get(0).nic());
            assertArrayEquals(new byte[] {SixProtocol.HEADER, 1, 2, 3}, six.received.get(0).bytes());
            assertEquals(Ipv4Header.MIN_LENGTH, stack.findRoute(0, null, IpAddress.IPV4_LOOPBACK).maxHeaderLength(),
                    "IPv4 routes keep IPv4");
        }
    }

    @Test
    void aStackWithoutNetworkProtocolsRoutesNothingAndCountsEveryFrameAsUnknown() {
        ManualExecutor wire = new ManualExecutor();
        try (Stack stack = Stack.builder().clock(new ManualClock()).sameThreadProcessors().build()) {
            Nic lo = stack.createNic("lo", new LoopbackLink(LoopbackLink.DEFAULT_MTU, wire));
            lo.addAddress(IpSubnet.parse("127.0.0.1/8"));

            assertThrows(NoRouteToHostException.class, () -> stack.findRoute(0, null, IpAddress.IPV4_LOOPBACK));
            PacketBuffer ipv4Looking = payload(0);
            ipv4Looking.array()[ipv4Looking.offset()] = 0x45;
            lo.transmit(lo.link().linkAddress(), EthernetHeader.TYPE_IPV4, ipv4Looking);
            wire.runPending();
            assertEquals(1, stack.stats().get(StackCounter.FRAMES_UNKNOWN_ETHERTYPE));
        }
    }

    @Test
    void aLaterRegistrationReplacesTheProtocolOfTheSameEtherType() {
        Ipv4Protocol configured = new Ipv4Protocol(TimeUnit.SECONDS.toNanos(1), 12_345);
        try (Stack stack = Stack.builder().network(NetworkProtocols.ipv4()).network(configured).build()) {
            assertSame(configured, stack.network(Ipv4Protocol.class));
            assertEquals(12_345, configured.reassembler().memoryLimitBytes());
        }
    }
}
