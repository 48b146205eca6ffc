package io.jnetstack.bench;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One result in the peers' output format: {@code LABEL key=value key=value ...}, one line per
 * workload, so the peers' summarizer and this project's runner read each other's output.
 */
public final class ResultLine {
    private final String label;
    private final Map<String, String> fields;

    private ResultLine(String label, Map<String, String> fields) {
        this.label = label;
        this.fields = fields;
    }

    public static ResultLine of(String label) {
        if (label.isEmpty() || label.contains(" ") || label.contains("=")) {
            throw new IllegalArgumentException("a label is one word without '=': '" + label + "'");
        }
        return new ResultLine(label, new LinkedHashMap<>());
    }

    /**
     * Parses a line, or returns null if it is not a result (a comment, a log line, a line with no
     * {@code key=value} field).
     */
    public static ResultLine parse(String line) {
        String[] words = line.trim().split("\\s+");
        if (words.length < 2 || words[0].startsWith("#") || words[0].contains("=")) {
            return null;
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 1; i < words.length; i++) {
            int eq = words[i].indexOf('=');
            if (eq <= 0) {
                return null;
            }
            fields.put(words[i].substring(0, eq), words[i].substring(eq + 1));
        }
        return new ResultLine(words[0], fields);
    }

    public ResultLine with(String key, String value) {
        if (key.contains(" ") || key.contains("=") || value.contains(" ")) {
            throw new IllegalArgumentException("keys and values are single words: " + key + "=" + value);
        }
        fields.put(key, value);
        return this;
    }

    public ResultLine with(String key, long value) {
        return with(key, Long.toString(value));
    }

    /** A number with {@code decimals} digits after the point, always with a '.' whatever the locale. */
    public ResultLine with(String key, double value, int decimals) {
        return with(key, String.format(Locale.ROOT, "%." + decimals + "f", value));
    }

    public String label() {
        return label;
    }

    public Map<String, String> fields() {
        return Collections.unmodifiableMap(fields);
    }

    public String get(String key) {
        return fields.get(key);
    }

    /** The field as a number, or NaN when absent or not numeric. */
    public double number(String key) {
        String v = fields.get(key);
        if (v == null) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(label);
        fields.forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
        return sb.toString();
    }
}
