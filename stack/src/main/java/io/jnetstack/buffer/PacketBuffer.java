package io.jnetstack.buffer;

import java.util.Arrays;

/**
 * One packet on its way through the stack.
 *
 * <p>The packet is a contiguous <em>front</em> region of one array, followed by zero or more
 * payload slices that are referenced, not copied. Outbound, a transport writes (or references) its
 * payload and every layer below prepends its header into room reserved in front of the front
 * region, so no header is built in a separate array. Inbound, a link hands up one frame as the
 * front region and every layer strips its header by {@link #consume consuming} bytes from the front.
 *
 * <p>A packet has one owner at a time: whoever calls {@code writeFrame} or
 * {@code deliverNetworkPacket} hands it over and must not touch it afterwards. Payload slices must
 * be immutable while any packet references them.
 */
public final class PacketBuffer {
    private static final int INITIAL_SLICES = 2;
    /** This object: five references and eight ints. */
    private static final int PACKET_OBJECT = MemoryCost.object(5, 32);

    private byte[] front;
    private int frontStart;
    private int frontEnd;

    // Most packets (every received frame, every control segment) have no slices: the slice tables
    // start as shared empty arrays, which nothing writes, and grow on the first appendSlice.
    private static final byte[][] NO_ARRAYS = new byte[0][];
    private static final int[] NO_INTS = new int[0];

    private byte[][] sliceArrays = NO_ARRAYS;
    private int[] sliceOffsets = NO_INTS;
    private int[] sliceLengths = NO_INTS;
    private int sliceCount;
    private int sliceBytes;
    /** Where {@link #front} came from, while this packet is its only owner (see {@link #flatten(ArrayPool)}). */
    private ArrayPool frontPool;

    // Offload notes between a transport and a link that does part of its work (as a NIC with
    // segmentation and checksum offload does, like Linux's skb gso_size and CHECKSUM_PARTIAL):
    // none are set on a packet unless its link offers the offload.
    /** Payload bytes per wire segment the link cuts this TCP packet into; 0: the packet goes whole. */
    private int segmentSize;
    /** Bytes from the start of the transport header to the packet's end; 0: the checksum is complete. */
    private int partialChecksumSpan;
    /** Where the transport checksum field is, from the start of the transport header. */
    private int partialChecksumField;
    private int linkFlags;
    private static final int CHECKSUM_VERIFIED = 1;
    private static final int BATCH_END_FOLLOWS = 2;

    private PacketBuffer(byte[] front, int start, int end) {
        this.front = front;
        this.frontStart = start;
        this.frontEnd = end;
    }

    /** An empty outbound packet with {@code headroom} bytes reserved for headers. */
    public static PacketBuffer withHeadroom(int headroom) {
        return new PacketBuffer(new byte[headroom], headroom, headroom);
    }

    /**
     * An outbound packet whose front holds a copy of {@code len} bytes of {@code payload}, with
     * {@code headroom} bytes reserved before it.
     */
    public static PacketBuffer withHeadroom(int headroom, byte[] payload, int off, int len) {
        byte[] a = new byte[headroom + len];
        System.arraycopy(payload, off, a, headroom, len);
        return new PacketBuffer(a, headroom, headroom + len);
    }

    /** An outbound packet whose front is {@code len} zero bytes after {@code headroom}, to fill in. */
    public static PacketBuffer allocate(int headroom, int len) {
        return new PacketBuffer(new byte[headroom + len], headroom, headroom + len);
    }

    /** A packet over {@code len} bytes of {@code data} (no copy): used for received frames. */
    public static PacketBuffer wrap(byte[] data, int off, int len) {
        if (off < 0 || len < 0 || len > data.length - off) {
            throw new IndexOutOfBoundsException("off=" + off + " len=" + len + " size=" + data.length);
        }
        return new PacketBuffer(data, off, off + len);
    }

