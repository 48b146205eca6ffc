package io.jnetstack.fault;

import io.jnetstack.address.IpAddress;
import io.jnetstack.address.IpSubnet;
import io.jnetstack.fault.FaultyLink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads fault rules. Rules are separated by {@code ;}; a rule's fields by {@code :} (an IPv6
 * address is written in brackets, {@code raddr=[::1]}). Fields that select packets:
 * {@code tcp|udp|icmp|any}, {@code dir=in|out|both}, {@code nic=NAME},
 * {@code laddr=ADDR[/PREFIX]}, {@code raddr=ADDR[/PREFIX]}, {@code port=N} (either end),
 * {@code lport=N}, {@code rport=N}; fields that fault them: {@code latency=50ms} or
 * {@code latency=50ms±5ms} ({@code +-} also reads as ±), {@code loss=5%}, {@code dup=1%},
 * {@code reorder=10%}, {@code corrupt=1%}, {@code bandwidth=1mbit} (bit, kbit, mbit or gbit per
 * second), {@code reset=64k} (after that many payload bytes; k and m are 1024 and 1024²) or
 * {@code reset=2s} (after that time), {@code blackhole}, {@code slowclose=1s}, {@code slice=10}
 * (bytes), and {@code seed=N}. Times carry a unit: ns, us, ms or s.
 */
public final class FaultRuleSyntax {
    /** The accepted form, for error messages. */
    public static final String FORM = "rules separated by ';', each made of fields separated by ':' — packets:"
            + " tcp|udp|icmp|any, dir=in|out|both, nic=NAME, laddr=|raddr=ADDRESS[/PREFIX] (IPv6 in [ ]),"
            + " port=|lport=|rport=N; faults (at least one): latency=TIME[±TIME], loss=|dup=|reorder=|corrupt=PERCENT%,"
            + " bandwidth=N(bit|kbit|mbit|gbit), reset=BYTES[k|m]|TIME, blackhole, slowclose=TIME, slice=BYTES;"
            + " seed=N; TIME is a number with ns, us, ms or s — e.g. tcp:port=8080:loss=5%:seed=7;udp:dir=in:latency=20ms±5ms";

    private FaultRuleSyntax() {
    }

    static List<FaultRule> parseRules(String text) {
        List<FaultRule> rules = new ArrayList<>();
        for (String part : text.split(";")) {
            if (!part.isBlank()) {
                rules.add(parseRule(part));
            }
        }
        return rules;
    }

    static FaultRule parseRule(String text) {
        String rule = text.trim();
        try {
            return new RuleReader(rule).read();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("fault rule '" + rule + "': " + e.getMessage() + " (expected " + FORM + ")", e);
        }
    }

    /** The fields of one rule, read left to right. */
    private static final class RuleReader {
        private final String rule;
        private final Set<String> seen = new HashSet<>();
        private PacketMatch.Protocol protocol = PacketMatch.Protocol.ANY;
        private PacketMatch.Direction direction = PacketMatch.Direction.BOTH;
        private String nic;
        private IpSubnet localAddress;
        private IpSubnet remoteAddress;
        private int port = -1;
        private int localPort = -1;
        private int remotePort = -1;
        private final FaultyLink.Faults.Builder faults = FaultyLink.Faults.builder();
        private long bitsPerSecond;
        private long resetAfterBytes = -1;
        private long resetAfterNanos = -1;
        private boolean blackhole;
        private long slowCloseNanos;
        private int sliceBytes;
        private boolean faulting;

        RuleReader(String rule) {
            this.rule = rule;
        }

        FaultRule read() {
            if (rule.isEmpty()) {
                throw new IllegalArgumentException("the rule is empty");
            }
            for (String field : fields(rule)) {
                readField(field.trim());
            }
            if (!faulting) {
                throw new IllegalArgumentException("no fault named");
            }
            PacketMatch match = new PacketMatch(protocol, direction, nic, localAddress, remoteAddress, port, localPort,
                    remotePort);
            FaultAction action = new FaultAction(FaultyLink.Schedule.constant(faults.build()), bitsPerSecond,
                    resetAfterBytes, resetAfterNanos, blackhole, slowCloseNanos, sliceBytes);
            return new FaultRule(rule, match, action);
        }

