package io.jnetstack.tap.testing;

import io.jnetstack.testing.ExternalTool;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a Python script kept beside a test (in its package's resources) inside a
 * {@link KernelPeer}'s namespace: the way attack tests make the kernel write raw frames or hold
 * sockets in ways no command-line tool does.
 */
public final class KernelPython {
    /** Debian's python3, as CI installs it; another python3 on PATH may not run as root in a namespace. */
    public static final String DEBIAN_PYTHON = "/usr/bin/python3";
    /** Frame-building helpers for the scripts (resources/io/jnetstack/tap/testing/raw_frames.py). */
    private static final String SHARED_MODULE = "raw_frames.py";

    private KernelPython() {
    }

    /** Skips (or, where TAP is required, fails) the running test unless Debian's python3 is installed. */
    public static void require() {
        if (!Files.isExecutable(Path.of(DEBIAN_PYTHON))) {
            ExternalTool.skip(DEBIAN_PYTHON + " is not installed (apt-get install python3)");
        }
    }

    /**
     * Copies {@code script}, a resource beside {@code owner}, into {@code scratch} with the
     * {@value #SHARED_MODULE} module it may import, and starts it with {@code arguments} in
     * {@code peer}'s namespace, unbuffered so its output can be awaited.
     */
    public static NamespaceProcess spawn(KernelPeer peer, Path scratch, Class<?> owner, String script, String... arguments)
            throws IOException {
        require();
        copy(KernelPython.class, SHARED_MODULE, scratch);
        List<String> command = new ArrayList<>(List.of(DEBIAN_PYTHON, "-u", copy(owner, script, scratch).toString()));
        command.addAll(List.of(arguments));
        return peer.spawn(command.toArray(String[]::new));
    }

    private static Path copy(Class<?> owner, String resource, Path directory) throws IOException {
        Path copy = directory.resolve(resource);
        if (!Files.exists(copy)) {
            try (InputStream in = owner.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IOException("no resource " + resource + " beside " + owner.getName());
                }
                Files.copy(in, copy);
            }
        }
        return copy;
    }
}
