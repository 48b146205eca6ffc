package io.jnetstack.jfr;

import io.jnetstack.address.IpAddress;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** The application accepted a connection from a listener's accept queue. */
@Name("jnetstack.Accept")
@Label("TCP Accept")
@Description("The application accepted a connection that completed its handshake")
public final class AcceptEvent extends ConnectionEvent {
    private static final AcceptEvent TYPE = new AcceptEvent();

    public static boolean enabled() {
        return TYPE.isEnabled();
    }

    public static void emit(IpAddress local, int localPort, IpAddress remote, int remotePort) {
        if (!enabled()) {
            return;
        }
        AcceptEvent e = new AcceptEvent();
        e.setEnds(local, localPort, remote, remotePort);
        e.commit();
    }
}
