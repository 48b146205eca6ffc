package io.jnetstack.compat.contract;

import java.net.SocketException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import jdk.net.ExtendedSocketOptions;

/** TCP socket options: which are offered, their defaults, what setting them does, bad uses. */
public final class SocketOptionContracts {
    private SocketOptionContracts() {
    }

    @Contract
    public static void aSocketChannelOffersTheStandardTcpOptions() throws Exception {
        try (SocketChannel channel = SocketChannel.open()) {
            for (SocketOption<?> option : List.of(StandardSocketOptions.TCP_NODELAY, StandardSocketOptions.SO_KEEPALIVE,
                    StandardSocketOptions.SO_RCVBUF, StandardSocketOptions.SO_SNDBUF, StandardSocketOptions.SO_LINGER,
                    StandardSocketOptions.SO_REUSEADDR, StandardSocketOptions.IP_TOS)) {
                Check.isTrue(channel.supportedOptions().contains(option), option + " supported");
            }
        }
    }

    @Contract
    public static void aServerChannelOffersBufferAndReuseOptions() throws Exception {
        try (ServerSocketChannel channel = ServerSocketChannel.open()) {
            Check.isTrue(channel.supportedOptions().contains(StandardSocketOptions.SO_RCVBUF), "SO_RCVBUF supported");
            Check.isTrue(channel.supportedOptions().contains(StandardSocketOptions.SO_REUSEADDR), "SO_REUSEADDR supported");
            Check.isTrue(!channel.supportedOptions().contains(StandardSocketOptions.TCP_NODELAY), "TCP_NODELAY not offered");
            Check.thrown(UnsupportedOperationException.class, () -> channel.setOption(StandardSocketOptions.TCP_NODELAY, true));
            channel.setOption(StandardSocketOptions.SO_RCVBUF, 64 * 1024);
            Check.isTrue(channel.getOption(StandardSocketOptions.SO_RCVBUF) >= 64 * 1024, "SO_RCVBUF at least what was set");
        }
    }

