package io.jnetstack.testing;

import io.jnetstack.address.IpAddress;
import io.jnetstack.address.IpSubnet;
import io.jnetstack.link.LinkEndpoint;
import io.jnetstack.link.PipeLink;
import io.jnetstack.network.NetworkProtocols;
import io.jnetstack.stack.Nic;
import io.jnetstack.stack.Stack;
import io.jnetstack.stack.TransportProtocol;
import io.jnetstack.time.ManualClock;
import io.jnetstack.transport.udp.UdpProtocol;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Two stacks, A (10.0.0.1/24) and B (10.0.0.2/24), joined by a {@link PipeLink}, on one
 * {@link ManualClock}, with every frame delivered by a {@link ManualExecutor} and every processor
 * task run inline (or queued beside the frames, see {@link Builder#queueProcessorsOfB()}): an
 * exchange happens on the test's thread when it calls {@link #settle()}.
 * Each side's link can be wrapped (for a fault injector or a sniffer) before its NIC is created.
 */
public final class TwoStacks implements AutoCloseable {
    public static final IpAddress ADDRESS_A = IpAddress.parse("10.0.0.1");
    public static final IpAddress ADDRESS_B = IpAddress.parse("10.0.0.2");
    public static final int PREFIX = 24;
    /** With {@link Builder#ipv6()}: A's and B's IPv6 addresses (unique local, RFC 4193), prefix 64. */
    public static final IpAddress ADDRESS6_A = IpAddress.parse("fd00::1");
    public static final IpAddress ADDRESS6_B = IpAddress.parse("fd00::2");
    public static final int PREFIX6 = 64;

    public final ManualClock clock = new ManualClock();
    public final ManualExecutor wire = new ManualExecutor();
    public final PipeLink.Pair pipe;
    public final Stack a;
    public final Stack b;
    public final Nic nicA;
    public final Nic nicB;
    public final UdpProtocol udpA = new UdpProtocol();
    public final UdpProtocol udpB = new UdpProtocol();

    private TwoStacks(Builder builder) {
        pipe = PipeLink.pair(builder.mtu, wire);
        a = stack(udpA, builder.extraTransportA, Runnable::run, builder);
        b = stack(udpB, builder.extraTransportB, builder.queuedProcessorsB ? wire : Runnable::run, builder);
        nicA = a.createNic("pipeA", builder.wrapA.wrap(pipe.a(), clock));
        nicB = b.createNic("pipeB", builder.wrapB.wrap(pipe.b(), clock));
        nicA.addAddress(new IpSubnet(ADDRESS_A, PREFIX));
        nicB.addAddress(new IpSubnet(ADDRESS_B, PREFIX));
        if (builder.ipv6) {
            nicA.addAddress(new IpSubnet(ADDRESS6_A, PREFIX6));
            nicB.addAddress(new IpSubnet(ADDRESS6_B, PREFIX6));
        }
    }

    private Stack stack(UdpProtocol udp, Supplier<TransportProtocol> extra, Executor processor, Builder builder) {
        Consumer<Stack.Builder> options = builder.stackOptions;
        Stack.Builder sb = Stack.builder().network(builder.ipv6 ? NetworkProtocols.ipv4AndIpv6() : NetworkProtocols.ipv4()).clock(clock).processorExecutor(processor)
                .transport(udp);
        options.accept(sb);
        if (extra != null) {
            sb.transport(extra.get());
        }
        return sb.build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Two stacks over a 1500-byte MTU pipe with nothing in between. */
    public static TwoStacks create() {
        return builder().build();
    }

    /** Delivers every frame in flight, and every frame those cause, until the wire is quiet. */
    public int settle() {
        return wire.runPending();
    }

    /** Advances the clock (running due timers), then settles the wire. */
    public void advance(Duration d) {
        clock.advance(d);
        settle();
    }

    @Override
    public void close() {
        a.close();
        b.close();
    }

    /** Wraps one end of the pipe, e.g. in a fault injector on the stacks' clock. */
    @FunctionalInterface
    public interface LinkWrapper {
        LinkEndpoint wrap(LinkEndpoint link, ManualClock clock);
    }

    /** Options for {@link TwoStacks}. */
    public static final class Builder {
        private int mtu = 1500;
        private LinkWrapper wrapA = (link, clock) -> link;
        private LinkWrapper wrapB = (link, clock) -> link;
        private Supplier<TransportProtocol> extraTransportA;
        private Supplier<TransportProtocol> extraTransportB;
        private boolean queuedProcessorsB;
        private Consumer<Stack.Builder> stackOptions = sb -> { };
        private boolean ipv6;

        public Builder mtu(int mtu) {
            this.mtu = mtu;
            return this;
        }

        /** Wraps A's end of the pipe (frames A sends pass through the wrapper). */
        public Builder wrapA(LinkWrapper wrap) {
            this.wrapA = wrap;
            return this;
        }

        /** Wraps B's end of the pipe. */
        public Builder wrapB(LinkWrapper wrap) {
            this.wrapB = wrap;
            return this;
        }

        /** Registers another transport protocol (e.g. TCP) on both stacks, one instance each. */
        public Builder transport(Supplier<TransportProtocol> protocol) {
            return transport(protocol, protocol);
        }

        /** Registers another transport protocol on each stack, configured for each side. */
        public Builder transport(Supplier<TransportProtocol> onA, Supplier<TransportProtocol> onB) {
            this.extraTransportA = onA;
            this.extraTransportB = onB;
            return this;
        }

        /** Sets options of both stacks (e.g. limits) on their builders. */
        public Builder stackOptions(Consumer<Stack.Builder> options) {
            this.stackOptions = options;
            return this;
        }

        /**
         * Queues B's processor work on the wire instead of running it inline, as processor threads
         * would: B's demultiplexer may then see a segment before B has processed the one before.
         */
        public Builder queueProcessorsOfB() {
            this.queuedProcessorsB = true;
            return this;
        }

        /** Both stacks dual-stack: IPv6 registered, {@link #ADDRESS6_A} and {@link #ADDRESS6_B} added beside the IPv4 ones. */
        public Builder ipv6() {
            this.ipv6 = true;
            return this;
        }

        public TwoStacks build() {
            return new TwoStacks(this);
        }
    }
}
