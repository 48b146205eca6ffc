package io.jnetstack.compat.programs;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.stream.ChunkedStream;
import io.netty.handler.stream.ChunkedWriteHandler;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.channels.spi.SelectorProvider;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP server written the way Netty's examples are (HttpServerCodec, HttpObjectAggregator,
 * ChunkedWriteHandler, default NioEventLoopGroup) that answers GET / with BYTES pseudo-random
 * bytes, fetched by the JDK's HttpClient in the same program over 127.0.0.1. Argument: BYTES.
 */
public final class NettyHttpServer {
    private NettyHttpServer() {
    }

    /** The first {@code length} bytes of {@link Digests.Source}, as a stream Netty can chunk. */
    static final class GeneratedStream extends InputStream {
        private final Digests.Source source = new Digests.Source();
        private long left;

        GeneratedStream(long length) {
            this.left = length;
        }

        /** All that is left: ChunkedStream sizes its chunks by this, as it does for a file's stream. */
        @Override
        public int available() {
            return (int) Math.min(left, Integer.MAX_VALUE);
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left == 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            System.arraycopy(source.next(n), 0, b, off, n);
            left -= n;
            return n;
        }
    }

    static final class ContentHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final long length;

        ContentHandler(long length) {
            this.length = length;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            HttpResponse response = new DefaultHttpResponse(request.protocolVersion(), HttpResponseStatus.OK);
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream");
            response.headers().set(HttpHeaderNames.CONTENT_LENGTH, length);
            ctx.write(response);
            ctx.writeAndFlush(new HttpChunkedInput(new ChunkedStream(new GeneratedStream(length), 65536)))
                    .addListener(ChannelFutureListener.CLOSE);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            cause.printStackTrace();
            ctx.close();
        }
    }

    public static void main(String[] args) throws Exception {
        System.out.println("provider " + SelectorProvider.provider().getClass().getName());
        long length = Long.parseLong(args[0]);
        EventLoopGroup bossGroup = new NioEventLoopGroup(1);
        EventLoopGroup workerGroup = new NioEventLoopGroup();
        try {
            Channel listening = new ServerBootstrap().group(bossGroup, workerGroup)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        public void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536),
                                    new ChunkedWriteHandler(), new ContentHandler(length));
                        }
                    })
                    .bind(InetAddress.getLoopbackAddress(), 0).sync().channel();
            int port = ((InetSocketAddress) listening.localAddress()).getPort();
            System.out.println("netty http server on port " + port);
            System.out.println("served " + length + " bytes sha256 " + Digests.expected(length));
            System.out.println(HttpFetch.fetch(URI.create("http://127.0.0.1:" + port + "/")));
            listening.close().sync();
        } finally {
            bossGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
            workerGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
