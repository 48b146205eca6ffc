package io.jnetstack.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MachineLoadTest {
    @Test
    void busyCountsEverythingButIdleAndIowait() {
        MachineLoad.Ticks t = MachineLoad.parse("cpu  100 10 50 800 20 5 5 10 0 0");
        assertEquals(180, t.busy());
        assertEquals(1000, t.total());
    }

    @Test
    void busyPercentIsTheShareOfTicksBetweenTwoReadings() {
        MachineLoad.Ticks before = new MachineLoad.Ticks(100, 1000);
        assertEquals(25, new MachineLoad.Ticks(150, 1200).busyPercentSince(before));
        assertEquals(-1, new MachineLoad.Ticks(100, 1000).busyPercentSince(before));
    }
}
