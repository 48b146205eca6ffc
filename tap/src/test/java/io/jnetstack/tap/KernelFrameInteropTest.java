package io.jnetstack.tap;

import static io.jnetstack.tap.testing.KernelPeer.KERNEL_ADDRESS;
import static io.jnetstack.tap.testing.KernelPeer.STACK_ADDRESS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.address.LinkAddress;
import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.tap.testing.KernelPeer;
import io.jnetstack.tap.testing.KernelVectors;
import io.jnetstack.tap.testing.NamespaceProcess;
import io.jnetstack.tap.testing.TapPreconditions;
import io.jnetstack.tap.testing.TestFrames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * TapLink with the Linux kernel on the other end of the device, at the level of hand-built frames
 * (no stack involved): what we write reaches the kernel intact, and what the kernel sends reaches
 * the dispatcher intact. Run with {@code -Djnetstack.vectors.dir=...} to save the kernel's frames
 * as test vectors.
 */
class KernelFrameInteropTest {
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);
    private static final int ECHO_IDENTIFIER = 0x4a4e;
    private static final int ECHO_SEQUENCE = 7;

    /**
     * Offload off: these are the kernel's frames as a wire carries them, saved as test vectors. With
     * offload on, the kernel leaves its TCP and UDP checksums partial for the link to vouch for.
     */
    @RegisterExtension
    final KernelPeer peer = new KernelPeer(TapLink.DEFAULT_MTU, TapLink.Offload.OFF, 1);

    private LinkAddress ourMac() {
        return peer.link().linkAddress();
    }

    private void send(byte[] frame) {
        peer.link().writeFrame(PacketBuffer.wrap(frame, 0, frame.length));
    }

    private static void assertChecksumsValid(byte[] frame) {
        assertTrue(TestFrames.ipv4HeaderChecksumValid(frame), () -> "IPv4 header checksum of " + TestFrames.toHex(frame));
        assertTrue(TestFrames.transportChecksumValid(frame), () -> "transport checksum of " + TestFrames.toHex(frame));
    }

    /** Lets the kernel send IP to the stack's address without ARP (we do not answer ARP yet). */
    private void teachKernelOurMac() {
        peer.exec(COMMAND_TIMEOUT, "ip", "neigh", "replace", STACK_ADDRESS.getHostAddress(),
                "lladdr", ourMac().toString(), "dev", peer.deviceName(), "nud", "permanent").requireSuccess();
    }

    @Test
    void kernelAnswersOurArpRequest() throws Exception {
        byte[] request = TestFrames.arpRequest(ourMac(), STACK_ADDRESS, KERNEL_ADDRESS);
        send(request);

        byte[] reply = peer.frames().expectFrame("ARP reply", TestFrames.arpReplyFrom(KERNEL_ADDRESS), REPLY_TIMEOUT);
        assertEquals(ourMac(), TestFrames.destinationMac(reply));
        assertEquals(peer.kernelMac(), TestFrames.sourceMac(reply));
        assertEquals(peer.kernelMac(), TestFrames.arpSenderMac(reply));
        assertEquals(ourMac(), TestFrames.arpTargetMac(reply));
        assertEquals(STACK_ADDRESS, TestFrames.arpTargetIp(reply));

        TapStats stats = peer.link().stats();
        assertEquals(1, stats.sent().frames(), stats::toString);
        assertEquals(request.length, stats.sent().bytes(), stats::toString);
        assertTrue(stats.received().frames() >= 1 && stats.received().bytes() >= reply.length, stats::toString);
        assertEquals(0, stats.readErrors() + stats.writeErrors() + stats.dropped().frames(), stats::toString);
        KernelVectors.saveIfRequested("kernel-arp-reply.hex",
                "ARP reply: 198.18.0.1 is at the kernel's MAC, to our request from 198.18.0.2", reply);
    }

    @Test
    void kernelAnswersOurEchoRequest() throws Exception {
        // The kernel learns our MAC from our ARP request, so it can address the echo reply.
        send(TestFrames.arpRequest(ourMac(), STACK_ADDRESS, KERNEL_ADDRESS));
        peer.frames().expectFrame("ARP reply", TestFrames.arpReplyFrom(KERNEL_ADDRESS), REPLY_TIMEOUT);
        byte[] data = "jnetstack echo payload 0123456789".getBytes(StandardCharsets.US_ASCII);
        send(TestFrames.icmpEchoRequest(ourMac(), peer.kernelMac(), STACK_ADDRESS, KERNEL_ADDRESS,
                ECHO_IDENTIFIER, ECHO_SEQUENCE, data));

        byte[] reply = peer.frames().expectFrame("ICMP echo reply",
                TestFrames.icmpEcho(TestFrames.ICMP_ECHO_REPLY, STACK_ADDRESS), REPLY_TIMEOUT);
        assertEquals(KERNEL_ADDRESS, TestFrames.ipSource(reply));
        assertEquals(ECHO_IDENTIFIER, TestFrames.icmpIdentifier(reply));
        assertEquals(ECHO_SEQUENCE, TestFrames.icmpSequence(reply));
        assertArrayEquals(data, TestFrames.icmpEchoData(reply));
        assertChecksumsValid(reply);
        KernelVectors.saveIfRequested("kernel-icmp-echo-reply.hex",
                "ICMP echo reply 198.18.0.1 -> 198.18.0.2, id 0x4a4e seq 7, 33 bytes of data", reply);
    }

    @Test
    void kernelPingAsksForTheStackAddress() throws Exception {
        TapPreconditions.requireCommand("ping", "iputils-ping");
        try (NamespaceProcess ping = peer.spawn("ping", "-c", "1", "-W", "2", STACK_ADDRESS.getHostAddress())) {
            byte[] request = peer.frames().expectFrame("ARP request for " + STACK_ADDRESS,
                    TestFrames.arpRequestFor(STACK_ADDRESS), REPLY_TIMEOUT);
            assertEquals(LinkAddress.BROADCAST, TestFrames.destinationMac(request));
            assertEquals(peer.kernelMac(), TestFrames.arpSenderMac(request));
            assertEquals(KERNEL_ADDRESS, TestFrames.arpSenderIp(request));
            KernelVectors.saveIfRequested("kernel-arp-request.hex",
                    "ARP request: who has 198.18.0.2? tell 198.18.0.1 (from `ping 198.18.0.2`)", request);
        }
    }

    @Test
    void kernelPingSendsAValidEchoRequestOnceItKnowsOurMac() throws Exception {
        TapPreconditions.requireCommand("ping", "iputils-ping");
        teachKernelOurMac();
        try (NamespaceProcess ping = peer.spawn("ping", "-c", "1", "-W", "2", STACK_ADDRESS.getHostAddress())) {
            byte[] request = peer.frames().expectFrame("ICMP echo request",
                    TestFrames.icmpEcho(TestFrames.ICMP_ECHO_REQUEST, STACK_ADDRESS), REPLY_TIMEOUT);
            assertEquals(ourMac(), TestFrames.destinationMac(request));
            assertChecksumsValid(request);
            KernelVectors.saveIfRequested("kernel-icmp-echo-request.hex",
                    "ICMP echo request 198.18.0.1 -> 198.18.0.2 from `ping -c 1 198.18.0.2` (56 bytes of data)", request);
        }
    }

    @Test
    void kernelUdpDatagramArrivesIntact() throws Exception {
        TapPreconditions.requireCommand("socat", "socat");
        teachKernelOurMac();
        byte[] payload = "hello jnetstack over udp\n".getBytes(StandardCharsets.US_ASCII);
        peer.exec(COMMAND_TIMEOUT, payload, "socat", "-u", "STDIN",
                "UDP4-SENDTO:" + STACK_ADDRESS.getHostAddress() + ":9999,sourceport=40000").requireSuccess();

        byte[] datagram = peer.frames().expectFrame("UDP datagram to port 9999",
                TestFrames.udpTo(STACK_ADDRESS, 9999), REPLY_TIMEOUT);
        assertEquals(KERNEL_ADDRESS, TestFrames.ipSource(datagram));
        assertEquals(40000, TestFrames.sourcePort(datagram));
        assertArrayEquals(payload, TestFrames.udpPayload(datagram));
        assertChecksumsValid(datagram);
        KernelVectors.saveIfRequested("kernel-udp.hex",
                "UDP 198.18.0.1:40000 -> 198.18.0.2:9999, payload \"hello jnetstack over udp\\n\" (from socat)", datagram);
    }

    @Test
    void kernelTcpSynArrivesIntact() throws Exception {
        TapPreconditions.requireCommand("nc", "netcat-openbsd");
        teachKernelOurMac();
        // Nobody answers, so nc keeps retrying the SYN until its -w limit; the first one is enough.
        try (NamespaceProcess connect = peer.spawn("nc", "-w", "3", STACK_ADDRESS.getHostAddress(), "7")) {
            byte[] syn = peer.frames().expectFrame("TCP SYN to port 7", TestFrames.tcpSynTo(STACK_ADDRESS, 7), REPLY_TIMEOUT);
            assertEquals(KERNEL_ADDRESS, TestFrames.ipSource(syn));
            assertChecksumsValid(syn);
            KernelVectors.saveIfRequested("kernel-tcp-syn.hex",
                    "TCP SYN 198.18.0.1:ephemeral -> 198.18.0.2:7 with the kernel's usual options (MSS, SACK permitted,"
                            + " timestamps, window scale), from `nc 198.18.0.2 7`", syn);
        }
    }
}
