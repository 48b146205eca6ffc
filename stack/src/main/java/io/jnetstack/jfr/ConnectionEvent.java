package io.jnetstack.jfr;

import io.jnetstack.address.IpAddress;
import jdk.jfr.Category;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.StackTrace;

/** What every TCP connection event names: the connection's two ends. */
@Category({"jnetstack", "TCP"})
@StackTrace(false)
abstract class ConnectionEvent extends Event {
    @Label("Local Address")
    String localAddress;

    @Label("Local Port")
    int localPort;

    @Label("Remote Address")
    String remoteAddress;

    @Label("Remote Port")
    int remotePort;

    /** Sets the ends; a listener has no remote end (null address, port 0). */
    final void setEnds(IpAddress local, int localPort, IpAddress remote, int remotePort) {
        this.localAddress = local == null ? null : local.toString();
        this.localPort = localPort;
        this.remoteAddress = remote == null ? null : remote.toString();
        this.remotePort = remotePort;
    }
}
