package io.jnetstack.waiter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Who a {@link WaiterQueue} calls back, and with which events. */
class WaiterQueueTest {
    private final WaiterQueue queue = new WaiterQueue();

    /** An entry that records the event masks it is called with. */
    private static final class Recorder {
        final List<Integer> calls = new ArrayList<>();
        final WaiterEntry entry;

        Recorder(int interest) {
            entry = new WaiterEntry(interest, calls::add);
        }
    }

    private Recorder registered(int interest) {
        Recorder r = new Recorder(interest);
        queue.register(r.entry);
        return r;
    }

    @ParameterizedTest(name = "interest {0}, events {1}: called with {2}")
    @CsvSource({
        "IN,        IN,             IN",
        "IN,        OUT,            none",
        "IN|OUT,    OUT|ERR,        OUT",
        "OUT,       IN|OUT|ERR|HUP, OUT",
        "ERR|HUP,   IN|HUP,         HUP",
        "IN|OUT|ERR|HUP, IN|ERR,    IN|ERR",
    })
    void anEntryIsCalledOnlyWithTheEventsItIsInterestedIn(String interest, String events, String expected) {
        Recorder r = registered(mask(interest));

        queue.notify(mask(events));

        assertEquals(expected.equals("none") ? List.of() : List.of(mask(expected)), r.calls);
    }

    private static int mask(String names) {
        int mask = 0;
        for (String name : names.split("\\|")) {
            mask |= switch (name.trim()) {
                case "IN" -> Events.IN;
                case "OUT" -> Events.OUT;
                case "ERR" -> Events.ERR;
                case "HUP" -> Events.HUP;
                default -> throw new IllegalArgumentException("no event " + name);
            };
        }
        return mask;
    }

    @Test
    void eachEntryIsMaskedByItsOwnInterest() {
        Recorder reader = registered(Events.IN);
        Recorder writer = registered(Events.OUT);
        Recorder both = registered(Events.IN | Events.OUT);

        queue.notify(Events.IN | Events.OUT);

        assertEquals(List.of(Events.IN), reader.calls);
        assertEquals(List.of(Events.OUT), writer.calls);
        assertEquals(List.of(Events.IN | Events.OUT), both.calls);
    }

    @Test
    void noEventsCallsNobody() {
        Recorder r = registered(Events.ALL);

        queue.notify(0);

        assertEquals(List.of(), r.calls);
    }

    @Test
    void registeringAnEntryTwiceRegistersItOnce() {
        Recorder r = registered(Events.IN);
        queue.register(r.entry);

        queue.notify(Events.IN);

        assertEquals(1, queue.size());
        assertEquals(List.of(Events.IN), r.calls);
    }

    @Test
    void anUnregisteredEntryIsNotCalled() {
        Recorder r = registered(Events.IN);

        queue.unregister(r.entry);
        queue.notify(Events.IN);

        assertEquals(List.of(), r.calls);
        assertTrue(queue.isEmpty());
    }

    @Test
    void unregisteringAnEntryThatIsNotThereIsHarmless() {
        Recorder registered = registered(Events.IN);

        queue.unregister(new Recorder(Events.IN).entry);
        queue.notify(Events.IN);

        assertEquals(List.of(Events.IN), registered.calls);
    }

    @Test
    void aChangedInterestTakesEffectAtTheNextNotify() {
        Recorder r = registered(Events.IN);

        r.entry.setInterest(Events.OUT);
        queue.notify(Events.IN);
        queue.notify(Events.OUT);

        assertEquals(List.of(Events.OUT), r.calls);
    }

    /**
     * A callback may unregister another entry (a selector thread cancels a key while a packet
     * arrives): the notify in progress goes on to every other entry without failing, and the
     * removed entry hears nothing afterwards. Whether it still hears the event in flight is not
     * promised, as with an unregister from another thread.
     */
    @Test
    void aCallbackMayUnregisterAnotherEntryWhileTheQueueNotifies() {
        Recorder removed = new Recorder(Events.IN);
        Recorder remover = new Recorder(Events.IN);
        WaiterEntry removing = new WaiterEntry(Events.IN, events -> {
            remover.calls.add(events);
            queue.unregister(removed.entry);
        });
        queue.register(removing);
        queue.register(removed.entry);
        Recorder last = registered(Events.IN);

        queue.notify(Events.IN);
        int callsInFlight = removed.calls.size();
        queue.notify(Events.IN);

        assertEquals(List.of(Events.IN, Events.IN), remover.calls);
        assertEquals(List.of(Events.IN, Events.IN), last.calls);
        assertEquals(callsInFlight, removed.calls.size(), "called after its unregister had returned");
        assertEquals(2, queue.size());
    }

    @Test
    void aCallbackMayUnregisterItsOwnEntry() {
        List<Integer> calls = new ArrayList<>();
        WaiterEntry[] self = new WaiterEntry[1];
        self[0] = new WaiterEntry(Events.IN, events -> {
            calls.add(events);
            queue.unregister(self[0]);
        });
        queue.register(self[0]);
        Recorder other = registered(Events.IN);

        queue.notify(Events.IN);
        queue.notify(Events.IN);

        assertEquals(List.of(Events.IN), calls);
        assertEquals(List.of(Events.IN, Events.IN), other.calls);
    }

    @Test
    void anEntryRegisteredByACallbackHearsTheNextNotify() {
        Recorder added = new Recorder(Events.IN);
        queue.register(new WaiterEntry(Events.IN, events -> queue.register(added.entry)));

        queue.notify(Events.IN);
        int callsInFlight = added.calls.size();
        queue.notify(Events.IN);

        assertEquals(callsInFlight + 1, added.calls.size());
    }

    @Test
    void eventMasksReadAsTheirNames() {
        assertEquals("IN|OUT", Events.toString(Events.IN | Events.OUT));
        assertEquals("IN|OUT|ERR|HUP", Events.toString(Events.ALL));
        assertEquals("0", Events.toString(0));
    }
}
