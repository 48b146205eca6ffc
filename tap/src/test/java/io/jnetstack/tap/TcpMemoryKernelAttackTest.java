package io.jnetstack.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.address.IpAddress;
import io.jnetstack.address.IpSubnet;
import io.jnetstack.network.NetworkProtocols;
import io.jnetstack.stack.Stack;
import io.jnetstack.tap.testing.BlockingTcp;
import io.jnetstack.tap.testing.KernelHashedNc;
import io.jnetstack.tap.testing.KernelPeer;
import io.jnetstack.tap.testing.KernelPython;
import io.jnetstack.tap.testing.NamespaceProcess;
import io.jnetstack.tap.testing.PeakSampler;
import io.jnetstack.testing.Await;
import io.jnetstack.transport.tcp.TcpConfig;
import io.jnetstack.transport.tcp.TcpEndpoint;
import io.jnetstack.transport.tcp.TcpMemory;
import io.jnetstack.transport.tcp.TcpProtocol;
import io.jnetstack.transport.tcp.TcpState;
import io.jnetstack.transport.tcp.TcpStats;
import io.jnetstack.waiter.Events;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, attack 3, with the kernel as attacker: kernel connections that never read while the
 * server writes (their windows close), and kernel connections that send data behind a one-byte
 * hole (memory_flood_attack.py), against a 1 MiB TCP memory limit. TCP memory must stay within
 * its limit throughout (the floors' ceiling, an eighth past it, for the never-reading peers), the
 * limiting must be counted, and a good kernel client, connected before the attack, must get its
 * exchange through during it; so must one that connects while the never-reading peers hold TCP
 * memory under pressure.
 */
class TcpMemoryKernelAttackTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int PORT = 8080;
    private static final long LIMIT = 1 << 20;
    /** How long the attacker holds its connections at most; the test ends it sooner. */
    private static final int ATTACK_SECONDS = 60;
    /** Enough that their floors hold TCP memory under pressure, whatever the kernel's windows took. */
    private static final int ZERO_WINDOW_PEERS = 150;
    /** The figures: 130 peers, 100 segments of 1,400 bytes each behind the hole. */
    private static final int OUT_OF_ORDER_PEERS = 130;
    private static final int OUT_OF_ORDER_SEGMENTS = 100;
    private static final long GOOD_CLIENT_BYTES = 128 << 10;

    @RegisterExtension
    final KernelPeer peer = new KernelPeer();

    @TempDir
    Path scratch;

    private Stack stack;
    private TcpProtocol tcp;
    private TcpEndpoint listener;
    private KernelHashedNc goodClient;
    private TcpEndpoint good;

    @AfterEach
    void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    /**
     * Starts jnetstack with TCP under {@code config} on the TAP, listening with room for
     * {@code attackers} connections and two good ones, and connects the good kernel client, which
     * will exchange its data while the attackers hold theirs. The client sends at once; its bytes
     * are all in before this returns, so the memory they hold stays put while the attackers come
     * (a client that a loaded machine started late would otherwise add to it during the attack).
     */
    private void startServerWithGoodClient(TcpConfig config, int attackers) throws Exception {
        KernelPython.require();
        tcp = new TcpProtocol(config);
        stack = Stack.builder().network(NetworkProtocols.ipv4()).transport(tcp).build();
        stack.createNic("tap", peer.link()).addAddress(new IpSubnet(IpAddress.of(KernelPeer.STACK_ADDRESS),
                KernelPeer.PREFIX_LENGTH));
        listener = tcp.newEndpoint();
        listener.bind(IpAddress.IPV4_ANY, PORT);
        listener.listen(attackers + 2);
        goodClient = KernelHashedNc.connectTo(peer, scratch, listener, GOOD_CLIENT_BYTES);
        good = BlockingTcp.accept(listener, TIMEOUT);
        Await.until(good.waiterQueue(), Events.IN, () -> good.available() >= GOOD_CLIENT_BYTES, TIMEOUT,
                "the good client's bytes to arrive");
    }

    /** Starts memory_flood_attack.py's {@code mode} in the kernel's namespace. */
    private NamespaceProcess attack(String mode, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(mode));
        command.addAll(List.of(arguments));
        return KernelPython.spawn(peer, scratch, KernelPython.class, "memory_flood_attack.py", command.toArray(String[]::new));
    }

    @Test
    void kernelPeersThatNeverReadPinLittleWhileTheServerWrites() throws Exception {
        startServerWithGoodClient(TcpConfig.builder().bufferSizes(256 << 10, 256 << 10).memoryLimit(LIMIT).build(),
                ZERO_WINDOW_PEERS);
        TcpMemory memory = tcp.memory();

        try (PeakSampler used = new PeakSampler("tcp-memory", memory::used);
             NamespaceProcess attack = attack("zero-window", KernelPeer.STACK_ADDRESS.getHostAddress(), Integer.toString(PORT),
                     Integer.toString(ZERO_WINDOW_PEERS), Integer.toString(ATTACK_SECONDS))) {
            List<TcpEndpoint> peers = new ArrayList<>();
            for (int i = 0; i < ZERO_WINDOW_PEERS; i++) {
                peers.add(BlockingTcp.accept(listener, TIMEOUT));
            }
            assertTrue(attack.awaitOutput("connected " + ZERO_WINDOW_PEERS, TIMEOUT), attack::output);
            // The server has a lot to say to each: every write takes what TCP memory allows.
            long written = 0;
            ByteBuffer data = ByteBuffer.allocate(64 << 10);
            for (TcpEndpoint p : peers) {
                int n;
                do {
                    data.clear();
                    n = p.write(data);
                    written += n;
                } while (n > 0);
            }

            goodClient.exchange(good, GOOD_CLIENT_BYTES, TIMEOUT);
            // The attackers hold TCP memory under pressure: a client that comes now gets in all the same.
            assertTrue(memory.underPressure(), memory::toString);
            KernelHashedNc lateClient = KernelHashedNc.connectTo(peer, scratch, listener, GOOD_CLIENT_BYTES);
            TcpEndpoint late = BlockingTcp.accept(listener, TIMEOUT);
            lateClient.exchange(late, GOOD_CLIENT_BYTES, TIMEOUT);

            String figures = "server wrote " + written + " bytes to " + ZERO_WINDOW_PEERS + " peers; TCP memory peaked at "
                    + used.peak() + ", " + memory + "; " + tcp.stats();
            System.out.println("TAP zero-window flood: " + figures);
            assertTrue(used.peak() <= memory.floorCeiling(), figures);
            assertTrue(tcp.stats().get(TcpStats.Counter.SEND_MEMORY_LIMITED) > 0, figures);
            // Buffers go back on the connections' processor threads: wait until every connection is done.
            awaitEnded(good);
            awaitEnded(late);
            for (TcpEndpoint p : peers) {
                p.abort();
            }
            for (TcpEndpoint p : peers) {
                BlockingTcp.awaitClosed(p, TIMEOUT);
            }
            assertEquals(0, memory.used(), "every buffer gave its memory back: " + memory);
        }
    }

    private static void awaitEnded(TcpEndpoint connection) throws Exception {
        Await.until(connection.waiterQueue(), Events.ALL,
                () -> connection.state() == TcpState.TIME_WAIT || connection.state() == TcpState.CLOSED, TIMEOUT,
                "a good client's connection to end");
    }

    @Test
    void kernelPeersSendingBehindAOneByteHoleHoldOnlyTheQueueShare() throws Exception {
        startServerWithGoodClient(TcpConfig.builder().memoryLimit(LIMIT).build(), OUT_OF_ORDER_PEERS);
        TcpMemory memory = tcp.memory();

        try (PeakSampler used = new PeakSampler("tcp-memory", memory::used);
             NamespaceProcess attack = attack("out-of-order", peer.deviceName(), peer.link().linkAddress().toString(), KernelPeer.STACK_ADDRESS.getHostAddress(),
                     Integer.toString(PORT), Integer.toString(OUT_OF_ORDER_PEERS), Integer.toString(OUT_OF_ORDER_SEGMENTS),
                     Integer.toString(ATTACK_SECONDS))) {
            String sent = "sent " + OUT_OF_ORDER_PEERS * OUT_OF_ORDER_SEGMENTS + " segments on " + OUT_OF_ORDER_PEERS
                    + " connections";
            assertTrue(attack.awaitOutput(sent, TIMEOUT), attack::output);
            // Out-of-order data is charged only up to the queue share, whatever else is held. The
            // exchange below makes send and receive buffers of its own (a send buffer may take its
            // floor past the share), so the attackers' share is judged before it.
            long attackPeak = used.peak();

            goodClient.exchange(good, GOOD_CLIENT_BYTES, TIMEOUT);

            String figures = sent + "; TCP memory peaked at " + attackPeak + " during the attack, " + used.peak()
                    + " with the good client's exchange, " + memory + "; " + tcp.stats();
            System.out.println("TAP out-of-order flood: " + figures);
            assertTrue(attackPeak <= memory.queueThreshold(), figures);
            assertTrue(used.peak() <= memory.floorCeiling(), figures);
            assertTrue(tcp.stats().get(TcpStats.Counter.OUT_OF_ORDER_DROPS) > 0, figures);
        }
    }
}
