/**
 * JDK Flight Recorder events of the stack ({@code jnetstack.Connect}, {@code jnetstack.Accept},
 * {@code jnetstack.Close}, {@code jnetstack.Reset}, {@code jnetstack.RetransmissionTimeout},
 * {@code jnetstack.PacketDrop}, and fault injection's {@code jnetstack.FaultRuleHit}) and the
 * settings file {@code jnetstack.jfc} that enables them all.
 * Each event's static {@code emit} checks first whether a recording enabled it, so a stack that
 * nobody records pays one read of a flag and allocates nothing.
 */
package io.jnetstack.jfr;
