package io.jnetstack.transport.tcp;

import java.time.Duration;

/**
 * Stack-wide TCP settings; every connection starts from these and may override the per-socket
 * ones (buffer sizes, keepalive, no-delay) through {@link TcpEndpoint} options.
 *
 * @param minRto              lower bound of the retransmission timeout (RFC 6298 §2.4 says 1 s; Linux uses 200 ms)
 * @param maxRto              upper bound after backoff (RFC 6298 §2.5 allows ≥ 60 s)
 * @param initialRto          RTO before the first RTT sample (RFC 6298 §2.1)
 * @param timeWait            how long TIME-WAIT lasts: 2·MSL (RFC 9293 §3.4.2)
 * @param synRetries          SYN retransmissions before connect fails with "Connection timed out"
 * @param synAckRetries       SYN-ACK retransmissions before a half-open connection is dropped
 * @param dataRetries         data retransmissions before an established connection is aborted (Linux tcp_retries2)
 * @param delayedAckTimeout   longest an ACK waits for a second segment (RFC 9293 §3.8.6.3: &lt; 0.5 s)
 * @param keepaliveIdle       idle time before the first keepalive probe (RFC 1122 §4.2.3.6: ≥ 2 h)
 * @param keepaliveInterval   time between unanswered probes
 * @param keepaliveCount      unanswered probes before the connection is aborted
 * @param sendBufferSize      default SO_SNDBUF in bytes
 * @param receiveBufferSize   default (and, with auto-tuning, initial) SO_RCVBUF in bytes
 * @param congestionControl   "cubic" or "newreno"
 * @param sack                offer SACK-permitted (RFC 2018)
 * @param timestamps          offer timestamps (RFC 7323 §3)
 * @param windowScaling       offer window scaling (RFC 7323 §2)
 * @param synQueueLength      half-open connections a listener keeps before answering with SYN cookies
 * @param maxOutOfOrderBytes  bound of the reassembly queue per connection, at true cost (arrays and bookkeeping)
 * @param maxReceiveBufferSize how far receive-buffer auto-tuning may grow a buffer the application
 *                            did not size itself (Linux's tcp_rmem max); equal to
 *                            {@code receiveBufferSize} turns auto-tuning off
 * @param memoryLimit         heap bytes all connections' buffers and out-of-order queues may hold,
 *                            at true cost (Linux's tcp_mem; see {@link TcpMemory}); by default a
 *                            quarter of the JVM's maximum heap, so that no peers can take TCP past
 *                            a share the application can spare
 */
public record TcpConfig(Duration minRto, Duration maxRto, Duration initialRto, Duration timeWait, int synRetries,
                        int synAckRetries, int dataRetries, Duration delayedAckTimeout, Duration keepaliveIdle,
                        Duration keepaliveInterval, int keepaliveCount, int sendBufferSize, int receiveBufferSize,
                        String congestionControl, boolean sack, boolean timestamps, boolean windowScaling,
                        int synQueueLength, int maxOutOfOrderBytes, int maxReceiveBufferSize, long memoryLimit) {
    /** The default {@link #memoryLimit}'s share of the maximum heap. */
    public static final int HEAP_SHARE_DIVISOR = 4;


    public static TcpConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Defaults as Linux ships them, except where a comment on {@link TcpConfig} says otherwise. */
    public static final class Builder {
        private Duration minRto = Duration.ofMillis(200);
        private Duration maxRto = Duration.ofSeconds(120);
        private Duration initialRto = Duration.ofSeconds(1);
        private Duration timeWait = Duration.ofSeconds(60);
        private int synRetries = 6;
        private int synAckRetries = 5;
        private int dataRetries = 15;
        private Duration delayedAckTimeout = Duration.ofMillis(40);
        private Duration keepaliveIdle = Duration.ofHours(2);
        private Duration keepaliveInterval = Duration.ofSeconds(75);
        private int keepaliveCount = 9;
        private int sendBufferSize = 1 << 20;
        private int receiveBufferSize = 1 << 20;
        private String congestionControl = "cubic";
        private boolean sack = true;
        private boolean timestamps = true;
        private boolean windowScaling = true;
        private int synQueueLength = 256;
        private int maxOutOfOrderBytes = 1 << 20;
        private int maxReceiveBufferSize = 4 << 20;
        private long memoryLimit = Runtime.getRuntime().maxMemory() / HEAP_SHARE_DIVISOR;

        public Builder minRto(Duration d) { minRto = d; return this; }
        public Builder maxRto(Duration d) { maxRto = d; return this; }
        public Builder initialRto(Duration d) { initialRto = d; return this; }
        public Builder timeWait(Duration d) { timeWait = d; return this; }
        public Builder synRetries(int n) { synRetries = n; return this; }
        public Builder synAckRetries(int n) { synAckRetries = n; return this; }
        public Builder dataRetries(int n) { dataRetries = n; return this; }
        public Builder delayedAckTimeout(Duration d) { delayedAckTimeout = d; return this; }
        public Builder keepalive(Duration idle, Duration interval, int count) {
            keepaliveIdle = idle;
            keepaliveInterval = interval;
            keepaliveCount = count;
            return this;
        }
        public Builder bufferSizes(int send, int receive) { sendBufferSize = send; receiveBufferSize = receive; return this; }
        public Builder congestionControl(String name) { congestionControl = name; return this; }
        public Builder sack(boolean on) { sack = on; return this; }
        public Builder timestamps(boolean on) { timestamps = on; return this; }
        public Builder windowScaling(boolean on) { windowScaling = on; return this; }
        public Builder synQueueLength(int n) { synQueueLength = n; return this; }
        public Builder maxOutOfOrderBytes(int n) { maxOutOfOrderBytes = n; return this; }
        public Builder maxReceiveBufferSize(int n) { maxReceiveBufferSize = n; return this; }
        public Builder memoryLimit(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("TCP memory limit must be positive, got " + bytes);
            }
            memoryLimit = bytes;
            return this;
        }

        /** @throws IllegalArgumentException naming the accepted congestion controls, for any other */
        public TcpConfig build() {
            CongestionControl.canonicalName(congestionControl);
            return new TcpConfig(minRto, maxRto, initialRto, timeWait, synRetries, synAckRetries, dataRetries,
                    delayedAckTimeout, keepaliveIdle, keepaliveInterval, keepaliveCount, sendBufferSize,
                    receiveBufferSize, congestionControl, sack, timestamps, windowScaling, synQueueLength,
                    maxOutOfOrderBytes, Math.max(maxReceiveBufferSize, receiveBufferSize), memoryLimit);
        }
    }
}
