package io.jnetstack.compat.programs;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.nio.charset.StandardCharsets;

/**
 * A plain NIO Redis client: SET then GET of KEYS keys over one blocking SocketChannel, speaking
 * RESP, pipelined in batches; prints how many values came back right. Arguments: HOST PORT KEYS.
 */
public final class RedisSetGet {
    private static final int BATCH = 500;

    private final SocketChannel channel;
    private final ByteBuffer in = ByteBuffer.allocate(1 << 16).flip();

    private RedisSetGet(SocketChannel channel) {
        this.channel = channel;
    }

    public static void main(String[] args) throws Exception {
        System.out.println("provider " + SelectorProvider.provider().getClass().getName());
        int keys = Integer.parseInt(args[2]);
        try (SocketChannel channel = SocketChannel.open(new InetSocketAddress(args[0], Integer.parseInt(args[1])))) {
            RedisSetGet client = new RedisSetGet(channel);
            int stored = 0;
            int matched = 0;
            for (int first = 0; first < keys; first += BATCH) {
                int last = Math.min(keys, first + BATCH);
                StringBuilder sets = new StringBuilder();
                for (int i = first; i < last; i++) {
                    sets.append(command("SET", "key:" + i, value(i)));
                }
                client.send(sets);
                for (int i = first; i < last; i++) {
                    stored += client.readLine().equals("+OK") ? 1 : 0;
                }
            }
            for (int first = 0; first < keys; first += BATCH) {
                int last = Math.min(keys, first + BATCH);
                StringBuilder gets = new StringBuilder();
                for (int i = first; i < last; i++) {
                    gets.append(command("GET", "key:" + i));
                }
                client.send(gets);
                for (int i = first; i < last; i++) {
                    matched += client.readBulk().equals(value(i)) ? 1 : 0;
                }
            }
            System.out.println("SET " + stored + " of " + keys + " keys, GET " + matched + " of " + keys + " values matched");
        }
    }

    private static String value(int i) {
        return "value-" + i;
    }

    private static String command(String... words) {
        StringBuilder sb = new StringBuilder("*").append(words.length).append("\r\n");
        for (String w : words) {
            sb.append('$').append(w.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(w).append("\r\n");
        }
        return sb.toString();
    }

    private void send(CharSequence commands) throws IOException {
        ByteBuffer out = StandardCharsets.UTF_8.encode(commands.toString());
        while (out.hasRemaining()) {
            channel.write(out);
        }
    }

    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            if (!in.hasRemaining()) {
                in.clear();
                int n = channel.read(in);
                in.flip();
                if (n < 0) {
                    throw new IOException("Redis closed the connection");
                }
            }
            char c = (char) in.get();
            if (c == '\n' && line.length() > 0 && line.charAt(line.length() - 1) == '\r') {
                return line.substring(0, line.length() - 1);
            }
            line.append(c);
        }
    }

    /** A bulk-string reply ("$5\r\nhello\r\n"); values here are ASCII without line breaks. */
    private String readBulk() throws IOException {
        String header = readLine();
        if (!header.startsWith("$") || header.equals("$-1")) {
            throw new IOException("unexpected reply " + header);
        }
        return readLine();
    }
}
