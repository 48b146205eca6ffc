package io.jnetstack.jfr;

import io.jnetstack.address.IpAddress;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * An active open ended: the handshake completed, or the attempt failed (refused, timed out, closed
 * by the application first). A connect that fails before sending its SYN, for lack of a route,
 * throws to its caller and emits nothing.
 */
@Name("jnetstack.Connect")
@Label("TCP Connect")
@Description("An active open completed or failed")
public final class ConnectEvent extends ConnectionEvent {
    private static final ConnectEvent TYPE = new ConnectEvent();

    @Label("Failure")
    @Description("Why the attempt failed; null when the connection was established")
    String failure;

    public static boolean enabled() {
        return TYPE.isEnabled();
    }

    /** Records an active open that succeeded ({@code failure} null) or failed, if a recording wants it. */
    public static void emit(IpAddress local, int localPort, IpAddress remote, int remotePort, String failure) {
        if (!enabled()) {
            return;
        }
        ConnectEvent e = new ConnectEvent();
        e.setEnds(local, localPort, remote, remotePort);
        e.failure = failure;
        e.commit();
    }
}
