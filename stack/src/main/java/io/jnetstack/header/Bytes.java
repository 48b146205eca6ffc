package io.jnetstack.header;

/** Big-endian (network byte order) field access shared by the header views. */
final class Bytes {
    private Bytes() {
    }

    static int u8(byte[] a, int i) {
        return a[i] & 0xff;
    }

    static int u16(byte[] a, int i) {
        return ((a[i] & 0xff) << 8) | (a[i + 1] & 0xff);
    }

    static int i32(byte[] a, int i) {
        return ((a[i] & 0xff) << 24) | ((a[i + 1] & 0xff) << 16) | ((a[i + 2] & 0xff) << 8) | (a[i + 3] & 0xff);
    }

    static void put8(byte[] a, int i, int v) {
        a[i] = (byte) v;
    }

    static void put16(byte[] a, int i, int v) {
        a[i] = (byte) (v >>> 8);
        a[i + 1] = (byte) v;
    }

    static void put32(byte[] a, int i, int v) {
        a[i] = (byte) (v >>> 24);
        a[i + 1] = (byte) (v >>> 16);
        a[i + 2] = (byte) (v >>> 8);
        a[i + 3] = (byte) v;
    }
}
