package io.jnetstack.jfr;

import io.jnetstack.address.IpAddress;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Timespan;

/**
 * The retransmission timer expired and the connection retransmits (its SYN, SYN-ACK or data): one
 * event per expiry that TCP's {@code timeouts} counter counts. The expiry that gives up instead
 * ends the connection, seen as a Close (or failed Connect) saying "Connection timed out".
 */
@Name("jnetstack.RetransmissionTimeout")
@Label("TCP Retransmission Timeout")
@Description("The retransmission timer expired and the connection retransmits")
public final class RetransmissionTimeoutEvent extends ConnectionEvent {
    private static final RetransmissionTimeoutEvent TYPE = new RetransmissionTimeoutEvent();

    @Label("State")
    String state;

    @Label("RTO")
    @Description("The timeout now timing the retransmission, backed off after this expiry (RFC 6298 5.5)")
    @Timespan(Timespan.NANOSECONDS)
    long rto;

    @Label("Consecutive Timeouts")
    @Description("Expiries in a row without progress, this one included")
    int consecutiveTimeouts;

    @Label("Bytes In Flight")
    @Description("Data sent and not yet acknowledged")
    @DataAmount
    long bytesInFlight;

    public static boolean enabled() {
        return TYPE.isEnabled();
    }

    public static void emit(IpAddress local, int localPort, IpAddress remote, int remotePort, String state,
                            long rtoNanos, int consecutiveTimeouts, long bytesInFlight) {
        if (!enabled()) {
            return;
        }
        RetransmissionTimeoutEvent e = new RetransmissionTimeoutEvent();
        e.setEnds(local, localPort, remote, remotePort);
        e.state = state;
        e.rto = rtoNanos;
        e.consecutiveTimeouts = consecutiveTimeouts;
        e.bytesInFlight = bytesInFlight;
        e.commit();
    }
}
