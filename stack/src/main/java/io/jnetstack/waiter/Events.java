package io.jnetstack.waiter;

/** Readiness event bits, as in poll(2): an endpoint's readiness and a waiter's interest are masks of these. */
public final class Events {
    /** Data (or a connection, or EOF) can be read without blocking. */
    public static final int IN = 1;
    /** Data can be written (or a connect has completed) without blocking. */
    public static final int OUT = 1 << 2;
    /** An error is pending. */
    public static final int ERR = 1 << 3;
    /** The endpoint is closed or reset; no more data will flow. */
    public static final int HUP = 1 << 4;
    /** Every event. */
    public static final int ALL = IN | OUT | ERR | HUP;

    private Events() {
    }

    /** A readable rendering such as {@code IN|OUT}, for logs and test messages. */
    public static String toString(int mask) {
        StringBuilder sb = new StringBuilder();
        append(sb, mask, IN, "IN");
        append(sb, mask, OUT, "OUT");
        append(sb, mask, ERR, "ERR");
        append(sb, mask, HUP, "HUP");
        return sb.length() == 0 ? "0" : sb.toString();
    }

    private static void append(StringBuilder sb, int mask, int bit, String name) {
        if ((mask & bit) != 0) {
            if (sb.length() > 0) {
                sb.append('|');
            }
            sb.append(name);
        }
    }
}
