package io.jnetstack.transport.tcp;

import java.util.ArrayList;
import java.util.List;

/**
 * The sender's record of which bytes above SND.UNA the peer has selectively acknowledged, and
 * the loss-recovery queries RFC 6675 builds on it (IsLost, NextSeg, SetPipe). Ranges are kept
 * sorted and merged; processor thread only.
 */
final class SackScoreboard {
    /**
     * The empty scoreboard every sender shares until its first SACK block: only ever queried (a
     * sender replaces it with its own before adding to it, and never clears it).
     */
    static final SackScoreboard NONE = new SackScoreboard();

    /** RFC 6675 §2: DupThresh. */
    static final int DUP_THRESH = 3;

    /**
     * Sorted, disjoint, non-adjacent [left, right) ranges: the shared empty list until the first
     * SACK block, as most connections never get one.
     */
    private List<int[]> ranges = List.of();
    private int sackedBytes;

    void clear() {
        if (!ranges.isEmpty()) {
            ranges.clear();
        }
        sackedBytes = 0;
    }

    boolean isEmpty() {
        return ranges.isEmpty();
    }

    int sackedBytes() {
        return sackedBytes;
    }

    /** Highest SACKed sequence number + 1, or {@code una} when nothing is SACKed. */
    int highestSacked(int una) {
        return ranges.isEmpty() ? una : ranges.get(ranges.size() - 1)[1];
    }

    /**
     * Records one SACK block; blocks outside (una, sndMax] are ignored as RFC 2018 §5 and RFC 5961
     * ask. Returns true if it SACKed bytes not SACKed before.
     */
    boolean add(int left, int right, int una, int sndMax) {
        if (!SeqNum.lt(left, right) || SeqNum.leq(left, una) || SeqNum.gt(right, sndMax)) {
            return false;
        }
        int before = sackedBytes;
        int i = 0;
        while (i < ranges.size() && SeqNum.lt(ranges.get(i)[1], left)) {
            i++;
        }
        int newLeft = left;
        int newRight = right;
        while (i < ranges.size() && SeqNum.leq(ranges.get(i)[0], newRight)) {
            int[] r = ranges.remove(i);
            sackedBytes -= r[1] - r[0];
            newLeft = SeqNum.min(newLeft, r[0]);
            newRight = SeqNum.max(newRight, r[1]);
        }
        if (!(ranges instanceof ArrayList)) {
            ranges = new ArrayList<>();
        }
        ranges.add(i, new int[] {newLeft, newRight});
        sackedBytes += newRight - newLeft;
        return sackedBytes > before;
    }

    /** Forgets everything below the new cumulative ACK. */
    void advance(int una) {
        while (!ranges.isEmpty()) {
            int[] r = ranges.get(0);
            if (SeqNum.leq(r[1], una)) {
                ranges.remove(0);
                sackedBytes -= r[1] - r[0];
            } else {
                if (SeqNum.lt(r[0], una)) {
                    sackedBytes -= una - r[0];
                    r[0] = una;
                }
                break;
            }
        }
    }

    /** SACKed bytes below {@code seq}. */
    int sackedBelow(int seq) {
        int n = 0;
        for (int[] r : ranges) {
            if (SeqNum.lt(r[0], seq)) {
                n += SeqNum.min(r[1], seq) - r[0];
            }
        }
        return n;
    }

    /** If {@code seq} lies in a SACKed range, that range's end; otherwise {@code seq}. */
    int skipSacked(int seq) {
        for (int[] r : ranges) {
            if (SeqNum.inRange(seq, r[0], r[1])) {
                return r[1];
            }
        }
        return seq;
    }

    /** Bytes from {@code seq} up to the next SACKed range above it, at most {@code limit}. */
    int unsackedRun(int seq, int limit) {
        for (int[] r : ranges) {
            if (SeqNum.gt(r[0], seq)) {
                return Math.min(limit, r[0] - seq);
            }
        }
        return limit;
    }

    boolean isSacked(int seq) {
        for (int[] r : ranges) {
            if (SeqNum.inRange(seq, r[0], r[1])) {
                return true;
            }
        }
        return false;
    }

    /**
     * RFC 6675 §4 IsLost(seq): more than (DupThresh − 1)·SMSS bytes above {@code seq} are SACKed.
     * Within one hole every byte has the same SACKed bytes above it, so this is a per-hole test.
     */
    boolean isLost(int seq, int mss) {
        int above = 0;
        for (int[] r : ranges) {
            if (SeqNum.gt(r[1], seq)) {
                above += r[1] - SeqNum.max(r[0], seq + 1);
            }
        }
        return above > (DUP_THRESH - 1) * mss;
    }

    /**
     * RFC 6675 §4 SetPipe: bytes believed in the network: every un-SACKed byte in [una, sndMax)
     * not deemed lost, plus every byte retransmitted below {@code highRxt}.
     */
    int pipe(int una, int sndMax, int highRxt, int mss) {
        int pipe = 0;
        int holeStart = una;
        for (int i = 0; i <= ranges.size(); i++) {
            int holeEnd = i < ranges.size() ? ranges.get(i)[0] : sndMax;
            if (SeqNum.lt(holeStart, holeEnd)) {
                if (!isLost(holeStart, mss)) {
                    pipe += holeEnd - holeStart;
                }
                if (SeqNum.gt(highRxt, holeStart)) {
                    pipe += SeqNum.min(highRxt, holeEnd) - holeStart;
                }
            }
            if (i < ranges.size()) {
                holeStart = ranges.get(i)[1];
            }
        }
        return pipe;
    }

    /**
     * RFC 6675 §4 NextSeg: the first un-SACKed hole at or above {@code from} and below the highest
     * SACKed byte, as {start, length}; with {@code lostOnly} (rule 1) only a hole {@link #isLost},
     * otherwise (rule 3, for when no new data may be sent) any such hole. Null if there is none.
     */
    int[] nextHole(int from, int mss, boolean lostOnly) {
        int holeStart = from;
        for (int[] r : ranges) {
            if (SeqNum.lt(holeStart, r[0])) {
                if (!lostOnly || isLost(holeStart, mss)) {
                    return new int[] {holeStart, r[0] - holeStart};
                }
                return null; // holes further up have fewer SACKed bytes above them: not lost either
            }
            holeStart = SeqNum.max(holeStart, r[1]);
        }
        return null;
    }
}