    /**
     * A received frame of {@code len} bytes at the start of {@code array}, an array of {@code pool}
     * that this packet is now the only owner of: whoever takes the front over
     * ({@link #takePooledFront()}) gives it back once done; if nobody does, the collector has it.
     */
    public static PacketBuffer wrapPooled(byte[] array, int len, ArrayPool pool) {
        if (array.length != pool.arrayLength()) {
            throw new IllegalArgumentException("array of " + array.length + " bytes is not one of a pool of " + pool.arrayLength());
        }
        PacketBuffer p = wrap(array, 0, len);
        p.frontPool = pool;
        return p;
    }

    /** Total length: front plus payload slices. */
    public int length() {
        return frontEnd - frontStart + sliceBytes;
    }

    /** The array holding the contiguous front; valid bytes are {@code [offset(), offset()+frontLength())}. */
    public byte[] array() {
        return front;
    }

    /** Offset of the first byte of the packet within {@link #array()}. */
    public int offset() {
        return frontStart;
    }

    /** Bytes available contiguously in {@link #array()} from {@link #offset()}. */
    public int frontLength() {
        return frontEnd - frontStart;
    }

    /** Free bytes in front of the packet, usable by {@link #prepend} without reallocating. */
    public int headroom() {
        return frontStart;
    }

