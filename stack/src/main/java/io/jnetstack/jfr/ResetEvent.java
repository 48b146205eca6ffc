package io.jnetstack.jfr;

import io.jnetstack.address.IpAddress;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** A RST went out or was accepted (a RST that RFC 5961 challenges or that is out of window is not one). */
@Name("jnetstack.Reset")
@Label("TCP Reset")
@Description("A RST was sent, or a received one was accepted")
public final class ResetEvent extends ConnectionEvent {
    public static final String SENT = "sent";
    public static final String RECEIVED = "received";

    private static final ResetEvent TYPE = new ResetEvent();

    @Label("Direction")
    @Description("sent or received")
    String direction;

    @Label("State")
    @Description("The connection's state when it sent or took the RST; null for a RST answering one segment that no connection takes (RFC 9293 3.10.7.1) or an unacceptable ACK")
    String state;

    public static boolean enabled() {
        return TYPE.isEnabled();
    }

    /** {@code direction} is {@link #SENT} or {@link #RECEIVED}. */
    public static void emit(IpAddress local, int localPort, IpAddress remote, int remotePort, String direction,
                            String state) {
        if (!enabled()) {
            return;
        }
        ResetEvent e = new ResetEvent();
        e.setEnds(local, localPort, remote, remotePort);
        e.direction = direction;
        e.state = state;
        e.commit();
    }
}
