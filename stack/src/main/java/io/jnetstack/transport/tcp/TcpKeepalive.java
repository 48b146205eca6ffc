package io.jnetstack.transport.tcp;

import io.jnetstack.time.Clock;
import java.net.SocketException;
import java.time.Duration;

/**
 * Keep-alives for one connection (RFC 1122 §4.2.3.6): after the idle time without a segment
 * from the peer, probe until it answers or the count of probes fails, then end the connection.
 *
 * <p>Threads. The options (SO_KEEPALIVE, TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT) are written by
 * the application and read by the processor, hence volatile; the rest belongs to the
 * connection's processor.
 */
final class TcpKeepalive {
    private final TcpEndpoint endpoint;
    private final Clock clock;
    private final TcpStats stats;
    /** Made when first armed: a connection without keep-alives holds none. */
    private ProcessorTimer timer;

    private volatile boolean enabled;
    private volatile long idleNanos;
    private volatile long intervalNanos;
    private volatile int count;

    // ---- processor only ----
    private long lastReceiveNanos;
    private int probesSent;

    TcpKeepalive(TcpEndpoint endpoint, TcpConfig config, Clock clock, TcpStats stats) {
        this.endpoint = endpoint;
        this.clock = clock;
        this.stats = stats;
        this.idleNanos = config.keepaliveIdle().toNanos();
        this.intervalNanos = config.keepaliveInterval().toNanos();
        this.count = config.keepaliveCount();
        // Made when an option is set, perhaps long after the last segment: the idle time counts from now.
        this.lastReceiveNanos = clock.nanoTime();
    }

    void setEnabled(boolean on) {
        enabled = on;
    }

    boolean isEnabled() {
        return enabled;
    }

    void setParameters(Duration idle, Duration interval, int count) {
        idleNanos = idle.toNanos();
        intervalNanos = interval.toNanos();
        this.count = count;
    }

    Duration idle() {
        return Duration.ofNanos(idleNanos);
    }

    Duration interval() {
        return Duration.ofNanos(intervalNanos);
    }

    int count() {
        return count;
    }

    /** A child connection keeps alive as its listener was told to. */
    void copyOptionsFrom(TcpKeepalive parent) {
        enabled = parent.enabled;
        idleNanos = parent.idleNanos;
        intervalNanos = parent.intervalNanos;
        count = parent.count;
    }

    /** An acceptable segment came: the connection is alive, the idle time starts again. */
    void onSegmentReceived() {
        lastReceiveNanos = clock.nanoTime();
        probesSent = 0;
    }

    /** Starts the idle time if keep-alives are on and the connection may be probed; else stops. */
    void arm() {
        if (enabled && mayProbe(endpoint.state())) {
            timer().arm(idleNanos);
        } else {
            ProcessorTimer.cancelIfMade(timer);
        }
    }

    void stop() {
        ProcessorTimer.cancelIfMade(timer);
    }

    /** Processor only: the endpoint has its processor by the time anything arms the timer. */
    private ProcessorTimer timer() {
        if (timer == null) {
            timer = new ProcessorTimer(clock, endpoint.processor(), this::onTimeout);
        }
        return timer;
    }

    private static boolean mayProbe(TcpState state) {
        return state.isSynchronized() && state != TcpState.TIME_WAIT;
    }

    /** RFC 1122 §4.2.3.6: probe with {@code <SEQ=SND.MAX-1>}, which the peer must acknowledge. */
    private void onTimeout() {
        if (!enabled || !mayProbe(endpoint.state())) {
            return;
        }
        long idle = clock.nanoTime() - lastReceiveNanos;
        if (idle < idleNanos) {
            probesSent = 0; // the peer spoke since: wait out the rest of the idle time
            timer().arm(idleNanos - idle);
            return;
        }
        if (probesSent >= count) {
            stats.increment(TcpStats.Counter.KEEPALIVE_TIMEOUTS);
            endpoint.terminate(new SocketException("Connection timed out"), false);
            return;
        }
        probesSent++;
        endpoint.sendKeepaliveProbe();
        timer().arm(intervalNanos);
    }
}
