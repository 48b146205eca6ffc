package io.jnetstack.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * A fault rule ({@code jnetstack.fault}, {@code Stack.faults()}) acted on a frame: dropped,
 * delayed, duplicated, corrupted, sliced or reordered it, or reset its connection. Off unless a
 * recording enables it (jnetstack.jfc does), since a rule on every packet makes one event each.
 */
@Name("jnetstack.FaultRuleHit")
@Label("Fault Rule Hit")
@Description("A fault rule acted on a frame")
@Category({"jnetstack"})
@StackTrace(false)
@Enabled(false)
public final class FaultRuleHitEvent extends Event {
    private static final FaultRuleHitEvent TYPE = new FaultRuleHitEvent();

    @Label("Rule")
    @Description("The rule as written, e.g. tcp:port=8080:loss=5%:seed=7")
    String rule;

    @Label("Action")
    @Description("loss, blackhole, reset, corrupt, slice, dup, latency, slowclose, bandwidth, overflow or reorder")
    String action;

    @Label("NIC")
    String nic;

    @Label("Bytes")
    @Description("The frame's length")
    int bytes;

    public static boolean enabled() {
        return TYPE.isEnabled();
    }

    public static void emit(String rule, String action, String nic, int bytes) {
        if (!enabled()) {
            return;
        }
        FaultRuleHitEvent e = new FaultRuleHitEvent();
        e.rule = rule;
        e.action = action;
        e.nic = nic;
        e.bytes = bytes;
        e.commit();
    }
}
