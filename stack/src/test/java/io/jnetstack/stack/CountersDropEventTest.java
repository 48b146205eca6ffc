package io.jnetstack.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A drop counter's every bump is a jnetstack.PacketDrop event naming it; other counters make none. */
class CountersDropEventTest {
    @TempDir
    Path dir;

    /** The PacketDrop events that {@code bumps} caused, as "REASON xCOUNT". */
    private List<String> dropEventsOf(Runnable bumps) throws IOException {
        Path file = dir.resolve("drops.jfr");
        try (Recording recording = new Recording()) {
            recording.enable("jnetstack.PacketDrop");
            recording.start();
            bumps.run();
            recording.stop();
            recording.dump(file);
        }
        return RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().equals("jnetstack.PacketDrop"))
                .map(e -> e.getString("reason") + " x" + e.getLong("count"))
                .collect(Collectors.toList());
    }

    @Test
    void eachBumpOfADropCounterIsOneEventWithItsNameAndCount() throws IOException {
        Counters<StackCounter> counters = new Counters<>(StackCounter.class, StackCounter.DROPS, "");
        List<String> drops = dropEventsOf(() -> {
            counters.increment(StackCounter.IPV4_CHECKSUM_ERRORS);
            counters.increment(StackCounter.IPV4_RECEIVED);
            counters.add(StackCounter.UDP_NO_PORT, 3);
            counters.increment(StackCounter.IPV4_CHECKSUM_ERRORS);
            counters.increment(StackCounter.FRAMES_SENT);
        });
        assertEquals(List.of("IPV4_CHECKSUM_ERRORS x1", "UDP_NO_PORT x3", "IPV4_CHECKSUM_ERRORS x1"), drops);
    }

    @Test
    void aPrefixKeepsTheReasonsOfAnotherLayerApart() throws IOException {
        Counters<StackCounter> counters = new Counters<>(StackCounter.class, StackCounter.DROPS, "OTHER_");
        assertEquals(List.of("OTHER_UDP_MALFORMED x1"), dropEventsOf(() -> counters.increment(StackCounter.UDP_MALFORMED)));
    }

    @Test
    void countersWithoutDropsMakeNoEvents() throws IOException {
        Counters<StackCounter> counters = new Counters<>(StackCounter.class);
        assertEquals(List.of(), dropEventsOf(() -> counters.increment(StackCounter.UDP_MALFORMED)));
    }
}
