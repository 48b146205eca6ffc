package io.jnetstack.network;

import io.jnetstack.address.IpAddress;
import io.jnetstack.stack.Stack;
import io.jnetstack.testing.TwoStacks;
import java.util.ArrayList;
import java.util.List;

/** Pings between two stacks, in either family, and the replies that came back. */
final class Pings {
    static final int IDENTIFIER = 0x4a4e;

    record Reply(IpAddress from, int sequence, byte[] data) {
    }

    private Pings() {
    }

    /** Sends one echo request from {@code from} through {@code icmp} to {@code to}, settles the wire, returns the replies. */
    static List<Reply> ping(TwoStacks net, Stack from, IcmpEcho icmp, IpAddress to, int sequence, byte[] data)
            throws Exception {
        List<Reply> replies = new ArrayList<>();
        icmp.registerEchoListener(IDENTIFIER, (src, seq, payload, ttl) -> replies.add(new Reply(src, seq, payload)));
        icmp.sendEchoRequest(from.findRoute(0, null, to), IDENTIFIER, sequence, data);
        net.settle();
        return replies;
    }
}
