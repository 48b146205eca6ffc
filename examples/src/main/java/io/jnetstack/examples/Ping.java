package io.jnetstack.examples;

import io.jnetstack.address.IpAddress;
import io.jnetstack.network.IcmpEcho;
import io.jnetstack.network.Ipv4Protocol;
import io.jnetstack.network.Ipv6Protocol;
import io.jnetstack.spi.JnetstackSelectorProvider;
import io.jnetstack.stack.Stack;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * ping on the stack API: ICMP echo requests (ICMPv6 for an IPv6 address) from the stack the
 * {@code jnetstack.*} properties describe (the embedded loopback stack by default; with
 * {@code -Djnetstack.tap=...} a TAP device). Arguments: [ADDRESS [COUNT]], default 127.0.0.1 and 3.
 * Exits 1 if a reply is missing.
 */
public final class Ping {
    private static final int IDENTIFIER = 0x6a6e;
    private static final long REPLY_TIMEOUT_SECONDS = 2;

    private Ping() {
    }

    public static void main(String[] args) throws Exception {
        IpAddress target = IpAddress.parse(args.length > 0 ? args[0] : "127.0.0.1");
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Stack stack = new JnetstackSelectorProvider().stack();
        IcmpEcho icmp = target.isV4() ? stack.network(Ipv4Protocol.class).icmp() : stack.network(Ipv6Protocol.class).icmp();
        System.out.printf("PING %s: 56 data bytes%n", target);
        int received = 0;
        for (int sequence = 1; sequence <= count; sequence++) {
            CountDownLatch replied = new CountDownLatch(1);
            long sent = System.nanoTime();
            icmp.registerEchoListener(IDENTIFIER, (from, seq, data, ttl) -> {
                System.out.printf("%d bytes from %s: icmp_seq=%d ttl=%d time=%.3f ms%n", data.length, from, seq, ttl,
                        (System.nanoTime() - sent) / 1e6);
                replied.countDown();
            });
            icmp.sendEchoRequest(stack.findRoute(0, null, target), IDENTIFIER, sequence, new byte[56]);
            if (replied.await(REPLY_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                received++;
            } else {
                System.out.printf("no reply for icmp_seq=%d within %d s%n", sequence, REPLY_TIMEOUT_SECONDS);
            }
            icmp.unregisterEchoListener(IDENTIFIER);
        }
        System.out.printf("--- %s ping statistics ---%n%d packets transmitted, %d received%n", target, count, received);
        if (received < count) {
            System.exit(1);
        }
    }
}
