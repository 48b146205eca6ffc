package io.jnetstack.jfr;

import io.jnetstack.address.IpAddress;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** A connection or listener entered CLOSED, whichever way: orderly, reset, timed out, aborted. */
@Name("jnetstack.Close")
@Label("TCP Close")
@Description("A connection or listener entered CLOSED")
public final class CloseEvent extends ConnectionEvent {
    private static final CloseEvent TYPE = new CloseEvent();

    @Label("Previous State")
    @Description("The state it left for CLOSED (RFC 9293's names)")
    String previousState;

    @Label("Reason")
    @Description("The error the connection ended with, as the application sees it; null for an orderly end or the application's own close")
    String reason;

    @Label("Bytes Sent")
    @Description("Bytes the peer acknowledged")
    @DataAmount
    long bytesSent;

    @Label("Bytes Received")
    @Description("Bytes received in order")
    @DataAmount
    long bytesReceived;

    @Label("Retransmitted Segments")
    long retransmittedSegments;

    public static boolean enabled() {
        return TYPE.isEnabled();
    }

    /** Records a close; callers check {@link #enabled()} first when the figures cost something to gather. */
    public static void emit(IpAddress local, int localPort, IpAddress remote, int remotePort, String previousState,
                            String reason, long bytesSent, long bytesReceived, long retransmittedSegments) {
        if (!enabled()) {
            return;
        }
        CloseEvent e = new CloseEvent();
        e.setEnds(local, localPort, remote, remotePort);
        e.previousState = previousState;
        e.reason = reason;
        e.bytesSent = bytesSent;
        e.bytesReceived = bytesReceived;
        e.retransmittedSegments = retransmittedSegments;
        e.commit();
    }
}
