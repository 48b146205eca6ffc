package io.jnetstack.stack;

import static io.jnetstack.stack.LinkAddressCacheFixture.HOST;
import static io.jnetstack.stack.LinkAddressCacheFixture.MAC;
import static io.jnetstack.stack.LinkAddressCacheFixture.OTHER_HOST;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.jnetstack.buffer.PacketBuffer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An unknown address: request, retries, held packets flushed in order on the answer. */
class LinkAddressCacheResolutionTest {
    private final LinkAddressCacheFixture f = new LinkAddressCacheFixture();

    @Test
    void firstSendSendsARequestAtOnce() {
        f.send(HOST, 1);
        assertEquals(List.of(new LinkAddressCacheFixture.Request(HOST, 0)), f.requests);
    }

    @Test
    void packetIsHeldWhileIncomplete() {
        f.send(HOST, 1);
        assertEquals(List.of(), f.sent);
        assertEquals(LinkAddressCache.State.INCOMPLETE, f.cache.state(HOST));
        assertNull(f.cache.lookup(HOST));
    }

    @Test
    void moreSendsWhileIncompleteSendNoExtraRequest() {
        f.send(HOST, 1);
        f.send(HOST, 2);
        assertEquals(1, f.requests.size());
    }

    @Test
    void requestIsRepeatedEveryRetryIntervalUpToMaxRequests() {
        f.send(HOST, 1);
        f.advance(Duration.ofSeconds(10));
        assertEquals(List.of(new LinkAddressCacheFixture.Request(HOST, 0),
                new LinkAddressCacheFixture.Request(HOST, 1_000_000_000L),
                new LinkAddressCacheFixture.Request(HOST, 2_000_000_000L)), f.requests);
    }

    @Test
    void answerTransmitsHeldPacketsInOrderToTheAnsweredAddress() {
        f.send(HOST, 1);
        f.send(HOST, 2);
        f.send(HOST, 3);
        f.cache.update(HOST, MAC);
        assertEquals(List.of(1, 2, 3), f.sentIds());
        assertEquals(List.of(MAC, MAC, MAC), f.sent.stream().map(LinkAddressCacheFixture.Sent::destination).toList());
    }

    @Test
    void aHeldPacketIsACopySoTheSenderMayReuseTheArraysItSliced() {
        byte[] payload = {7, 7};
        PacketBuffer packet = PacketBuffer.withHeadroom(14, new byte[] {1}, 0, 1);
        packet.appendSlice(payload, 0, payload.length);
        f.cache.send(HOST, packet, f.tx);
        payload[0] = 0; // Route#releasesSlicesOnWrite: the sender's chunk is refilled once send returned
        f.cache.update(HOST, MAC);
        assertArrayEquals(new byte[] {1, 7, 7}, f.sent.get(0).packet().toByteArray());
    }

    @Test
    void answerStopsTheRetries() {
        f.send(HOST, 1);
        f.cache.update(HOST, MAC);
        f.advance(Duration.ofSeconds(10));
        assertEquals(1, f.requests.size());
        assertEquals(0, f.clock.pendingTimers());
    }

    @Test
    void answerTellsWaitingListeners() {
        f.cache.addListener(HOST, f.listener);
        f.cache.update(HOST, MAC);
        assertEquals(List.of("resolved " + MAC), f.events);
    }

    @Test
    void addingAListenerToAnUnknownAddressStartsResolution() {
        f.cache.addListener(HOST, f.listener);
        assertEquals(1, f.requests.size());
        assertEquals(List.of(), f.events);
    }

    @Test
    void answerIsCounted() {
        f.send(HOST, 1);
        f.cache.update(HOST, MAC);
        assertEquals(new LinkAddressCache.Counters(1, 0, 0, 1, 0), f.cache.counters());
    }

    @Test
    void heldPacketsOfAnotherAddressStayHeld() {
        f.send(HOST, 1);
        f.send(OTHER_HOST, 2);
        f.cache.update(HOST, MAC);
        assertEquals(List.of(1), f.sentIds());
        assertEquals(LinkAddressCache.State.INCOMPLETE, f.cache.state(OTHER_HOST));
    }

    @Test
    void transmitterMayCallBackIntoTheCache() {
        // Flushing happens outside the lock, so a transmitter that sends again must not deadlock.
        f.send(HOST, 1);
        LinkAddressCache.Transmitter reentrant = (dst, p) -> f.cache.send(HOST, LinkAddressCacheFixture.packet(9), f.tx);
        f.cache.send(HOST, LinkAddressCacheFixture.packet(2), reentrant);
        f.cache.update(HOST, MAC);
        assertEquals(List.of(1, 9), f.sentIds());
    }
}