    /**
     * Makes room for an {@code n}-byte header in front of the packet and returns its offset within
     * {@link #array()} (which may be a new array if the reserved room was too small).
     */
    public int prepend(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("cannot prepend " + n + " bytes");
        }
        if (n > frontStart) {
            int grow = Math.max(n - frontStart, 64);
            byte[] a = new byte[front.length + grow];
            System.arraycopy(front, frontStart, a, frontStart + grow, frontEnd - frontStart);
            front = a;
            frontPool = null; // the pooled array, if any, is dropped rather than returned
            frontStart += grow;
            frontEnd += grow;
        }
        frontStart -= n;
        return frontStart;
    }

    /**
     * Makes sure the first {@code n} bytes are contiguous in {@link #array()}, copying payload
     * slices into the front if needed. Returns false when the packet is shorter than {@code n}.
     */
    public boolean ensureFront(int n) {
        if (n <= frontLength()) {
            return true;
        }
        if (n > length()) {
            return false;
        }
        flatten();
        return true;
    }

    /**
     * Strips {@code n} bytes from the front (a header that has been parsed). Bytes past the front
     * region are dropped from the slices without copying; call {@link #ensureFront} before parsing
     * what follows.
     */
    public void consume(int n) {
        if (n < 0 || n > length()) {
            throw new IndexOutOfBoundsException("consume " + n + " of " + length());
        }
        int frontLen = frontLength();
        if (n <= frontLen) {
            frontStart += n;
            return;
        }
        frontStart = frontEnd;
        dropLeadingSliceBytes(n - frontLen);
    }

    private void dropLeadingSliceBytes(int n) {
        sliceBytes -= n;
        int whole = 0;
        while (n > 0 && n >= sliceLengths[whole]) {
            n -= sliceLengths[whole];
            whole++;
        }
        if (n > 0) {
            sliceOffsets[whole] += n;
            sliceLengths[whole] -= n;
        }
        int kept = sliceCount - whole;
        System.arraycopy(sliceArrays, whole, sliceArrays, 0, kept);
        System.arraycopy(sliceOffsets, whole, sliceOffsets, 0, kept);
        System.arraycopy(sliceLengths, whole, sliceLengths, 0, kept);
        Arrays.fill(sliceArrays, kept, sliceCount, null);
        sliceCount = kept;
    }

    /** Cuts the packet to its first {@code newLength} bytes (e.g. to drop link-layer padding). */
    public void truncate(int newLength) {
        if (newLength < 0 || newLength > length()) {
            throw new IndexOutOfBoundsException("truncate to " + newLength + " of " + length());
        }
        int frontLen = frontLength();
        if (newLength <= frontLen) {
            frontEnd = frontStart + newLength;
            clearSlices();
            return;
        }
        int remaining = newLength - frontLen;
        for (int i = 0; i < sliceCount; i++) {
            if (remaining <= sliceLengths[i]) {
                sliceLengths[i] = remaining;
                for (int j = i + 1; j < sliceCount; j++) {
                    sliceArrays[j] = null;
                }
                sliceCount = i + 1;
                break;
            }
            remaining -= sliceLengths[i];
        }
        sliceBytes = newLength - frontLen;
    }

    /**
     * Makes room for {@code n} more payload slices, so that appending a known number of them
     * grows the slice tables once rather than by doubling.
     */
    public void reserveSlices(int n) {
        int needed = sliceCount + n;
        if (needed > sliceArrays.length) {
            sliceArrays = Arrays.copyOf(sliceArrays, needed);
            sliceOffsets = Arrays.copyOf(sliceOffsets, needed);
            sliceLengths = Arrays.copyOf(sliceLengths, needed);
        }
    }

    /** Appends a payload slice by reference. The bytes must not change while this packet lives. */
    public void appendSlice(byte[] array, int off, int len) {
        if (off < 0 || len < 0 || len > array.length - off) {
            throw new IndexOutOfBoundsException("off=" + off + " len=" + len + " size=" + array.length);
        }
        if (len == 0) {
            return;
        }
        if (sliceCount == sliceArrays.length) {
            reserveSlices(Math.max(INITIAL_SLICES, sliceCount));
        }
        sliceArrays[sliceCount] = array;
        sliceOffsets[sliceCount] = off;
        sliceLengths[sliceCount] = len;
        sliceCount++;
        sliceBytes += len;
    }

    /** Reads the byte at {@code index} (0 = first byte of the packet). */
    public int getByte(int index) {
        if (index < 0) {
            // Without this check a negative index would read the headroom in front of the packet.
            throw new IndexOutOfBoundsException("index " + index + " of " + length());
        }
        int frontLen = frontLength();
        if (index < frontLen) {
            return front[frontStart + index] & 0xff;
        }
        int i = index - frontLen;
        for (int s = 0; s < sliceCount; s++) {
            if (i < sliceLengths[s]) {
                return sliceArrays[s][sliceOffsets[s] + i] & 0xff;
            }
            i -= sliceLengths[s];
        }
        throw new IndexOutOfBoundsException("index " + index + " of " + length());
    }

    /** Copies {@code len} bytes starting at packet index {@code from} into {@code dst}. */
    public void copyTo(int from, byte[] dst, int dstOff, int len) {
        foldRanges(from, len, dst, dstOff, PacketBuffer::copyRange);
    }

    private static int copyRange(byte[] dst, int dstAt, int before, byte[] a, int off, int n) {
        System.arraycopy(a, off, dst, dstAt, n);
        return dstAt + n;
    }

    /** Visits the bytes {@code [from, from+len)} as a sequence of array ranges, in order. */
    public void forEachRange(int from, int len, RangeVisitor visitor) {
        foldRanges(from, len, visitor, 0, PacketBuffer::visitRange);
    }

    private static int visitRange(RangeVisitor visitor, int unused, int before, byte[] a, int off, int n) {
        visitor.visit(a, off, n);
        return 0;
    }

    /**
     * Folds the bytes {@code [from, from+len)}, as a sequence of array ranges in order, into an
     * int. With the state in {@code context} and a method reference or non-capturing lambda as
     * {@code folder}, nothing is allocated per call, unlike a capturing {@link RangeVisitor}.
     *
     * @return the last range's result, or {@code initial} when {@code len} is 0
     */
    public <C> int foldRanges(int from, int len, C context, int initial, RangeFolder<C> folder) {
        if (from < 0 || len < 0 || len > length() - from) {
            throw new IndexOutOfBoundsException("range " + from + "+" + len + " of " + length());
        }
        int acc = initial;
        int before = 0;
        int frontLen = frontLength();
        if (from < frontLen) {
            int n = Math.min(len, frontLen - from);
            acc = folder.fold(context, acc, before, front, frontStart + from, n);
            before += n;
            len -= n;
            from = frontLen;
        }
        int pos = frontLen;
        for (int s = 0; s < sliceCount && len > 0; s++) {
            int sliceEnd = pos + sliceLengths[s];
            if (from < sliceEnd) {
                int startIn = from - pos;
                int n = Math.min(len, sliceLengths[s] - startIn);
                acc = folder.fold(context, acc, before, sliceArrays[s], sliceOffsets[s] + startIn, n);
                before += n;
                len -= n;
                from += n;
            }
            pos = sliceEnd;
        }
        return acc;
    }

    /** Returns all bytes of the packet as a new array. */
    public byte[] toByteArray() {
        byte[] out = new byte[length()];
        copyTo(0, out, 0, out.length);
        return out;
    }

    /** A deep copy with its own arrays and the same offload notes (e.g. for a link that duplicates packets). */
    public PacketBuffer copy() {
        byte[] all = toByteArray();
        return copyNotesTo(new PacketBuffer(all, 0, all.length));
    }

    /**
     * Like {@link #copy()}, but when the packet fills at least half of one of {@code pool}'s arrays
     * (see {@link ArrayPool#suits}) the copy is made into an array of the pool, and the copy is its
     * only owner until {@link #takePooledFront()}: a link that copies every frame, as a wire does,
     * then reuses the arrays its receiver is done with.
     */
    public PacketBuffer copy(ArrayPool pool) {
        int len = length();
        if (!pool.suits(len)) {
            return copy();
        }
        byte[] array = pool.take();
        copyTo(0, array, 0, len);
        PacketBuffer c = copyNotesTo(new PacketBuffer(array, 0, len));
        c.frontPool = pool;
        return c;
    }

    /** Gives {@code c}, a copy of this packet's bytes, this packet's offload notes. */
    private PacketBuffer copyNotesTo(PacketBuffer c) {
        c.segmentSize = segmentSize;
        c.partialChecksumSpan = partialChecksumSpan;
        c.partialChecksumField = partialChecksumField;
        c.linkFlags = linkFlags;
        return c;
    }

    /** Moves every payload slice into the front region so the whole packet is contiguous. */
    public void flatten() {
        if (sliceCount == 0) {
            return;
        }
        flattenInto(new byte[frontStart + length()]);
        frontPool = null;
    }

    /**
     * Like {@link #flatten()}, but when the packet needs at least half of one of {@code pool}'s
     * arrays (and no more than all of it), the new front is taken from the pool and this packet is
     * its only owner until {@link #takePooledFront()}. Smaller packets get an array of their size,
     * so a pooled array never holds less than half its length.
     */
    public void flatten(ArrayPool pool) {
        if (sliceCount == 0) {
            return;
        }
        if (!pool.suits(frontStart + length())) {
            flatten();
            return;
        }
        flattenInto(pool.take());
        frontPool = pool;
    }

    /**
     * Hands the ownership of a pooled front array to the caller, who gives it back to the returned
     * pool once nothing references it; this packet must not be read afterwards. Null when the front
     * is not a pooled array this packet owns.
     */
    public ArrayPool takePooledFront() {
        ArrayPool pool = frontPool;
        frontPool = null;
        return pool;
    }

    private void flattenInto(byte[] all) {
        int pos = frontStart;
        System.arraycopy(front, frontStart, all, pos, frontLength());
        pos += frontLength();
        for (int s = 0; s < sliceCount; s++) {
            System.arraycopy(sliceArrays[s], sliceOffsets[s], all, pos, sliceLengths[s]);
            pos += sliceLengths[s];
        }
        front = all;
        frontEnd = pos;
        clearSlices();
    }

    private void clearSlices() {
        Arrays.fill(sliceArrays, 0, sliceCount, null);
        sliceCount = 0;
        sliceBytes = 0;
    }

    /**
     * Heap bytes this packet keeps reachable (Linux's {@code truesize}): every array it references,
     * whole, however little of it is in use, and its own objects. Slices are counted once each,
     * even when two of them share an array, so this never undercounts.
     */
    public long trueSize() {
        long size = PACKET_OBJECT + arraysSize();
        if (sliceArrays != NO_ARRAYS) {
            int n = sliceArrays.length;
            size += MemoryCost.object(n, 0) + 2 * MemoryCost.object(0, 4 * n);
        }
        return size;
    }

    /**
     * Makes the packet cheap to hold for a while, as Linux collapses socket buffers: when its
     * arrays take more than twice what an array of just its bytes would (a small payload in a
     * large frame), the bytes move to an array of their own length, without headroom, and the
     * old arrays are let go (a pooled front goes back to its pool).
     */
    public void compact() {
        long compacted = MemoryCost.byteArray(length());
        if (arraysSize() <= 2 * compacted) {
            return;
        }
        byte[] old = front;
        ArrayPool pool = takePooledFront();
        byte[] all = toByteArray();
        clearSlices();
        sliceArrays = NO_ARRAYS;
        sliceOffsets = NO_INTS;
        sliceLengths = NO_INTS;
        front = all;
        frontStart = 0;
        frontEnd = all.length;
        if (pool != null) {
            pool.give(old); // copied out: this packet was its only owner
        }
    }

    private long arraysSize() {
        long size = MemoryCost.byteArray(front.length);
        for (int s = 0; s < sliceCount; s++) {
            size += MemoryCost.byteArray(sliceArrays[s].length);
        }
        return size;
    }

    /**
     * Asks the link to cut this packet, which starts with its TCP header, into segments of
     * {@code payloadPerSegment} bytes of payload each (the last may be shorter), every one with a
     * copy of the headers (RFC 9293's segmentation done by the NIC, as TSO does).
     */
    public void requestSegmentation(int payloadPerSegment) {
        if (payloadPerSegment <= 0) {
            throw new IllegalArgumentException("segment size must be positive, got " + payloadPerSegment);
        }
        segmentSize = payloadPerSegment;
    }

    /** Payload bytes per segment the link is to cut this packet into, or 0 when it goes as one. */
    public int segmentSize() {
        return segmentSize;
    }

    /**
     * Marks the transport checksum as partial: the packet starts with the transport header, whose
     * checksum field at {@code fieldOffset} holds only the pseudo-header's sum, and the link
     * completes it over the rest of the packet, as a NIC with checksum offload does.
     */
    public void markChecksumPartial(int fieldOffset) {
        partialChecksumSpan = length();
        partialChecksumField = fieldOffset;
    }

    /** True when the link must complete the transport checksum (see {@link #markChecksumPartial}). */
    public boolean isChecksumPartial() {
        return partialChecksumSpan > 0;
    }

    /** Offset of the transport header (where checksumming starts) from the start of the packet as it is now. */
    public int partialChecksumStart() {
        return length() - partialChecksumSpan;
    }

    /** Offset of the checksum field within the transport header, for a partial checksum. */
    public int partialChecksumField() {
        return partialChecksumField;
    }

    /**
     * The link vouches for this received packet's transport checksum: the device verified it, or
     * the sender on the other side of the device never computed it because nothing but memory lay
     * between (Linux's CHECKSUM_UNNECESSARY and CHECKSUM_PARTIAL on a TAP device's packets).
     */
    public void markChecksumVerified() {
        linkFlags |= CHECKSUM_VERIFIED;
    }

    public boolean isChecksumVerified() {
        return (linkFlags & CHECKSUM_VERIFIED) != 0;
    }

    /**
     * The link delivered this frame as part of a batch and will say when the batch has ended
     * ({@code NetworkDispatcher.batchEnded}), so a receiver may wait for that before acknowledging.
     */
    public void markBatchEndFollows() {
        linkFlags |= BATCH_END_FOLLOWS;
    }

    public boolean isBatchEndFollowing() {
        return (linkFlags & BATCH_END_FOLLOWS) != 0;
    }

    /** Receives consecutive array ranges of a packet. */
    @FunctionalInterface
    public interface RangeVisitor {
        void visit(byte[] array, int offset, int length);
    }

    /** Folds one array range of a packet into {@code acc}; {@code before} bytes of the packet came in earlier ranges. */
    @FunctionalInterface
    public interface RangeFolder<C> {
        int fold(C context, int acc, int before, byte[] array, int offset, int length);
    }

    @Override
    public String toString() {
        return "PacketBuffer[length=" + length() + ", front=" + frontLength() + ", slices=" + sliceCount + "]";
    }
}
