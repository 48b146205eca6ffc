package io.jnetstack.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The client side of the three peer workloads, over any {@link ByteStream.Connector}. Each
 * workload is bounded by a count and by seconds, reports one {@link ResultLine}, and also reports
 * the heap bytes the whole JVM allocated per operation during the measured part (operation = one
 * write chunk, round trip or connection).
 */
final class Workloads {
    /** Settings of the three workloads; see {@link NioBench} for their meaning and defaults. */
    record Settings(long bulkBytes, double seconds, double warmupSeconds, int chunkBytes, int roundTrips,
            int roundTripWarmup, int connections, int connectionWarmup) {
        /** Reads the options {@link #addDefaults} declares. */
        static Settings from(Options options) {
            return new Settings(options.longValue("bytes"), options.doubleValue("seconds"),
                    options.doubleValue("warmup"), options.intValue("chunk"), options.intValue("rr"),
                    options.intValue("rr-warmup"), options.intValue("conns"), options.intValue("cc-warmup"));
        }
    }

    /** Declares the workload options with the peers' full sizes as defaults. */
    static void addDefaults(Map<String, String> defaults) {
        defaults.put("tests", "bulk,rr,cc");
        defaults.put("bytes", "1G");
        defaults.put("seconds", "10");
        defaults.put("warmup", "1");
        defaults.put("chunk", "64k");
        defaults.put("rr", "20000");
        defaults.put("rr-warmup", "2000");
        defaults.put("conns", "10000");
        defaults.put("cc-warmup", "500");
    }

    /** Fails on a {@code --tests} entry that names no workload, before anything has run. */
    static void checkTests(Options options) {
        for (String workload : options.list("tests")) {
            if (!List.of("bulk", "rr", "cc").contains(workload)) {
                throw new IllegalArgumentException("--tests: unknown workload '" + workload + "' (bulk, rr, cc)");
            }
        }
    }

    private final ByteStream.Connector connector;
    private final Settings settings;
    private final Consumer<ResultLine> output;
    private final ResultLine prefix;

    /** {@code prefix} supplies the label and the fields every line starts with. */
    Workloads(ByteStream.Connector connector, Settings settings, ResultLine prefix, Consumer<ResultLine> output) {
        this.connector = connector;
        this.settings = settings;
        this.prefix = prefix;
        this.output = output;
    }

    void run(String workload) throws IOException {
        switch (workload) {
            case "bulk" -> bulk();
            case "rr" -> requestResponse();
            case "cc" -> connections();
            default -> throw new IllegalArgumentException("unknown workload '" + workload + "' (bulk, rr, cc)");
        }
    }

    /** Reports the process's peak resident set (VmHWM), once the workloads have run. */
    void reportPeakMemory() {
        output.accept(line().with("rss_peak_mib", Allocations.peakResidentKib() / 1024.0, 1));
    }

    private ResultLine line() {
        ResultLine line = ResultLine.of(prefix.label());
        prefix.fields().forEach(line::with);
        return line;
    }

    private static ResultLine withAllocation(ResultLine line, long allocatedBefore, long operations) {
        long after = Allocations.allocatedByLiveThreads();
        if (allocatedBefore >= 0 && after >= 0 && operations > 0) {
            line.with("alloc_b_per_op", (after - allocatedBefore) / operations);
        }
        return line;
    }

    // ---------------------------------------------------------------- bulk

    /** One transfer's outcome: bytes the server counted and nanoseconds from first write to the count. */
    private record Transfer(long bytes, long nanos, long writes) {
    }

    private void bulk() throws IOException {
        if (settings.warmupSeconds() > 0) {
            transfer(settings.warmupSeconds());
        }
        long allocatedBefore = Allocations.allocatedByLiveThreads();
        Transfer t = transfer(settings.seconds());
        double secs = t.nanos() / 1e9;
        output.accept(withAllocation(line()
                .with("bulk_gbps", t.bytes() * 8 / secs / 1e9, 3)
                .with("bytes", t.bytes())
                .with("secs", secs, 3), allocatedBefore, t.writes()));
    }

