package io.jnetstack.link;

import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.time.Clock;
import io.jnetstack.time.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Wraps a link and injects faults into the frames written through it: loss, duplication,
 * reordering, corruption and delay, drawn from a seeded random generator so that a run repeats
 * exactly for a given seed and sequence of frames. Received frames pass unchanged; to fault both
 * directions of a pipe, wrap both ends.
 *
 * <p>Each frame is, in this order: lost; or corrupted (a copy with the bits of one random byte
 * flipped, past the link header, so that network-layer checksums catch it); then duplicated; and
 * each resulting copy is either delayed on the {@link Clock}, or held back to be reordered, or sent.
 * A held frame is sent after {@link Faults#reorderWindow()} later frames or after
 * {@link Faults#maxReorderHold()}, whichever comes first; only one frame is held at a time.
 * Closing the link discards (and counts) held and delayed frames, then closes the wrapped link.
 *
 * <p>The faults may change over time: a {@link Schedule} of phases, each with its own faults, runs
 * in a cycle on the {@link Clock} from the link's creation.
 */
public final class FaultyLink extends WrappingLink {
    private final Schedule schedule;
    private final long startNanos;
    private final Clock clock;
    private final Random random;
    private final Stats stats = new Stats();

    // Fault state, guarded by lock; frames are written to the inner link outside it, so a
    // same-thread delivery that writes back through this link does not run into half-made state.
    private final Object lock = new Object();
    private PacketBuffer held;
    private Timer heldTimer;
    private int sentSinceHeld;
    private final Set<DelayedFrame> delayed = new LinkedHashSet<>();
    private boolean closed;

    public FaultyLink(LinkEndpoint inner, Faults faults, Clock clock) {
        this(inner, Schedule.constant(faults), clock);
    }

    /** Faults that follow {@code schedule}; the random draws are seeded by its first phase's seed. */
    public FaultyLink(LinkEndpoint inner, Schedule schedule, Clock clock) {
        super(inner);
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.startNanos = clock.nanoTime();
        this.random = new Random(schedule.phases().get(0).faults().seed());
    }

    /** The faults applied to a frame written now. */
    public Faults faults() {
        return schedule.at(clock.nanoTime() - startNanos);
    }

    /** How many frames met each fault. */
    public Stats stats() {
        return stats;
    }

    @Override
    public void writeFrame(PacketBuffer frame) {
        List<PacketBuffer> toSend = new ArrayList<>(3);
        synchronized (lock) {
            if (closed) {
                toSend.add(frame); // the closed inner link drops and counts it
            } else {
                applyFaults(frame, toSend);
            }
        }
        sendAll(toSend);
    }

    private void sendAll(List<PacketBuffer> frames) {
        for (PacketBuffer f : frames) {
            inner.writeFrame(f);
        }
    }

    private void applyFaults(PacketBuffer frame, List<PacketBuffer> toSend) {
        Faults faults = faults();
        int length = frame.length();
        if (chance(faults.loss())) {
            stats.lost.record(length);
            return;
        }
        if (chance(faults.corruption())) {
            frame = corruptedCopy(frame);
            stats.corrupted.record(length);
        }
        PacketBuffer duplicate = null;
        if (chance(faults.duplication())) {
            duplicate = frame.copy();
            stats.duplicated.record(length);
        }
        delayHoldOrSend(frame, faults, toSend);
        if (duplicate != null) {
            delayHoldOrSend(duplicate, faults, toSend);
        }
    }

    private void delayHoldOrSend(PacketBuffer frame, Faults faults, List<PacketBuffer> toSend) {
        if (chance(faults.delay())) {
            stats.delayed.record(frame.length());
            DelayedFrame d = new DelayedFrame(frame);
            delayed.add(d);
            d.timer = clock.schedule(randomDelayNanos(faults), d::fire);
        } else if (held == null && chance(faults.reordering())) {
            stats.reordered.record(frame.length());
            held = frame;
            sentSinceHeld = 0;
            PacketBuffer thisFrame = frame;
            heldTimer = clock.schedule(faults.maxReorderHold().toNanos(), () -> releaseAfterTimeout(thisFrame));
        } else {
            send(frame, faults, toSend);
        }
    }

    /** Sends {@code frame}, then the held frame if enough frames have now overtaken it. */
    private void send(PacketBuffer frame, Faults faults, List<PacketBuffer> toSend) {
        toSend.add(frame);
        if (held != null && ++sentSinceHeld >= faults.reorderWindow()) {
            heldTimer.cancel();
            toSend.add(held);
            held = null;
        }
    }

    private void releaseAfterTimeout(PacketBuffer frame) {
        List<PacketBuffer> toSend = new ArrayList<>(1);
        synchronized (lock) {
            if (held != frame) {
                return; // already released by later frames, or discarded by close
            }
            toSend.add(held);
            held = null;
        }
        sendAll(toSend);
    }

    private PacketBuffer corruptedCopy(PacketBuffer frame) {
        // A copy: the original's slices may still be referenced elsewhere (e.g. for retransmission).
        PacketBuffer copy = frame.copy();
        int length = copy.length();
        if (length == 0) {
            return copy;
        }
        int header = linkType().headerLength();
        int first = length > header ? header : 0;
        int index = first + random.nextInt(length - first);
        int bitsToFlip = 1 + random.nextInt(255);
        copy.array()[copy.offset() + index] ^= (byte) bitsToFlip;
        return copy;
    }

    private boolean chance(double probability) {
        // Certain outcomes draw nothing, so adding a 0 or 1 fault keeps the other draws unchanged.
        if (probability <= 0) {
            return false;
        }
        return probability >= 1 || random.nextDouble() < probability;
    }

    private long randomDelayNanos(Faults faults) {
        long min = faults.minDelay().toNanos();
        long max = faults.maxDelay().toNanos();
        return min == max ? min : min + random.nextLong(max - min + 1);
    }

    /** Discards held and delayed frames (counted as {@link Stats#discardedOnClose()}), then closes the wrapped link. */
    @Override
    public void close() {
        synchronized (lock) {
            if (!closed) {
                closed = true;
                if (held != null) {
                    heldTimer.cancel();
                    stats.discardedOnClose.record(held.length());
                    held = null;
                }
                for (DelayedFrame d : delayed) {
                    d.timer.cancel();
                    stats.discardedOnClose.record(d.frame.length());
                }
                delayed.clear();
            }
        }
        inner.close();
    }

    private final class DelayedFrame {
        final PacketBuffer frame;
        Timer timer;

        DelayedFrame(PacketBuffer frame) {
            this.frame = frame;
        }

        void fire() {
            List<PacketBuffer> toSend = new ArrayList<>(2);
            synchronized (lock) {
                if (!delayed.remove(this)) {
                    return; // discarded by close
                }
                send(frame, faults(), toSend);
            }
            sendAll(toSend);
        }
    }

    /** Counters of the faults applied, per kind. */
    public static final class Stats {
        private final FrameCounter lost = new FrameCounter();
        private final FrameCounter duplicated = new FrameCounter();
        private final FrameCounter reordered = new FrameCounter();
        private final FrameCounter corrupted = new FrameCounter();
        private final FrameCounter delayed = new FrameCounter();
        private final FrameCounter discardedOnClose = new FrameCounter();

        public FrameCounter lost() {
            return lost;
        }

        /** Frames sent twice (counted once per extra copy). */
        public FrameCounter duplicated() {
            return duplicated;
        }

        /** Frames held back and sent after later ones. */
        public FrameCounter reordered() {
            return reordered;
        }

        public FrameCounter corrupted() {
            return corrupted;
        }

        public FrameCounter delayed() {
            return delayed;
        }

        /** Held or delayed frames thrown away because the link closed. */
        public FrameCounter discardedOnClose() {
            return discardedOnClose;
        }

        @Override
        public String toString() {
            return "FaultyLink.Stats[lost=" + lost + ", duplicated=" + duplicated + ", reordered=" + reordered
                    + ", corrupted=" + corrupted + ", delayed=" + delayed + ", discardedOnClose=" + discardedOnClose + "]";
        }
    }

    /**
     * Which faults to inject. Probabilities are per frame and lie in [0, 1]; delays are drawn
     * uniformly from [{@code minDelay}, {@code maxDelay}].
     *
     * @param reorderWindow how many later frames overtake a held frame before it is sent (at least 1)
     * @param maxReorderHold longest time a frame is held for reordering (positive)
     */
    public record Faults(double loss, double duplication, double reordering, double corruption, double delay,
            Duration minDelay, Duration maxDelay, int reorderWindow, Duration maxReorderHold, long seed) {
        /** No faults: every frame passes straight through. */
        public static final Faults NONE = builder().build();

        public Faults {
            requireProbability("loss", loss);
            requireProbability("duplication", duplication);
            requireProbability("reordering", reordering);
            requireProbability("corruption", corruption);
            requireProbability("delay", delay);
            Objects.requireNonNull(minDelay, "minDelay");
            Objects.requireNonNull(maxDelay, "maxDelay");
            Objects.requireNonNull(maxReorderHold, "maxReorderHold");
            if (minDelay.isNegative() || minDelay.compareTo(maxDelay) > 0) {
                throw new IllegalArgumentException("minDelay must be in [0, maxDelay], got minDelay=" + minDelay + " maxDelay=" + maxDelay);
            }
            if (reorderWindow < 1) {
                throw new IllegalArgumentException("reorderWindow must be at least 1 frame, got " + reorderWindow);
            }
            if (maxReorderHold.isNegative() || maxReorderHold.isZero()) {
                throw new IllegalArgumentException("maxReorderHold must be positive, got " + maxReorderHold);
            }
        }

        private static void requireProbability(String field, double p) {
            if (!(p >= 0 && p <= 1)) { // also rejects NaN
                throw new IllegalArgumentException(field + " must be a probability in [0, 1], got " + p);
            }
        }

        public static Builder builder() {
            return new Builder();
        }

        /** A builder that starts from these faults, to derive others from them. */
        public Builder toBuilder() {
            return builder().loss(loss).duplication(duplication).reordering(reordering).corruption(corruption)
                    .delay(delay, minDelay, maxDelay).reorderBound(reorderWindow, maxReorderHold).seed(seed);
        }

        /** Builds {@link Faults}; unset faults are off. Validation happens in {@link #build()}. */
        public static final class Builder {
            private double loss;
            private double duplication;
            private double reordering;
            private double corruption;
            private double delay;
            private Duration minDelay = Duration.ZERO;
            private Duration maxDelay = Duration.ZERO;
            private int reorderWindow = 3;
            private Duration maxReorderHold = Duration.ofMillis(10);
            private long seed = 1;

            private Builder() {
            }

            public Builder loss(double probability) {
                this.loss = probability;
                return this;
            }

            public Builder duplication(double probability) {
                this.duplication = probability;
                return this;
            }

            /** Holds a frame back with {@code probability}; see {@link #reorderBound} for how long. */
            public Builder reordering(double probability) {
                this.reordering = probability;
                return this;
            }

            /** A held frame is sent after {@code frames} later frames or after {@code maxHold}. Default: 3 frames, 10 ms. */
            public Builder reorderBound(int frames, Duration maxHold) {
                this.reorderWindow = frames;
                this.maxReorderHold = maxHold;
                return this;
            }

            public Builder corruption(double probability) {
                this.corruption = probability;
                return this;
            }

            /** Delays a frame with {@code probability} by a uniform random time in [{@code min}, {@code max}]. */
            public Builder delay(double probability, Duration min, Duration max) {
                this.delay = probability;
                this.minDelay = min;
                this.maxDelay = max;
                return this;
            }

            public Builder seed(long seed) {
                this.seed = seed;
                return this;
            }

            public Faults build() {
                return new Faults(loss, duplication, reordering, corruption, delay, minDelay, maxDelay, reorderWindow,
                        maxReorderHold, seed);
            }
        }
    }

    /** Faults that hold for {@code length} in a {@link Schedule}. */
    public record Phase(Duration length, Faults faults) {
        public Phase {
            Objects.requireNonNull(length, "length");
            Objects.requireNonNull(faults, "faults");
            if (length.isNegative() || length.isZero()) {
                throw new IllegalArgumentException("a phase's length must be positive, got " + length);
            }
        }
    }

    /**
     * Faults that change over time: the phases run one after another, and after the last the first
     * begins again, so a link keeps changing however long it lives.
     */
    public record Schedule(List<Phase> phases) {
        public Schedule {
            phases = List.copyOf(phases);
            if (phases.isEmpty()) {
                throw new IllegalArgumentException("a schedule needs at least one phase");
            }
        }

        /** The same faults all the time. */
        public static Schedule constant(Faults faults) {
            return new Schedule(List.of(new Phase(Duration.ofDays(1), faults)));
        }

        public static Schedule cycle(Phase... phases) {
            return new Schedule(List.of(phases));
        }

        /** This schedule with every phase's faults changed by {@code change}, e.g. one kind of fault turned off. */
        public Schedule map(UnaryOperator<Faults> change) {
            List<Phase> changed = new ArrayList<>(phases.size());
            for (Phase p : phases) {
                changed.add(new Phase(p.length(), change.apply(p.faults())));
            }
            return new Schedule(changed);
        }

        /** The faults in force {@code elapsedNanos} after the schedule started. */
        public Faults at(long elapsedNanos) {
            if (phases.size() == 1) {
                return phases.get(0).faults();
            }
            long cycle = 0;
            for (Phase p : phases) {
                cycle += p.length().toNanos();
            }
            long intoCycle = Math.floorMod(elapsedNanos, cycle);
            for (Phase p : phases) {
                intoCycle -= p.length().toNanos();
                if (intoCycle < 0) {
                    return p.faults();
                }
            }
            throw new AssertionError("unreachable: the offset lies within one cycle");
        }
    }
}
