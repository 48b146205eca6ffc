package io.jnetstack.tap.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

/**
 * Saves frames the kernel sent as known-good test vectors, when asked to with
 * {@code -Djnetstack.vectors.dir=DIR} (normally {@code stack/src/test/resources/vectors}); does
 * nothing otherwise. Format: '#' comment lines, then the frame as hex, 16 bytes a line.
 */
public final class KernelVectors {
    public static final String DIRECTORY_PROPERTY = "jnetstack.vectors.dir";
    private static final int BYTES_PER_LINE = 16;

    private KernelVectors() {
    }

    public static void saveIfRequested(String fileName, String description, byte[] frame) {
        String directory = System.getProperty(DIRECTORY_PROPERTY);
        if (directory == null || directory.isBlank()) {
            return;
        }
        StringBuilder text = new StringBuilder()
                .append("# ").append(description).append('\n')
                .append("# Sent by Linux ").append(kernelRelease())
                .append(" into a TAP device, as TapLink received it (io.jnetstack.tap.KernelFrameInteropTest).\n");
        HexFormat hex = HexFormat.ofDelimiter(" ");
        for (int off = 0; off < frame.length; off += BYTES_PER_LINE) {
            text.append(hex.formatHex(frame, off, Math.min(frame.length, off + BYTES_PER_LINE))).append('\n');
        }
        try {
            Path dir = Files.createDirectories(Path.of(directory));
            Files.writeString(dir.resolve(fileName), text, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save vector " + fileName, e);
        }
    }

    private static String kernelRelease() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
        } catch (IOException e) {
            return System.getProperty("os.version");
        }
    }
}
