package io.jnetstack.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.jnetstack.buffer.PacketBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Fragments no correct sender makes discard their datagram and are counted (RFC 791, RFC 815). */
class Ipv4ReassemblyInvalidTest {
    private final ReassemblyFixture f = new ReassemblyFixture(70000);

    /**
     * Fragments are written {@code offset+length}, with {@code MF} when more fragments follow, and
     * separated by {@code ;}. None of them completes a datagram.
     */
    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "non-last fragment whose length is not a multiple of 8 | 0+16 MF; 16+12 MF  | 1 | 0",
        "empty non-last fragment                              | 8+0 MF             | 1 | 0",
        "invalid first fragment creates no datagram           | 0+12 MF            | 1 | 0",
        "data beyond the largest datagram                     | 65512+8            | 1 | 0",
        "data ending at the largest datagram is accepted      | 65512+3            | 0 | 1",
        "second last fragment with a different end            | 1480+100; 1480+200 | 1 | 0",
        "fragment beyond the end set by the last              | 1480+100; 1576+16 MF | 1 | 0",
        "last fragment ending before data already received    | 1480+1480 MF; 0+1000 | 1 | 0",
        "offset not a multiple of 8                           | 4+8 MF             | 1 | 0",
    })
    void invalidFragmentsDiscardTheirDatagramAndAreCounted(String fact, String fragments, int invalidDropped,
                                                           int pendingDatagrams) {
        PacketBuffer completed = null;
        for (String fragment : fragments.split(";")) {
            String[] words = fragment.trim().split(" ");
            String[] offsetAndLength = words[0].split("\\+");
            boolean moreFragments = words.length > 1 && words[1].equals("MF");
            completed = f.add(Integer.parseInt(offsetAndLength[0]), Integer.parseInt(offsetAndLength[1]), moreFragments);
        }

        assertNull(completed);
        assertEquals(invalidDropped, f.counters().invalidDropped());
        assertEquals(pendingDatagrams, f.reassembler.pendingDatagrams());
        assertEquals(pendingDatagrams, f.clock.pendingTimers(), "one reassembly timer per pending datagram");
    }
}
