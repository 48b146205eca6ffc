package io.jnetstack.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** A pool's spare arrays are charged to a memory account: kept only while it has room, released when taken. */
class ArrayPoolChargeTest {
    private static final int LENGTH = 1000;
    private static final long COST = MemoryCost.byteArray(LENGTH);

    /** An account with room for {@code room} bytes. */
    private static final class Account implements MemoryAccount {
        private final long room;
        long charged;

        Account(long room) {
            this.room = room;
        }

        @Override
        public boolean tryCharge(long bytes) {
            if (charged + bytes > room) {
                return false;
            }
            charged += bytes;
            return true;
        }

        @Override
        public void release(long bytes) {
            charged -= bytes;
        }
    }

    @Test
    void sparesAreKeptOnlyWhileTheAccountHasRoomAndTheirChargeGoesWhenTaken() {
        ArrayPool pool = new ArrayPool(LENGTH, 8);
        Account account = new Account(2 * COST);
        pool.chargeTo(account);
        for (int i = 0; i < 3; i++) {
            pool.give(new byte[LENGTH]);
        }
        assertEquals(2, pool.spareArrays(), "the third spare found no room and went to the collector");
        assertEquals(2 * COST, account.charged);
        assertEquals(2 * COST, pool.spareBytes());

        pool.take();
        assertEquals(COST, account.charged);
        pool.take();
        pool.take(); // a new array: nothing was charged for it
        assertEquals(0, account.charged);
        assertEquals(3, pool.arraysGivenBack());
        assertEquals(1, pool.arraysCreated());
    }

    @Test
    void aSpareBeyondThePoolsBoundIsNotLeftCharged() {
        ArrayPool pool = new ArrayPool(LENGTH, 1);
        Account account = new Account(10 * COST);
        pool.chargeTo(account);
        pool.give(new byte[LENGTH]);
        pool.give(new byte[LENGTH]);
        assertEquals(1, pool.spareArrays());
        assertEquals(COST, account.charged);
    }

    @Test
    void aPoolIsChargedToOneAccountBeforeItIsUsed() {
        ArrayPool pool = new ArrayPool(LENGTH, 4);
        Account first = new Account(COST);
        pool.chargeTo(first);
        pool.chargeTo(first); // the same again changes nothing
        assertThrows(IllegalStateException.class, () -> pool.chargeTo(new Account(COST)));

        ArrayPool used = new ArrayPool(LENGTH, 4);
        used.give(new byte[LENGTH]);
        assertThrows(IllegalStateException.class, () -> used.chargeTo(first),
                "a spare kept uncharged could not be released from the account");
    }
}
