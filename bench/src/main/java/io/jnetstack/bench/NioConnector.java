package io.jnetstack.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Locale;

/**
 * Client connections over {@code java.nio} channels of whatever provider is in force, in one of
 * two styles: blocking channels, or non-blocking channels that wait on one {@link Selector}.
 */
final class NioConnector implements ByteStream.Connector {
    /** How the client waits for a channel. */
    enum Style {
        SELECTOR, BLOCKING;

        static Style parse(String s) {
            return switch (s) {
                case "selector" -> SELECTOR;
                case "blocking" -> BLOCKING;
                default -> throw new IllegalArgumentException("--io wants selector or blocking, got '" + s + "'");
            };
        }

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final InetSocketAddress dataAddress;
    private final InetSocketAddress connectAddress;
    private final Style style;
    private final Selector selector;

    /** Connects to {@code dataAddress} and, for {@code cc}, to the port after it. */
    NioConnector(InetSocketAddress dataAddress, Style style) throws IOException {
        this.dataAddress = dataAddress;
        this.connectAddress = new InetSocketAddress(dataAddress.getAddress(), dataAddress.getPort() + 1);
        this.style = style;
        this.selector = style == Style.SELECTOR ? Selector.open() : null;
    }

    Style style() {
        return style;
    }

    /** A connected channel with Nagle off (every workload is latency-sensitive at some point). */
    @Override
    public ByteStream connect(boolean connectPort) throws IOException {
        SocketChannel channel = SocketChannel.open();
        try {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            InetSocketAddress address = connectPort ? connectAddress : dataAddress;
            if (style == Style.BLOCKING) {
                channel.connect(address);
            } else {
                channel.configureBlocking(false);
                if (!channel.connect(address)) {
                    do {
                        awaitReady(channel, SelectionKey.OP_CONNECT);
                    } while (!channel.finishConnect());
                }
            }
            return new ChannelStream(channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private void awaitReady(SocketChannel channel, int ops) throws IOException {
        if (style == Style.BLOCKING) {
            return;
        }
        SelectionKey key = channel.keyFor(selector);
        if (key == null) {
            key = channel.register(selector, ops);
        } else if (key.interestOps() != ops) {
            key.interestOps(ops);
        }
        while (true) {
            selector.select();
            boolean ready = selector.selectedKeys().remove(key);
            selector.selectedKeys().clear();
            if (ready) {
                return;
            }
        }
    }

    @Override
    public void close() throws IOException {
        if (selector != null) {
            selector.close();
        }
    }

    private final class ChannelStream implements ByteStream {
        private final SocketChannel channel;

        ChannelStream(SocketChannel channel) {
            this.channel = channel;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return channel.read(dst);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return channel.write(src);
        }

        @Override
        public void awaitReadable() throws IOException {
            awaitReady(channel, SelectionKey.OP_READ);
        }

        @Override
        public void awaitWritable() throws IOException {
            awaitReady(channel, SelectionKey.OP_WRITE);
        }

        @Override
        public void shutdownOutput() throws IOException {
            channel.shutdownOutput();
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