        /** Splits on ':' outside brackets. */
        private static List<String> fields(String rule) {
            List<String> fields = new ArrayList<>();
            int depth = 0;
            int start = 0;
            for (int i = 0; i < rule.length(); i++) {
                char c = rule.charAt(i);
                if (c == '[') {
                    depth++;
                } else if (c == ']') {
                    depth--;
                } else if (c == ':' && depth == 0) {
                    fields.add(rule.substring(start, i));
                    start = i + 1;
                }
            }
            fields.add(rule.substring(start));
            return fields;
        }

        private void readField(String field) {
            int eq = field.indexOf('=');
            String key = (eq < 0 ? field : field.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
            String value = eq < 0 ? null : field.substring(eq + 1).trim();
            boolean isProtocol = value == null && !key.equals("blackhole");
            if (!seen.add(isProtocol ? "protocol" : key)) {
                throw new IllegalArgumentException("'" + field + "' repeats " + (isProtocol ? "the protocol" : key));
            }
            if (value == null) {
                readFlag(key);
                return;
            }
            if (value.isEmpty()) {
                throw new IllegalArgumentException("'" + field + "' has no value");
            }
            switch (key) {
                case "dir" -> direction = choice(value, PacketMatch.Direction.class, field);
                case "nic" -> nic = value;
                case "laddr" -> localAddress = subnet(value);
                case "raddr" -> remoteAddress = subnet(value);
                case "port" -> port = portNumber(value);
                case "lport" -> localPort = portNumber(value);
                case "rport" -> remotePort = portNumber(value);
                case "seed" -> faults.seed(longNumber(value, field));
                case "latency" -> latency(value);
                case "loss" -> faults.loss(percent(value));
                case "dup" -> faults.duplication(percent(value));
                case "reorder" -> faults.reordering(percent(value));
                case "corrupt" -> faults.corruption(percent(value));
                case "bandwidth" -> bitsPerSecond = bandwidth(value);
                case "reset" -> reset(value);
                case "slowclose" -> slowCloseNanos = positiveNanos(value);
                case "slice" -> sliceBytes = (int) sizeInRange(value, 1, 65535, "slice");
                default -> throw new IllegalArgumentException("unknown field '" + key + "'");
            }
            if (!key.equals("seed") && !key.equals("dir") && !key.equals("nic") && !key.endsWith("addr")
                    && !key.endsWith("port")) {
                faulting = true;
            }
        }

        private void readFlag(String key) {
            switch (key) {
                case "tcp", "udp", "icmp", "any" -> protocol = PacketMatch.Protocol.valueOf(key.toUpperCase(Locale.ROOT));
                case "blackhole" -> {
                    blackhole = true;
                    faulting = true;
                }
                default -> throw new IllegalArgumentException("unknown field '" + key + "'");
            }
        }

        private void latency(String value) {
            String v = value.replace("+-", "±");
            int pm = v.indexOf('±');
            long base = nanos(pm < 0 ? v : v.substring(0, pm));
            long jitter = pm < 0 ? 0 : nanos(v.substring(pm + 1));
            if (jitter > base) {
                throw new IllegalArgumentException("latency=" + value + ": the jitter exceeds the latency");
            }
            faults.delay(1, Duration.ofNanos(base - jitter), Duration.ofNanos(base + jitter));
        }

        private void reset(String value) {
            if (endsWithTimeUnit(value)) {
                resetAfterNanos = nanos(value);
            } else {
                resetAfterBytes = sizeInRange(value, 0, Long.MAX_VALUE >> 20, "reset");
            }
        }

        private static <E extends Enum<E>> E choice(String value, Class<E> type, String field) {
            try {
                return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + field + "' is not one of in, out, both");
            }
        }

        private static IpSubnet subnet(String value) {
            String v = value;
            int slash = v.lastIndexOf('/');
            String address = slash < 0 ? v : v.substring(0, slash);
            if (address.startsWith("[") && address.endsWith("]")) {
                address = address.substring(1, address.length() - 1);
            }
            IpAddress a = IpAddress.parse(address);
            int prefix = slash < 0 ? a.length() * 8 : (int) longNumber(v.substring(slash + 1), value);
            return new IpSubnet(a, prefix);
        }

