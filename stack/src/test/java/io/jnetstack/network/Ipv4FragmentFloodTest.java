package io.jnetstack.network;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.testing.LiveHeap;
import io.jnetstack.testing.LiveHeap;
import io.jnetstack.testing.TwoStacks;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * 100,000 first fragments of 8 bytes each (issue 10's attack) against a 2 MiB reassembly limit:
 * the limit holds by true cost, the heap they keep alive stays under it, and a real fragmented
 * datagram still gets through.
 */
class Ipv4FragmentFloodTest {
    private static final int FLOOD = 100_000;
    private static final int LIMIT = 2 << 20;
    /** Room for what the collector reports beyond the reassembler's objects. */
    private static final int MEASUREMENT_SLACK = 1 << 20;

    @Test
    void tinyFragmentsStayUnderTheReassemblyLimitByTrueCost() throws Exception {
        try (TwoStacks net = TwoStacks.builder()
                .stackOptions(b -> b.network(new Ipv4Protocol(TimeUnit.SECONDS.toNanos(30), LIMIT))).build()) {
            Ipv4Reassembler reassembler = net.b.network(Ipv4Protocol.class).reassembler();
            long before = LiveHeap.bytes();

            FragmentFlood.send(net, FLOOD);

            long retained = LiveHeap.bytes() - before;
            String figures = "held " + reassembler.heldBytes() + " bytes in " + reassembler.pendingDatagrams()
                    + " datagrams, heap retained " + retained + ", limit " + LIMIT + ", " + reassembler.counters();
            assertTrue(reassembler.heldBytes() <= LIMIT, figures);
            assertTrue(retained <= LIMIT + MEASUREMENT_SLACK, "the charge undercounts the heap: " + figures);
            assertTrue(reassembler.counters().memoryEvicted() > 0, figures);
            assertTrue(FragmentFlood.stillReassembles(net), figures);
        }
    }
}
