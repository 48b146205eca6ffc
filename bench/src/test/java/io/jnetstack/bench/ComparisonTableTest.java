package io.jnetstack.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ComparisonTableTest {
    private static final ComparisonTable.Metric BULK = ComparisonTable.METRICS.get(0);

    private static ComparisonTable table() {
        ComparisonTable t = new ComparisonTable(List.of("jdk", "jnetstack"));
        for (String gbps : List.of("20", "10", "30")) {
            t.add("jdk", ResultLine.parse("jdk-loopback bulk_gbps=" + gbps + " alloc_b_per_op=32"));
        }
        for (String gbps : List.of("2", "4", "3")) {
            t.add("jnetstack", ResultLine.parse("jnetstack-loopback bulk_gbps=" + gbps));
        }
        return t;
    }

    @Test
    void theRatioDividesTheMediansByTheFirstColumns() {
        ComparisonTable t = table();
        assertEquals(20.0, t.median("jdk", BULK));
        assertEquals(3.0, t.median("jnetstack", BULK));
        assertEquals(0.15, t.ratio("jnetstack", BULK), 1e-12);
    }

    @Test
    void allocationIsFiledUnderTheWorkloadOfItsLine() {
        ComparisonTable t = table();
        ComparisonTable.Metric bulkAllocation = ComparisonTable.METRICS.stream()
                .filter(m -> m.name().equals("bulk_alloc_b_per_write")).findFirst().orElseThrow();
        assertEquals(3, t.runs("jdk", bulkAllocation));
        assertEquals(0, t.runs("jnetstack", bulkAllocation));
    }

    @Test
    void theRenderedTableShowsMediansRunsAndRatio() {
        String text = table().render();
        assertTrue(text.contains("jnetstack/jdk"), text);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("bulk_gbps") && l.contains("20.0 (3)")
                && l.contains("3.00 (3)") && l.endsWith("0.150")), text);
        assertTrue(text.lines().noneMatch(l -> l.startsWith("cc_per_s")), "metrics nobody reported are left out");
    }
}
