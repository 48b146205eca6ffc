/**
 * Packet memory. {@link io.jnetstack.buffer.PacketBuffer} keeps headers in a contiguous front with
 * room reserved for the layers below to prepend theirs, and the payload as slices it references
 * rather than copies; {@link io.jnetstack.buffer.ArrayPool} recycles the arrays behind them.
 */
package io.jnetstack.buffer;
