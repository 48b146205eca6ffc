package io.jnetstack.network;

import static io.jnetstack.testing.TwoStacks.ADDRESS_A;
import static io.jnetstack.testing.TwoStacks.ADDRESS_B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.jnetstack.address.IpAddress;
import io.jnetstack.address.LinkAddress;
import io.jnetstack.stack.LinkAddressCache;
import io.jnetstack.stack.LinkAddressCache.State;
import io.jnetstack.stack.StackCounter;
import io.jnetstack.testing.ArpFrames;
import io.jnetstack.testing.TwoStacks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What ARP nobody asked for may teach (Linux with arp_accept=0): it updates entries that exist,
 * never creates one, and only a reply unicast to us confirms reachability.
 */
class ArpUnsolicitedTest {
    private static final IpAddress STRANGER = IpAddress.parse("10.0.0.7");
    private static final LinkAddress ATTACKER_MAC = LinkAddress.parse("02:00:00:00:00:66");

    private final TwoStacks net = TwoStacks.create();
    private final LinkAddressCache neighborsOfA = net.nicA.neighbors();
    private final LinkAddress macA = net.pipe.a().linkAddress();

    @AfterEach
    void close() {
        net.close();
    }

    private void injectIntoA(io.jnetstack.buffer.PacketBuffer frame) {
        net.nicA.deliverNetworkPacket(frame);
        net.settle();
    }

    @Test
    void replyNobodyAskedForCreatesNoEntryAndIsCounted() {
        injectIntoA(ArpFrames.reply(STRANGER, ATTACKER_MAC, macA, ADDRESS_A));
        assertNull(neighborsOfA.state(STRANGER));
        assertEquals(1, net.a.stats().get(StackCounter.ARP_UNSOLICITED_IGNORED));
    }

    @Test
    void gratuitousArpForAnUnknownHostCreatesNoEntry() {
        injectIntoA(ArpFrames.gratuitous(STRANGER, ATTACKER_MAC));
        assertNull(neighborsOfA.state(STRANGER));
        assertEquals(0, neighborsOfA.size());
    }

    @Test
    void requestToUsCreatesAStaleEntryForItsSender() {
        injectIntoA(ArpFrames.request(STRANGER, ATTACKER_MAC, ADDRESS_A));
        assertEquals(State.STALE, neighborsOfA.state(STRANGER));
        assertEquals(ATTACKER_MAC, neighborsOfA.lookup(STRANGER));
    }

    @Test
    void gratuitousArpForAKnownHostReplacesItsAddressButOnlyAsStale() {
        neighborsOfA.update(ADDRESS_B, net.pipe.b().linkAddress());
        injectIntoA(ArpFrames.gratuitous(ADDRESS_B, ATTACKER_MAC));
        assertEquals(ATTACKER_MAC, neighborsOfA.lookup(ADDRESS_B));
        assertEquals(State.STALE, neighborsOfA.state(ADDRESS_B));
    }

    @Test
    void replyUnicastToUsAboutAKnownHostConfirmsItReachable() {
        neighborsOfA.updateUnconfirmed(ADDRESS_B, net.pipe.b().linkAddress());
        injectIntoA(ArpFrames.reply(ADDRESS_B, net.pipe.b().linkAddress(), macA, ADDRESS_A));
        assertEquals(State.REACHABLE, neighborsOfA.state(ADDRESS_B));
    }

    @Test
    void broadcastReplyAboutAKnownHostDoesNotConfirmIt() {
        neighborsOfA.updateUnconfirmed(ADDRESS_B, net.pipe.b().linkAddress());
        injectIntoA(ArpFrames.reply(ADDRESS_B, net.pipe.b().linkAddress(), LinkAddress.BROADCAST, ADDRESS_A));
        assertEquals(State.STALE, neighborsOfA.state(ADDRESS_B));
    }

    @Test
    void probeOfAStaleEntryIsUnicastToTheCachedAddressAndItsAnswerConfirmsIt() {
        neighborsOfA.updateUnconfirmed(ADDRESS_B, net.pipe.b().linkAddress());
        neighborsOfA.suspect(ADDRESS_B);
        net.settle();
        assertEquals(1, net.a.stats().get(StackCounter.ARP_PROBES_SENT));
        assertEquals(0, net.a.stats().get(StackCounter.ARP_REQUESTS_SENT));
        assertEquals(1, net.b.stats().get(StackCounter.ARP_REPLIES_SENT));
        assertEquals(State.REACHABLE, neighborsOfA.state(ADDRESS_B));
    }
}