    /** Streams until the byte or time bound, half-closes, and waits for the server's count. */
    private Transfer transfer(double seconds) throws IOException {
        try (ByteStream stream = connector.connect(false)) {
            stream.writeFully(ByteBuffer.wrap(new byte[] {NioServer.BULK}));
            ByteBuffer chunk = ByteBuffer.allocateDirect(settings.chunkBytes());
            for (int i = 0; i < chunk.capacity(); i++) {
                chunk.put(i, (byte) i);
            }
            long limit = settings.bulkBytes();
            long start = System.nanoTime();
            long deadline = start + (long) (seconds * 1e9);
            long sent = 0;
            long writes = 0;
            while (sent < limit && System.nanoTime() < deadline) {
                chunk.clear().limit((int) Math.min(chunk.capacity(), limit - sent));
                sent += chunk.remaining();
                stream.writeFully(chunk);
                writes++;
            }
            stream.shutdownOutput();
            ByteBuffer count = ByteBuffer.allocate(Long.BYTES);
            if (!stream.readFully(count, false)) {
                throw new IOException("bulk: the server closed without sending its byte count");
            }
            long elapsed = System.nanoTime() - start;
            long counted = count.flip().getLong();
            if (counted != sent) {
                throw new IOException("bulk: the server counted " + counted + " bytes, the client sent " + sent);
            }
            return new Transfer(counted, elapsed, writes);
        }
    }

    // ---------------------------------------------------------------- rr

    private void requestResponse() throws IOException {
        int measured = settings.roundTrips();
        long[] nanos = new long[measured];
        try (ByteStream stream = connector.connect(false)) {
            stream.writeFully(ByteBuffer.wrap(new byte[] {NioServer.ECHO}));
            ByteBuffer request = ByteBuffer.allocateDirect(1);
            ByteBuffer response = ByteBuffer.allocateDirect(1);
            long warmupDeadline = System.nanoTime() + (long) (settings.seconds() * 1e9);
            for (int i = 0; i < settings.roundTripWarmup() && System.nanoTime() < warmupDeadline; i++) {
                roundTrip(stream, request, response);
            }
            long allocatedBefore = Allocations.allocatedByLiveThreads();
            long start = System.nanoTime();
            long deadline = start + (long) (settings.seconds() * 1e9);
            int done = 0;
            while (done < measured) {
                long t0 = System.nanoTime();
                if (t0 >= deadline) {
                    break;
                }
                roundTrip(stream, request, response);
                nanos[done++] = System.nanoTime() - t0;
            }
            long total = System.nanoTime() - start;
            if (done == 0) {
                throw new IOException("rr: no round trip completed within " + settings.seconds() + " s");
            }
            Stats.sort(nanos, done);
            output.accept(withAllocation(line()
                    .with("rr_p50_us", Stats.percentile(nanos, done, 0.50) / 1e3, 1)
                    .with("rr_p99_us", Stats.percentile(nanos, done, 0.99) / 1e3, 1)
                    .with("rr_tps", done / (total / 1e9), 0)
                    .with("n", done), allocatedBefore, done));
        }
    }

    private static void roundTrip(ByteStream stream, ByteBuffer request, ByteBuffer response) throws IOException {
        request.clear();
        request.put(0, (byte) 'x');
        stream.writeFully(request);
        response.clear();
        if (!stream.readFully(response, true)) {
            throw new IOException("rr: the server closed the connection");
        }
    }

    // ---------------------------------------------------------------- cc

    private void connections() throws IOException {
        ByteBuffer scratch = ByteBuffer.allocate(16);
        long warmupDeadline = System.nanoTime() + (long) (settings.seconds() * 1e9);
        for (int i = 0; i < settings.connectionWarmup() && System.nanoTime() < warmupDeadline; i++) {
            connectAndSeeClose(scratch);
        }
        long allocatedBefore = Allocations.allocatedByLiveThreads();
        long start = System.nanoTime();
        long deadline = start + (long) (settings.seconds() * 1e9);
        int done = 0;
        while (done < settings.connections() && System.nanoTime() < deadline) {
            connectAndSeeClose(scratch);
            done++;
        }
        double secs = (System.nanoTime() - start) / 1e9;
        output.accept(withAllocation(line()
                .with("cc_per_s", done / secs, 0)
                .with("conns", done)
                .with("secs", secs, 3), allocatedBefore, done));
    }

    private void connectAndSeeClose(ByteBuffer scratch) throws IOException {
        try (ByteStream stream = connector.connect(true)) {
            stream.drainToEnd(scratch);
        }
    }
}
