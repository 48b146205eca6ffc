package io.jnetstack.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * The stack dropped a packet (or a queue of them) and counted it: one event per increment of a
 * drop counter, named by the counter. Off unless a recording enables it (jnetstack.jfc does),
 * since a flood of bad packets makes one event each.
 */
@Name("jnetstack.PacketDrop")
@Label("Packet Drop")
@Description("The stack dropped a packet and counted it")
@Category({"jnetstack", "Drops"})
@StackTrace(false)
@Enabled(false)
public final class PacketDropEvent extends Event {
    private static final PacketDropEvent TYPE = new PacketDropEvent();

    @Label("Reason")
    @Description("The counter that counted the drop: a StackCounter name (IPV4_CHECKSUM_ERRORS), or TCP_ and a TcpStats counter name (TCP_INVALID_SEGMENTS)")
    String reason;

    @Label("Count")
    @Description("Drops counted at once, usually 1")
    long count;

    public static boolean enabled() {
        return TYPE.isEnabled();
    }

    public static void emit(String reason, long count) {
        if (!enabled()) {
            return;
        }
        PacketDropEvent e = new PacketDropEvent();
        e.reason = reason;
        e.count = count;
        e.commit();
    }
}
