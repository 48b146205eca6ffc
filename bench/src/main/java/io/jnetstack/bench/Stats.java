package io.jnetstack.bench;

import java.util.Arrays;
import java.util.Collection;

/** The few statistics the benchmarks report: percentiles of samples and medians of repeated runs. */
public final class Stats {
    private Stats() {
    }

    /**
     * The {@code q}-quantile (0..1) of {@code sortedSamples}, taken as the element at index
     * {@code floor(q * (n - 1))}: the rule the peer programs use, so p50/p99 compare exactly.
     */
    public static long percentile(long[] sortedSamples, int count, double q) {
        if (count <= 0) {
            throw new IllegalArgumentException("no samples");
        }
        if (q < 0 || q > 1) {
            throw new IllegalArgumentException("quantile outside 0..1: " + q);
        }
        return sortedSamples[(int) (q * (count - 1))];
    }

    /** The median (the mean of the two middle values for an even count); NaN when empty. */
    public static double median(Collection<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).filter(d -> !Double.isNaN(d)).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        int mid = v.length / 2;
        return v.length % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
    }

    /** Sorts the first {@code count} samples in place, for {@link #percentile}. */
    public static void sort(long[] samples, int count) {
        Arrays.sort(samples, 0, count);
    }
}