        private static int portNumber(String value) {
            long n = longNumber(value, value);
            if (n < 0 || n > 65535) {
                throw new IllegalArgumentException("port " + value + " is not in 0..65535");
            }
            return (int) n;
        }

        private static long longNumber(String value, String field) {
            try {
                return Long.parseLong(value.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + field + "' is not a whole number");
            }
        }

        private static double percent(String value) {
            if (!value.endsWith("%")) {
                throw new IllegalArgumentException("'" + value + "' is not a percentage such as 5%");
            }
            double p;
            try {
                p = Double.parseDouble(value.substring(0, value.length() - 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + value + "' is not a percentage such as 5%");
            }
            if (!(p >= 0 && p <= 100)) {
                throw new IllegalArgumentException("'" + value + "' is not within 0% to 100%");
            }
            return p / 100;
        }

        private static boolean endsWithTimeUnit(String value) {
            return value.endsWith("s");
        }

        private static long positiveNanos(String value) {
            long n = nanos(value);
            if (n <= 0) {
                throw new IllegalArgumentException("'" + value + "' must be longer than 0");
            }
            return n;
        }

        /** A time with its unit: ns, us, ms or s. */
        private static long nanos(String value) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            long unit;
            String digits;
            if (v.endsWith("ns")) {
                unit = 1;
                digits = v.substring(0, v.length() - 2);
            } else if (v.endsWith("us")) {
                unit = 1_000;
                digits = v.substring(0, v.length() - 2);
            } else if (v.endsWith("ms")) {
                unit = 1_000_000;
                digits = v.substring(0, v.length() - 2);
            } else if (v.endsWith("s")) {
                unit = 1_000_000_000;
                digits = v.substring(0, v.length() - 1);
            } else {
                throw new IllegalArgumentException("'" + value + "' is not a time such as 50ms (units ns, us, ms, s)");
            }
            double n;
            try {
                n = Double.parseDouble(digits);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + value + "' is not a time such as 50ms (units ns, us, ms, s)");
            }
            if (!(n >= 0 && n * unit <= Long.MAX_VALUE / 4)) {
                throw new IllegalArgumentException("'" + value + "' is not a time from 0 to about 70 years");
            }
            return Math.round(n * unit);
        }

        /** Bits per second: a number with bit, kbit, mbit or gbit (powers of 1000, as tc counts). */
        private static long bandwidth(String value) {
            String v = value.toLowerCase(Locale.ROOT);
            String[] units = {"gbit", "mbit", "kbit", "bit"};
            long[] factors = {1_000_000_000L, 1_000_000L, 1_000L, 1L};
            for (int i = 0; i < units.length; i++) {
                if (v.endsWith(units[i])) {
                    double n;
                    try {
                        n = Double.parseDouble(v.substring(0, v.length() - units[i].length()));
                    } catch (NumberFormatException e) {
                        break;
                    }
                    long bits = Math.round(n * factors[i]);
                    if (bits < 8 || n * factors[i] > 1e12) {
                        throw new IllegalArgumentException("bandwidth=" + value + " is not from 8bit to 1000gbit");
                    }
                    return bits;
                }
            }
            throw new IllegalArgumentException("'" + value + "' is not a rate such as 1mbit (bit, kbit, mbit, gbit per second)");
        }

        /** Bytes, optionally with k (1024) or m (1024²). */
        private static long sizeInRange(String value, long min, long max, String key) {
            String v = value.toLowerCase(Locale.ROOT);
            int shift = v.endsWith("k") ? 10 : v.endsWith("m") ? 20 : 0;
            String digits = shift == 0 ? v : v.substring(0, v.length() - 1);
            long n;
            try {
                n = Long.parseLong(digits) << shift;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(key + "=" + value + " is not a byte count such as 1500, 64k or 1m");
            }
            if (digits.length() > 15 || n < min || n > max) {
                throw new IllegalArgumentException(key + "=" + value + " is not from " + min + " to " + max + " bytes");
            }
            return n;
        }
    }
}
