package io.jnetstack.transport.tcp;

import static io.jnetstack.header.TcpHeader.ACK;
import static io.jnetstack.transport.tcp.TcpTestContext.LOCAL_MSS;
import static io.jnetstack.transport.tcp.TcpTestContext.REMOTE_ISN;
import static io.jnetstack.transport.tcp.TcpTestContext.bytes;
import static io.jnetstack.transport.tcp.TcpTestContext.read;
import static io.jnetstack.transport.tcp.TestSegment.tcp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.header.TcpOptions;
import org.junit.jupiter.api.Test;

/**
 * Past the floor ceiling an in-order segment is dropped even into an empty receive buffer.
 * Under TCP memory pressure a receiver offers at most {@value TcpReceiver#PRESSURE_WINDOW_SEGMENTS}
 * segments beyond what it has received, as Linux clamps its window, once the peer has used the
 * window offered before (the right edge never moves back, RFC 9293 §3.8.6).
 */
class TcpMemoryPressureWindowTest {
    private static final TcpOptions PEER_WITHOUT_SCALING = new TcpOptions(1460, -1, false, false, 0, 0, new int[0]);
    private final TcpTestContext ctx = new TcpTestContext(TcpTestContext.config().memoryLimit(1 << 20).build());

    /** The peer sends 70,000 bytes, the application reads them as they come; the window of our last ACK. */
    private int windowAfterTheWindowOfferedAtFirstIsUsed(TcpEndpoint ep) {
        for (int sent = 0; sent < 70_000; sent += 1000) {
            ctx.inject(tcp().flags(ACK).seq(REMOTE_ISN + 1 + sent).ack(ctx.iss + 1).payload(bytes(1000, sent)));
            assertEquals(1000, read(ep, 2000).length);
        }
        ctx.advanceMillis(40); // the delayed ACK, if one is due
        EmittedSegment last = ctx.expectSegment();
        while (ctx.pendingSegments() > 0) {
            last = ctx.expectSegment();
        }
        return last.header.window();
    }

    @Test
    void underPressureTheWindowShrinksToFourSegments() {
        TcpEndpoint ep = ctx.establishActive(PEER_WITHOUT_SCALING);
        ctx.protocol.memory().charge(ctx.protocol.memory().limit()); // other connections hold it all

        int window = windowAfterTheWindowOfferedAtFirstIsUsed(ep);

        assertTrue(window <= TcpReceiver.PRESSURE_WINDOW_SEGMENTS * LOCAL_MSS, "window " + window);
    }

    /** An empty receive buffer's one segment is a floor too: not past the floor ceiling. */
    @Test
    void pastTheFloorCeilingEvenAnEmptyReceiveBufferTakesNothingUntilMemoryFrees() {
        TcpEndpoint ep = ctx.establishActive(PEER_WITHOUT_SCALING);
        TcpMemory memory = ctx.protocol.memory();
        long held = memory.floorCeiling() - memory.used();
        memory.charge(held);

        ctx.inject(tcp().flags(ACK).seq(REMOTE_ISN + 1).ack(ctx.iss + 1).payload(bytes(1000, 0)));
        assertEquals(0, ep.available());
        assertEquals(1, ctx.protocol.stats().get(TcpStats.Counter.RECEIVE_MEMORY_DROPS));
        assertEquals(memory.floorCeiling(), memory.used());

        memory.release(held);
        ctx.inject(tcp().flags(ACK).seq(REMOTE_ISN + 1).ack(ctx.iss + 1).payload(bytes(1000, 0))); // the peer's retransmission
        assertEquals(1000, read(ep, 2000).length);
    }

    @Test
    void withoutPressureTheWindowStaysOpen() {
        TcpEndpoint ep = ctx.establishActive(PEER_WITHOUT_SCALING);

        int window = windowAfterTheWindowOfferedAtFirstIsUsed(ep);

        assertTrue(window > TcpEndpoint.MAX_UNSCALED_WINDOW - 2 * LOCAL_MSS, "window " + window);
    }
}
