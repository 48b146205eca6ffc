package io.jnetstack.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jnetstack.time.ManualClock;
import java.util.List;
import java.util.function.ToIntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What {@link CongestionControl#setMss} does to the window. */
class CongestionControlMssChangeTest {
    private static CongestionControl create(String name, int mss) {
        return CongestionControl.create(name, mss, new ManualClock());
    }

    @ParameterizedTest
    @ValueSource(strings = {"cubic", "newreno"})
    void mssChangeBeforeAnyTrafficRederivesTheInitialWindow(String name) {
        CongestionControl cc = create(name, 536);

        cc.setMss(1460);

        assertEquals(14_600, cc.cwnd());
        assertEquals(1460, cc.mss());
    }

    static Stream<Arguments> algorithmsAndWindowQuantities() {
        List<Named<ToIntFunction<CongestionControl>>> quantities = List.of(
                Named.of("cwnd", CongestionControl::cwnd), Named.of("ssthresh", CongestionControl::ssthresh));
        return Stream.of("cubic", "newreno").flatMap(name -> quantities.stream().map(q -> Arguments.of(name, q)));
    }

    @ParameterizedTest(name = "{0} keeps {1} in segments")
    @MethodSource("algorithmsAndWindowQuantities")
    void mssChangeAfterTrafficKeepsTheWindowInSegments(String name, ToIntFunction<CongestionControl> quantity) {
        CongestionControl cc = create(name, 1000);
        cc.onEnterRecovery(40_000);
        int segments = quantity.applyAsInt(cc) / 1000;

        cc.setMss(500);

        assertEquals(segments * 500, quantity.applyAsInt(cc));
    }

    @ParameterizedTest
    @ValueSource(strings = {"cubic", "newreno"})
    void mssChangeLeavesAnInfiniteSsthreshInfinite(String name) {
        CongestionControl cc = create(name, 1000);
        cc.onAck(1000, cc.cwnd(), -1);

        cc.setMss(500);

        assertEquals(Integer.MAX_VALUE, cc.ssthresh());
    }

    @ParameterizedTest
    @ValueSource(strings = {"cubic", "newreno"})
    void nonPositiveMssIsRejected(String name) {
        CongestionControl cc = create(name, 1000);

        assertThrows(IllegalArgumentException.class, () -> cc.setMss(0));
    }
}
