package io.jnetstack.transport.tcp;

import io.jnetstack.stack.Counters;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Stack-wide TCP counters, in the manner of netstack's tcpip.TCPStats and the MIB of RFC 4022.
 * Every processor thread updates them without locking (one {@link LongAdder} per counter); reads
 * are a moment's sum, not a snapshot across counters.
 */
public final class TcpStats {
    /** The counters; {@link #CURRENT_ESTABLISHED} is a gauge and may also go down. */
    public enum Counter {
        /** Connections that went CLOSED → SYN-SENT (RFC 4022 tcpActiveOpens). */
        ACTIVE_OPENS,
        /** Connections that went LISTEN → SYN-RECEIVED (tcpPassiveOpens). */
        PASSIVE_OPENS,
        /** SYN-SENT or SYN-RECEIVED connections that went to CLOSED (tcpAttemptFails). */
        FAILED_CONNECTION_ATTEMPTS,
        /** ESTABLISHED or CLOSE-WAIT connections reset (tcpEstabResets). */
        ESTABLISHED_RESETS,
        /** Connections now in ESTABLISHED or CLOSE-WAIT (tcpCurrEstab); a gauge. */
        CURRENT_ESTABLISHED,
        SEGMENTS_RECEIVED,
        SEGMENTS_SENT,
        RETRANSMITTED_SEGMENTS,
        FAST_RETRANSMITS,
        /** Retransmission timer expirations. */
        TIMEOUTS,
        RESETS_SENT,
        /** RSTs answering segments without a connection, not sent because of the stack-wide limit. */
        RESETS_RATE_LIMITED,
        RESETS_RECEIVED,
        CHECKSUM_ERRORS,
        /** Bad data offset, options overrunning the header, and the like. */
        MALFORMED_SEGMENTS,
        /** Segments put in the reassembly queue. */
        OUT_OF_ORDER_SEGMENTS,
        /** Segments outside the receive window, or otherwise unacceptable (RFC 9293 §3.10.7.4). */
        INVALID_SEGMENTS,
        /** RFC 5961 challenge ACKs. */
        CHALLENGE_ACKS_SENT,
        /** Challenge ACKs not sent: the connection's or the stack's limit (RFC 5961 §7). */
        CHALLENGE_ACKS_RATE_LIMITED,
        /** ACKs answering out-of-window or PAWS-failed segments without data, not sent: the connection's limit. */
        INVALID_SEGMENT_ACKS_RATE_LIMITED,
        SYN_COOKIES_SENT,
        SYN_COOKIES_VALIDATED,
        SYN_COOKIES_FAILED,
        /** SYNs that found the accept queue full. */
        LISTEN_OVERFLOWS,
        /** SYNs dropped by a listener for any reason. */
        LISTEN_DROPS,
        /** Connections closed because keepalive probes went unanswered. */
        KEEPALIVE_TIMEOUTS,
        ZERO_WINDOW_PROBES,
        /** Loss recoveries entered through SACK (RFC 6675). */
        SACK_RECOVERY_EPISODES,
        /** Retransmissions found unnecessary afterwards (e.g. by D-SACK, RFC 3708). */
        SPURIOUS_RETRANSMITS,
        /** Out-of-order segments not queued: over the connection's bound or TCP memory's queue threshold (TCPOFODrop). */
        OUT_OF_ORDER_DROPS,
        /** Out-of-order queues emptied because TCP memory reached its queue threshold (OfoPruned). */
        OUT_OF_ORDER_PRUNES,
        /** In-order segments dropped because TCP memory was at its limit (TCPRcvQDrop). */
        RECEIVE_MEMORY_DROPS,
        /** Writes cut short because TCP memory was at its queue threshold. */
        SEND_MEMORY_LIMITED,
        /** SYNs and SYN-cookie ACKs a listener dropped because TCP memory was exhausted (also in LISTEN_DROPS). */
        MEMORY_LIMIT_REFUSALS;

        private final String displayName = camelCase(name());

        /** The name in {@link #toMap()}, e.g. {@code activeOpens}. */
        public String displayName() {
            return displayName;
        }

        private static String camelCase(String constant) {
            StringBuilder sb = new StringBuilder();
            boolean upper = false;
            for (char c : constant.toLowerCase(Locale.ROOT).toCharArray()) {
                if (c == '_') {
                    upper = true;
                } else {
                    sb.append(upper ? Character.toUpperCase(c) : c);
                    upper = false;
                }
            }
            return sb.toString();
        }
    }

    /**
     * The counters that count a segment (or queue of them) dropped: each bump is also a
     * jnetstack.PacketDrop JFR event, its reason {@code TCP_} and the constant's name. LISTEN_DROPS
     * is not among them: it sums LISTEN_OVERFLOWS and MEMORY_LIMIT_REFUSALS, which are.
     */
    public static final Set<Counter> DROPS = EnumSet.of(Counter.CHECKSUM_ERRORS, Counter.MALFORMED_SEGMENTS,
            Counter.INVALID_SEGMENTS, Counter.SYN_COOKIES_FAILED, Counter.LISTEN_OVERFLOWS,
            Counter.MEMORY_LIMIT_REFUSALS, Counter.OUT_OF_ORDER_DROPS, Counter.OUT_OF_ORDER_PRUNES,
            Counter.RECEIVE_MEMORY_DROPS);

    private final Counters<Counter> counters = new Counters<>(Counter.class, DROPS, "TCP_");

    public void increment(Counter counter) {
        counters.increment(counter);
    }

    public void add(Counter counter, long delta) {
        if (delta < 0 && counter != Counter.CURRENT_ESTABLISHED) {
            throw new IllegalArgumentException(counter + " only counts up; got " + delta);
        }
        counters.add(counter, delta);
    }

    /** Lowers the {@link Counter#CURRENT_ESTABLISHED} gauge; the other counters only go up. */
    public void decrement(Counter gauge) {
        add(gauge, -1);
    }

    public long get(Counter counter) {
        return counters.get(counter);
    }

    /** Every counter by {@link Counter#displayName()}, in declaration order, for JMX and printing. */
    public Map<String, Long> toMap() {
        Map<String, Long> values = new LinkedHashMap<>();
        counters.snapshot().forEach((c, v) -> values.put(c.displayName(), v));
        return Collections.unmodifiableMap(values);
    }

    @Override
    public String toString() {
        return "TcpStats" + toMap();
    }
}
