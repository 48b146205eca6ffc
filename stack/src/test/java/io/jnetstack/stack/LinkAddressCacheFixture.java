package io.jnetstack.stack;

import io.jnetstack.address.IpAddress;
import io.jnetstack.address.LinkAddress;
import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.time.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A cache on a manual clock with a resolver, transmitter and listener that record what they see. */
final class LinkAddressCacheFixture {
    static final IpAddress HOST = IpAddress.parse("10.0.0.2");
    static final IpAddress OTHER_HOST = IpAddress.parse("10.0.0.3");
    static final LinkAddress MAC = LinkAddress.parse("02:00:00:00:00:02");
    static final LinkAddress NEW_MAC = LinkAddress.parse("02:00:00:00:00:22");

    record Sent(LinkAddress destination, PacketBuffer packet) {
    }

    /** A request the cache asked for: broadcast when {@code probedAddress} is null, else a unicast probe. */
    record Request(IpAddress target, LinkAddress probedAddress, long atNanos) {
        Request(IpAddress target, long atNanos) {
            this(target, null, atNanos);
        }
    }

    final ManualClock clock = new ManualClock();
    final List<Request> requests = new ArrayList<>();
    final List<Sent> sent = new ArrayList<>();
    final List<String> events = new ArrayList<>();
    final LinkAddressCache cache;
    final LinkAddressCache.Transmitter tx = (dst, p) -> sent.add(new Sent(dst, p));
    final LinkAddressCache.ResolutionListener listener = new LinkAddressCache.ResolutionListener() {
        @Override
        public void resolved(LinkAddress address) {
            events.add("resolved " + address);
        }

        @Override
        public void failed() {
            events.add("failed");
        }
    };

    LinkAddressCacheFixture() {
        this(LinkAddressCache.Config.DEFAULT);
    }

    LinkAddressCacheFixture(LinkAddressCache.Config config) {
        cache = new LinkAddressCache(clock, (target, probed) -> requests.add(new Request(target, probed, clock.nanoTime())), config);
    }

    static LinkAddressCache.Config config(int maxHeldPackets, int maxEntries) {
        LinkAddressCache.Config d = LinkAddressCache.Config.DEFAULT;
        return new LinkAddressCache.Config(d.maxRequests(), d.maxProbes(), d.retryInterval(), d.reachableTime(),
                d.delayFirstProbe(), d.failedHold(), maxHeldPackets, maxEntries);
    }

    /** A one-byte packet whose byte names it, so order can be checked. */
    static PacketBuffer packet(int id) {
        return PacketBuffer.withHeadroom(14, new byte[] {(byte) id}, 0, 1);
    }

    void send(IpAddress to, int id) {
        cache.send(to, packet(id), tx);
    }

    List<Integer> sentIds() {
        return sent.stream().map(s -> s.packet().getByte(0)).toList();
    }

    void advance(Duration d) {
        clock.advance(d);
    }
}
