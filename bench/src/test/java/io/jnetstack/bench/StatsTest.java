package io.jnetstack.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTest {
    @Test
    void percentileTakesTheFloorIndexLikeThePeers() {
        long[] samples = new long[100];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = i + 1;
        }
        assertEquals(50, Stats.percentile(samples, 100, 0.50)); // index floor(0.5 * 99) = 49
        assertEquals(99, Stats.percentile(samples, 100, 0.99)); // index floor(0.99 * 99) = 98
    }

    @Test
    void percentileLooksOnlyAtTheFilledPart() {
        long[] samples = {5, 1, 3, 0, 0};
        Stats.sort(samples, 3);
        assertEquals(3, Stats.percentile(samples, 3, 0.5));
        assertEquals(5, Stats.percentile(samples, 3, 1.0));
    }

    @Test
    void percentileOfNothingFails() {
        assertThrows(IllegalArgumentException.class, () -> Stats.percentile(new long[1], 0, 0.5));
    }

    @Test
    void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        assertEquals(2.5, Stats.median(List.of(4.0, 1.0, 3.0, 2.0)));
        assertEquals(3.0, Stats.median(List.of(9.0, 3.0, 1.0)));
    }

    @Test
    void medianIgnoresMissingValues() {
        assertEquals(2.0, Stats.median(List.of(Double.NaN, 2.0)));
        assertTrue(Double.isNaN(Stats.median(List.of())));
    }
}
