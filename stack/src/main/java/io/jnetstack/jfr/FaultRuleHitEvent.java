package io.jnetstack.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** A fault rule acted on a frame: dropped, delayed, duplicated, corrupted, sliced, or reset its connection. */
@Name("jnetstack.FaultRuleHit")
@Label("Fault Rule Hit")
@Category({"jnetstack"})
@Description("A fault rule acted on a frame")
public final class FaultRuleHitEvent extends Event {
    @Label("Rule")
    public String rule;

    @Label("Action")
    @Description("loss, blackhole, reset, corrupt, slice, dup, latency, slowclose, bandwidth, reorder or overflow")
    public String action;

    @Label("NIC")
    public String nic;

    @Label("Bytes")
    @Description("The frame's length")
    public int bytes;
}
