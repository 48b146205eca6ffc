package io.jnetstack.transport.tcp;

import java.io.ByteArrayOutputStream;

/** Test data whose every byte is the low byte of its own sequence number, so order is checkable. */
final class SequencedBytes {
    private SequencedBytes() {
    }

    /** {@code length} bytes as they would sit in sequence space starting at {@code seq}. */
    static byte[] from(int seq, int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (seq + i);
        }
        return b;
    }

    /** Adds [seq, seq + length) to {@code queue}. */
    static boolean add(ReassemblyQueue queue, int seq, int length) {
        return queue.add(seq, from(seq, length), 0, length) == ReassemblyQueue.Admission.STORED;
    }

    /**
     * Adds ranges written as {@code "offset+length"}, separated by spaces (e.g. {@code "100+50 0+10"}),
     * each offset counted from {@code base}, in the order given.
     *
     * @return true if the queue accepted every range
     */
    static boolean addRanges(ReassemblyQueue queue, int base, String ranges) {
        boolean allAccepted = true;
        for (String range : ranges.trim().split("\\s+")) {
            String[] offsetAndLength = range.split("\\+");
            allAccepted &= add(queue, base + Integer.parseInt(offsetAndLength[0]), Integer.parseInt(offsetAndLength[1]));
        }
        return allAccepted;
    }

    /** A sink that keeps everything it is given. */
    static final class Collector implements DataSink {
        final ByteArrayOutputStream received = new ByteArrayOutputStream();

        @Override
        public void accept(byte[] array, int offset, int length) {
            received.write(array, offset, length);
        }

        byte[] bytes() {
            return received.toByteArray();
        }
    }
}
