package io.jnetstack.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Medians per column and metric over repeated runs, and each column's ratio to the first
 * (reference) column: the form in which the project reports speed and memory.
 */
final class ComparisonTable {
    /**
     * A reported figure: the field {@code key} of the {@code workload}'s line, shown as
     * {@code name}, and which direction is better, so a reader can tell a ratio's sense.
     */
    record Metric(String name, String workload, String key, boolean higherIsBetter) {
    }

    /** Every figure the runner compares, in print order. */
    static final List<Metric> METRICS = List.of(
            new Metric("bulk_gbps", "bulk", "bulk_gbps", true),
            new Metric("rr_p50_us", "rr", "rr_p50_us", false),
            new Metric("rr_p99_us", "rr", "rr_p99_us", false),
            new Metric("rr_tps", "rr", "rr_tps", true),
            new Metric("cc_per_s", "cc", "cc_per_s", true),
            new Metric("rss_peak_mib", "memory", "rss_peak_mib", false),
            new Metric("bulk_alloc_b_per_write", "bulk", "alloc_b_per_op", false),
            new Metric("rr_alloc_b_per_rt", "rr", "alloc_b_per_op", false),
            new Metric("cc_alloc_b_per_conn", "cc", "alloc_b_per_op", false));

    private final List<String> columns;
    /** column → metric name → one value per run. */
    private final Map<String, Map<String, List<Double>>> values = new LinkedHashMap<>();

    /** {@code columns[0]} is the reference the ratios divide by. */
    ComparisonTable(List<String> columns) {
        this.columns = List.copyOf(columns);
        for (String c : columns) {
            values.put(c, new LinkedHashMap<>());
        }
    }

    /** The workload a result line reports, told by its headline figure. */
    static String workloadOf(ResultLine line) {
        if (line.get("bulk_gbps") != null) {
            return "bulk";
        }
        if (line.get("rr_p50_us") != null) {
            return "rr";
        }
        if (line.get("cc_per_s") != null) {
            return "cc";
        }
        if (line.get("rss_peak_mib") != null) {
            return "memory";
        }
        return null;
    }

    void add(String column, ResultLine line) {
        Map<String, List<Double>> byMetric = values.get(column);
        if (byMetric == null) {
            throw new IllegalArgumentException("unknown column " + column + "; columns are " + columns);
        }
        String workload = workloadOf(line);
        for (Metric m : METRICS) {
            double v = line.number(m.key());
            if (m.workload().equals(workload) && !Double.isNaN(v)) {
                byMetric.computeIfAbsent(m.name(), k -> new ArrayList<>()).add(v);
            }
        }
    }

    double median(String column, Metric metric) {
        return Stats.median(values.get(column).getOrDefault(metric.name(), List.of()));
    }

    int runs(String column, Metric metric) {
        return values.get(column).getOrDefault(metric.name(), List.of()).size();
    }

    /** {@code column}'s median over the reference column's; NaN when either is missing or zero. */
    double ratio(String column, Metric metric) {
        double reference = median(columns.get(0), metric);
        double value = median(column, metric);
        return reference == 0 ? Double.NaN : value / reference;
    }

    /** The table as aligned text: medians per column, then each other column's ratio to the first. */
    String render() {
        StringBuilder sb = new StringBuilder();
        List<String> header = new ArrayList<>(List.of("metric", "better"));
        for (String c : columns) {
            header.add(c + " (median, n)");
        }
        for (String c : columns.subList(1, columns.size())) {
            header.add(c + "/" + columns.get(0));
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(header);
        for (Metric m : METRICS) {
            if (columns.stream().allMatch(c -> runs(c, m) == 0)) {
                continue;
            }
            List<String> row = new ArrayList<>(List.of(m.name(), m.higherIsBetter() ? "higher" : "lower"));
            for (String c : columns) {
                row.add(runs(c, m) == 0 ? "-" : format(median(c, m)) + " (" + runs(c, m) + ")");
            }
            for (String c : columns.subList(1, columns.size())) {
                double r = ratio(c, m);
                row.add(Double.isNaN(r) ? "-" : String.format(Locale.ROOT, "%.3f", r));
            }
            rows.add(row);
        }
        int[] widths = new int[header.size()];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                String cell = row.get(i);
                // Names left-aligned, numbers right-aligned.
                String padded = i < 2 ? String.format("%-" + widths[i] + "s", cell) : String.format("%" + widths[i] + "s", cell);
                sb.append(i == 0 ? "" : "  ").append(padded);
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** Three significant digits or more, like the peers' summary. */
    static String format(double v) {
        double a = Math.abs(v);
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        if (a >= 1) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
