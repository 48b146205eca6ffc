package io.jnetstack.compat.programs;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;

/**
 * What the programs here exchange and how they tell it arrived intact: deterministic pseudo-random
 * bytes, and SHA-256 in hex. Plain JDK, no jnetstack: these are ordinary programs.
 */
public final class Digests {
    public static final long SEED = 0x6a6e6574L;

    private Digests() {
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String hex(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * An endless stream of the same pseudo-random bytes on every run, however it is read: the
     * bytes come from fixed blocks, so reading 1 then 65535 bytes gives what reading 65536 does.
     */
    public static final class Source {
        private static final int BLOCK = 1 << 16;
        private final Random random = new Random(SEED);
        private final byte[] block = new byte[BLOCK];
        private int used = BLOCK;

        /** Fills {@code buffer}'s remaining space with the next bytes. */
        public void fill(ByteBuffer buffer) {
            while (buffer.hasRemaining()) {
                refillIfUsed();
                int n = Math.min(buffer.remaining(), BLOCK - used);
                buffer.put(block, used, n);
                used += n;
            }
        }

        public byte[] next(int length) {
            ByteBuffer chunk = ByteBuffer.allocate(length);
            fill(chunk);
            return chunk.array();
        }

        private void refillIfUsed() {
            if (used == BLOCK) {
                random.nextBytes(block);
                used = 0;
            }
        }
    }

    /** Writes the first {@code length} bytes of {@link Source} to {@code file}. */
    public static void writeFile(Path file, long length) throws IOException {
        Source source = new Source();
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = length; left > 0; left -= 1 << 16) {
                out.write(source.next((int) Math.min(left, 1 << 16)));
            }
        }
    }

    /** The SHA-256 of the first {@code length} bytes of {@link Source}. */
    public static String expected(long length) {
        Source source = new Source();
        MessageDigest digest = sha256();
        for (long left = length; left > 0; ) {
            int n = (int) Math.min(left, 1 << 16);
            digest.update(source.next(n));
            left -= n;
        }
        return hex(digest);
    }
}
