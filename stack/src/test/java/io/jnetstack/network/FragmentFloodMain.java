package io.jnetstack.network;

import io.jnetstack.testing.TwoStacks;

/**
 * Issue 10's fragment flood in a JVM of its own (run by {@link Ipv4FragmentFloodSmallHeapTest} at
 * {@code -Xmx64m}): a stack with its default, heap-derived reassembly limit takes the flood, then
 * must still reassemble a real datagram. Prints its figures; exits 0 only if the stack still serves.
 */
public final class FragmentFloodMain {
    private FragmentFloodMain() {
    }

    public static void main(String[] args) throws Exception {
        int count = Integer.parseInt(args[0]);
        try (TwoStacks net = TwoStacks.create()) {
            FragmentFlood.send(net, count);
            Ipv4Reassembler r = net.b.network(Ipv4Protocol.class).reassembler();
            boolean serves = FragmentFlood.stillReassembles(net);
            System.out.println("fragments=" + count + " maxHeap=" + Runtime.getRuntime().maxMemory()
                    + " limit=" + r.memoryLimitBytes() + " held=" + r.heldBytes() + " pending=" + r.pendingDatagrams()
                    + " serves=" + serves + " " + r.counters());
            System.exit(serves ? 0 : 1);
        }
    }
}
