package io.jnetstack.tap.testing;

import io.jnetstack.transport.tcp.TcpEndpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kernel's half of a {@link HashedDuplexTransfer}: netcat-openbsd in the namespace sends
 * random bytes from {@code /dev/urandom}, then shuts its side down ({@code -N}), while hashing
 * what it sent and what it received with {@code sha256sum}.
 */
public final class KernelHashedNc {
    /**
     * $1: a directory for the FIFO, $2: bytes to send, the rest: nc's address arguments. The FIFO
     * lets a background sha256sum hash the sent stream; {@code wait} keeps the shell (and so the
     * process the test waits for) alive until both digests are printed.
     */
    private static final String SCRIPT = String.join("\n",
            "set -e",
            "fifo=\"$1/sent.fifo\"; bytes=$2; shift 2",
            "mkfifo \"$fifo\"",
            "sha256sum < \"$fifo\" | sed 's/ -$/ sent/' &",
            "head -c \"$bytes\" /dev/urandom | tee \"$fifo\" | nc -N \"$@\" | sha256sum | sed 's/ -$/ received/'",
            "wait");
    private static final Pattern DIGEST_LINE = Pattern.compile("(?m)^([0-9a-f]{64}) +(sent|received)$");

    /** The kernel's digests, as {@code sha256sum} prints them. */
    public record Digests(String sent, String received) {
    }

    private final NamespaceProcess process;

    private KernelHashedNc(NamespaceProcess process) {
        this.process = process;
    }

    /**
     * Starts {@code nc -N ncArguments...} in {@code peer}'s namespace, sending {@code bytesToSend}
     * random bytes; e.g. {@code "-l", "198.18.0.1", "7000"} to listen, or
     * {@code "198.18.0.2", "7000"} to connect. {@code fifoDirectory} must exist and hold no {@code sent.fifo}.
     */
    public static KernelHashedNc start(KernelPeer peer, Path fifoDirectory, long bytesToSend, String... ncArguments)
            throws IOException {
        TapPreconditions.requireCommand("nc", "netcat-openbsd");
        List<String> command = new ArrayList<>(List.of("sh", "-c", SCRIPT, "sh", fifoDirectory.toString(),
                Long.toString(bytesToSend)));
        command.addAll(List.of(ncArguments));
        return new KernelHashedNc(peer.spawn(command.toArray(String[]::new)));
    }

    /**
     * A good client: a kernel nc that connects to {@code listener}'s port at {@code peer}'s stack
     * address to send {@code bytes} random bytes; pair it with the connection the listener accepts
     * and run {@link #exchange}. {@code scratch} gets a fresh directory for nc's FIFO.
     */
    public static KernelHashedNc connectTo(KernelPeer peer, Path scratch, TcpEndpoint listener, long bytes)
            throws IOException {
        return start(peer, Files.createTempDirectory(scratch, "nc"), bytes,
                peer.stackAddress().getHostAddress(), Integer.toString(listener.localPort()));
    }

    /**
     * Sends {@code bytes} random bytes on {@code connection} (nc's, accepted) while receiving nc's,
     * then closes it; fails unless each side received exactly what the other sent within {@code timeout}.
     */
    public HashedDuplexTransfer.Result exchange(TcpEndpoint connection, long bytes, Duration timeout)
            throws IOException, InterruptedException {
        HashedDuplexTransfer.Result ours = HashedDuplexTransfer.run(connection, bytes, bytes,
                HashedDuplexTransfer.Fin.AFTER_LAST_BYTE, timeout);
        Digests kernels = awaitDigests(timeout);
        connection.close();
        if (!ours.sentSha256().equals(kernels.received()) || !kernels.sent().equals(ours.receivedSha256())) {
            throw new AssertionError("the kernel client's exchange was not intact: " + ours + ", kernel's " + kernels);
        }
        return ours;
    }

    /** Waits for nc to finish and returns both digests; fails if it does not end well within {@code timeout}. */
    public Digests awaitDigests(Duration timeout) throws InterruptedException {
        OptionalInt exit = process.awaitExit(timeout);
        String output = process.output();
        if (exit.isEmpty() || exit.getAsInt() != 0) {
            throw new AssertionError("kernel nc " + (exit.isEmpty() ? "still running after " + timeout : "exited with " + exit.getAsInt())
                    + ":\n" + output);
        }
        String sent = null;
        String received = null;
        Matcher line = DIGEST_LINE.matcher(output);
        while (line.find()) {
            if (line.group(2).equals("sent")) {
                sent = line.group(1);
            } else {
                received = line.group(1);
            }
        }
        if (sent == null || received == null) {
            throw new AssertionError("kernel nc did not print both digests:\n" + output);
        }
        return new Digests(sent, received);
    }
}
