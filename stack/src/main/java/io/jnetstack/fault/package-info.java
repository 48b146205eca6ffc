/**
 * Fault rules: which packets ({@link io.jnetstack.fault.PacketMatch}) meet which faults
 * ({@link io.jnetstack.fault.FaultAction}), their text syntax ({@link io.jnetstack.fault.FaultRuleSyntax})
 * and a stack's live set of them ({@link io.jnetstack.fault.FaultRules}). Every NIC's
 * {@link io.jnetstack.fault.FaultyLink} applies them.
 */
package io.jnetstack.fault;
