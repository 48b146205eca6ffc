package io.jnetstack.compat.programs;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.spi.SelectorProvider;
import java.security.MessageDigest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Netty's echo example (server and client, default NioEventLoopGroup) in one program over
 * 127.0.0.1: the client streams BYTES pseudo-random bytes, the server echoes them, and the client
 * prints the SHA-256 of what it sent and of what came back. Argument: BYTES.
 */
public final class NettyEcho {
    private NettyEcho() {
    }

    /** As Netty's EchoServerHandler: write back what was read, flush when the read burst ends. */
    @Sharable
    static final class EchoServerHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            cause.printStackTrace();
            ctx.close();
        }
    }

    /** Sends while the channel is writable, digests what comes back, completes with its SHA-256. */
    static final class EchoClientHandler extends ChannelInboundHandlerAdapter {
        private final long total;
        private final Digests.Source source = new Digests.Source();
        private final MessageDigest received = Digests.sha256();
        private final CompletableFuture<String> done = new CompletableFuture<>();
        private long sent;
        private long receivedBytes;

        EchoClientHandler(long total) {
            this.total = total;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            sendWhileWritable(ctx);
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            sendWhileWritable(ctx);
        }

        private void sendWhileWritable(ChannelHandlerContext ctx) {
            while (ctx.channel().isWritable() && sent < total) {
                int n = (int) Math.min(65536, total - sent);
                ctx.write(Unpooled.wrappedBuffer(source.next(n)));
                sent += n;
            }
            ctx.flush();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            try {
                receivedBytes += buf.readableBytes();
                received.update(buf.nioBuffer());
            } finally {
                buf.release();
            }
            if (receivedBytes >= total) {
                done.complete(Digests.hex(received));
                ctx.close();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            done.completeExceptionally(new IllegalStateException("closed after " + receivedBytes + " of " + total + " bytes"));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            done.completeExceptionally(cause);
            ctx.close();
        }
    }

    public static void main(String[] args) throws Exception {
        System.out.println("provider " + SelectorProvider.provider().getClass().getName());
        long total = Long.parseLong(args[0]);
        EventLoopGroup bossGroup = new NioEventLoopGroup(1);
        EventLoopGroup workerGroup = new NioEventLoopGroup();
        try {
            ServerBootstrap server = new ServerBootstrap().group(bossGroup, workerGroup)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 100)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        public void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new EchoServerHandler());
                        }
                    });
            Channel listening = server.bind(InetAddress.getLoopbackAddress(), 0).sync().channel();
            InetSocketAddress address = (InetSocketAddress) listening.localAddress();
            System.out.println("echo server on " + address);

            EchoClientHandler client = new EchoClientHandler(total);
            new Bootstrap().group(workerGroup).channel(NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        public void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(client);
                        }
                    })
                    .connect(address).sync();
            long start = System.nanoTime();
            String echoed = client.done.get(5, TimeUnit.MINUTES);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("sent %d bytes sha256 %s%n", total, Digests.expected(total));
            System.out.printf("echoed %d bytes sha256 %s in %.1f s%n", total, echoed, seconds);
            listening.close().sync();
        } finally {
            bossGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
            workerGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