    @Contract
    public static void booleanOptionsDefaultToOffAndKeepWhatIsSet() throws Exception {
        try (Loopback.TcpPair pair = Loopback.TcpPair.open()) {
            SocketChannel channel = pair.client();
            Check.equal(false, channel.getOption(StandardSocketOptions.TCP_NODELAY), "TCP_NODELAY default");
            Check.equal(false, channel.getOption(StandardSocketOptions.SO_KEEPALIVE), "SO_KEEPALIVE default");
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true).setOption(StandardSocketOptions.SO_KEEPALIVE, true);
            Check.equal(true, channel.getOption(StandardSocketOptions.TCP_NODELAY), "TCP_NODELAY set");
            Check.equal(true, channel.getOption(StandardSocketOptions.SO_KEEPALIVE), "SO_KEEPALIVE set");
        }
    }

    @Contract
    public static void lingerDefaultsToOffAndKeepsWhatIsSet() throws Exception {
        try (SocketChannel channel = SocketChannel.open()) {
            Check.equal(-1, channel.getOption(StandardSocketOptions.SO_LINGER), "SO_LINGER default");
            channel.setOption(StandardSocketOptions.SO_LINGER, 7);
            Check.equal(7, channel.getOption(StandardSocketOptions.SO_LINGER), "SO_LINGER set");
            channel.setOption(StandardSocketOptions.SO_LINGER, -1);
            Check.equal(-1, channel.getOption(StandardSocketOptions.SO_LINGER), "SO_LINGER off again");
            channel.setOption(StandardSocketOptions.SO_LINGER, 5);
            channel.setOption(StandardSocketOptions.SO_LINGER, -7);
            Check.equal(-1, channel.getOption(StandardSocketOptions.SO_LINGER), "any negative SO_LINGER turns it off");
        }
    }

    @Contract
    public static void reuseAddressIsOnForServersAndOffForClients() throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open(); SocketChannel client = SocketChannel.open()) {
            Check.equal(true, server.getOption(StandardSocketOptions.SO_REUSEADDR), "server's SO_REUSEADDR");
            Check.equal(false, client.getOption(StandardSocketOptions.SO_REUSEADDR), "client's SO_REUSEADDR");
            client.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            Check.equal(true, client.getOption(StandardSocketOptions.SO_REUSEADDR), "client's SO_REUSEADDR set");
        }
    }

    @Contract
    public static void bufferSizesArePositiveAndGrowWhenRaised() throws Exception {
        try (SocketChannel channel = SocketChannel.open()) {
            Check.isTrue(channel.getOption(StandardSocketOptions.SO_RCVBUF) > 0, "SO_RCVBUF positive");
            Check.isTrue(channel.getOption(StandardSocketOptions.SO_SNDBUF) > 0, "SO_SNDBUF positive");
            channel.setOption(StandardSocketOptions.SO_RCVBUF, 128 * 1024);
            Check.isTrue(channel.getOption(StandardSocketOptions.SO_RCVBUF) >= 128 * 1024, "SO_RCVBUF at least what was set");
            channel.setOption(StandardSocketOptions.SO_SNDBUF, 64 * 1024);
            Check.isTrue(channel.getOption(StandardSocketOptions.SO_SNDBUF) >= 64 * 1024, "SO_SNDBUF at least what was set");
        }
    }

    @Contract
    public static void aNegativeBufferSizeIsRejected() throws Exception {
        try (SocketChannel channel = SocketChannel.open()) {
            Check.thrown(IllegalArgumentException.class, "Invalid send/receive buffer size",
                    () -> channel.setOption(StandardSocketOptions.SO_RCVBUF, -1));
            Check.thrown(IllegalArgumentException.class, "Invalid send/receive buffer size",
                    () -> channel.setOption(StandardSocketOptions.SO_SNDBUF, -1));
        }
    }

    @Contract
    public static void anOptionTheChannelLacksIsUnsupported() throws Exception {
        try (SocketChannel channel = SocketChannel.open()) {
            Check.thrown(UnsupportedOperationException.class, () -> channel.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 1));
            Check.thrown(UnsupportedOperationException.class, () -> channel.getOption(StandardSocketOptions.SO_BROADCAST));
            Check.thrown(UnsupportedOperationException.class, "'SO_BROADCAST' not supported",
                    () -> channel.setOption(StandardSocketOptions.SO_BROADCAST, true));
        }
    }

    @Contract
    public static void aNullOptionIsRejected() throws Exception {
        try (SocketChannel channel = SocketChannel.open()) {
            Check.thrown(NullPointerException.class, () -> channel.setOption(null, 1));
            Check.thrown(NullPointerException.class, () -> channel.getOption(null));
            Check.thrown(IllegalArgumentException.class, "Invalid value 'null'", () -> channel.setOption(StandardSocketOptions.TCP_NODELAY, null));
        }
    }

    @Contract
    public static void optionsOfAClosedChannelThrowClosedChannel() throws Exception {
        SocketChannel channel = SocketChannel.open();
        channel.close();
        Check.thrown(ClosedChannelException.class, () -> channel.getOption(StandardSocketOptions.TCP_NODELAY));
        Check.thrown(ClosedChannelException.class, () -> channel.setOption(StandardSocketOptions.TCP_NODELAY, true));
    }
    private static final List<SocketOption<Integer>> KEEPALIVE_OPTIONS = List.of(ExtendedSocketOptions.TCP_KEEPIDLE,
            ExtendedSocketOptions.TCP_KEEPINTERVAL, ExtendedSocketOptions.TCP_KEEPCOUNT);

    /** Linux's ranges: 1 up to MAX_TCP_KEEPIDLE, MAX_TCP_KEEPINTVL (32767 s) and MAX_TCP_KEEPCNT (127). */
    @Contract
    public static void keepaliveTimingOptionsTakeLinuxsRanges() throws Exception {
        try (SocketChannel channel = SocketChannel.open(); ServerSocketChannel server = ServerSocketChannel.open()) {
            for (SocketOption<Integer> option : KEEPALIVE_OPTIONS) {
                Check.isTrue(channel.supportedOptions().contains(option), option + " supported");
                Check.isTrue(server.supportedOptions().contains(option), option + " supported by a server channel");
            }
            int[] largest = {32767, 32767, 127};
            for (int i = 0; i < KEEPALIVE_OPTIONS.size(); i++) {
                SocketOption<Integer> option = KEEPALIVE_OPTIONS.get(i);
                int initial = channel.getOption(option); // the host's sysctl on the JDK, so only its range is asked
                Check.isTrue(initial >= 1 && initial <= largest[i], option + " default in range: " + initial);
                channel.setOption(option, largest[i]);
                Check.equal(largest[i], channel.getOption(option), option + " set to its largest value");
                channel.setOption(option, 1);
                Check.equal(1, channel.getOption(option), option + " set to 1");
                for (int bad : new int[] {0, -1, largest[i] + 1}) {
                    Check.thrown(SocketException.class, "Invalid argument", () -> channel.setOption(option, bad));
                }
                Check.equal(1, channel.getOption(option), option + " unchanged by a refused value");
                Check.thrown(IllegalArgumentException.class, "Invalid value 'null'", () -> channel.setOption(option, null));
                server.setOption(option, 3);
                Check.equal(3, server.getOption(option), option + " set on a server channel");
            }
        }
    }

    @Contract
    public static void acceptedConnectionsInheritTheListenersKeepaliveTiming() throws Exception {
        try (ServerSocketChannel server = Loopback.listen()) {
            server.setOption(ExtendedSocketOptions.TCP_KEEPIDLE, 11);
            server.setOption(ExtendedSocketOptions.TCP_KEEPINTERVAL, 12);
            server.setOption(ExtendedSocketOptions.TCP_KEEPCOUNT, 13);
            try (SocketChannel client = SocketChannel.open(server.getLocalAddress()); SocketChannel accepted = server.accept()) {
                Check.equal(11, accepted.getOption(ExtendedSocketOptions.TCP_KEEPIDLE), "accepted TCP_KEEPIDLE");
                Check.equal(12, accepted.getOption(ExtendedSocketOptions.TCP_KEEPINTERVAL), "accepted TCP_KEEPINTERVAL");
                Check.equal(13, accepted.getOption(ExtendedSocketOptions.TCP_KEEPCOUNT), "accepted TCP_KEEPCOUNT");
            }
        }
    }
}
