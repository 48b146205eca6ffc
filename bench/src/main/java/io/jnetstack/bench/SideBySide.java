package io.jnetstack.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Runs {@link NioBench} in forked JVMs with the JDK's default provider and with jnetstack's, in
 * the same run, interleaved over {@code --reps} repetitions (the order alternates each rep so
 * neither column always runs on a warmer machine), and prints per metric the median of each
 * column and the ratio jnetstack/JDK. Each run's lines are echoed as they come, tagged with the
 * column, the rep and the machine's busy percentage during the run.
 *
 * <p>The jnetstack column needs the provider's self-contained jar (spi module,
 * {@code jnetstack-spi-VERSION-all.jar}); without one the column is skipped with a message and
 * only the JDK column runs. The JDK column's class path is this program's own (the bench module's
 * plain jar or classes), which holds no provider, so its JVM keeps the JDK's; every result line
 * names its provider and a run under the wrong one fails the comparison instead of polluting it.
 */
public final class SideBySide {
    private static final String PROGRAM = "SideBySide";
    static final String PROVIDER_CLASS = "io.jnetstack.spi.JnetstackSelectorProvider";
    /** Named, not referenced: the in-memory benchmark exists only in builds whose stack has TCP. */
    static final String MEM_BENCH_CLASS = "io.jnetstack.bench.StackMemBench";
    /** Where bench/run.sh builds the peers' netstackbench, relative to the project root. */
    static final String GVISOR_BENCH = "bench/target/gvisor/netstackbench";
    private static final String TCP_ENDPOINT_CLASS = "io.jnetstack.transport.tcp.TcpEndpoint";
    private static final String PROVIDER_PROPERTY = "java.nio.channels.spi.SelectorProvider";
    /** Machine busy percent under which a run may start, as the peers' script uses. */
    private static final int QUIET_PERCENT = 15;
    /** Workload options passed on to every NioBench run, with the short sizes used by default. */
    static final Map<String, String> SHORT_SIZES = shortSizes();

    private SideBySide() {
    }

    private static Map<String, String> shortSizes() {
        Map<String, String> sizes = new LinkedHashMap<>();
        sizes.put("bytes", "1G");
        sizes.put("seconds", "3");
        sizes.put("warmup", "0.5");
        sizes.put("rr", "5000");
        sizes.put("rr-warmup", "1000");
        sizes.put("conns", "2000");
        sizes.put("cc-warmup", "200");
        return Collections.unmodifiableMap(sizes);
    }

    static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("reps", "3");
        d.put("sizes", "short");
        d.put("io", "selector");
        d.put("tests", "bulk,rr,cc");
        for (String workloadOption : List.of("seconds", "warmup", "bytes", "chunk", "rr", "rr-warmup", "conns", "cc-warmup")) {
            d.put(workloadOption, "");
        }
        d.put("port", "15201");
        d.put("columns", "jdk,jnetstack");
        d.put("mem-mtu", "65535");
        d.put("mem-delivery", "thread");
        d.put("gvisor-bench", "");
        d.put("jnetstack-jar", "");
        d.put("jvm-args", "");
        d.put("pin", "");
        d.put("quiet-wait", "10");
        d.put("out", "");
        return d;
    }

    /** Which selector provider a column's result lines must name, so a misconfigured run cannot pass. */
    enum ProviderRule {
        /** The JDK's own (any provider but jnetstack's). */
        KERNEL,
        /** jnetstack's. */
        JNETSTACK,
        /** None: the program does not use NIO at all. */
        NONE;

        boolean accepts(String provider) {
            boolean isJnetstack = simpleName(PROVIDER_CLASS).equals(provider);
            return switch (this) {
                case KERNEL -> provider != null && !isJnetstack;
                case JNETSTACK -> isJnetstack;
                case NONE -> provider == null;
            };
        }
    }

    /**
     * One side of the comparison: the command that starts its program (a JVM and main class, or a
     * native peer), the program's own arguments, and the provider its lines must name.
     */
    record Column(String name, List<String> launcher, List<String> programArguments, ProviderRule providerRule) {
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parseOrExit(PROGRAM, defaults(), args, o -> {
            workloadArguments(o);
            Workloads.checkTests(o);
        });
        System.exit(run(options, System.out) ? 0 : 1);
    }

    /** Runs the comparison; returns false if any run failed. */
    static boolean run(Options options, PrintStream out) throws Exception {
        List<String> workloadArguments = workloadArguments(options);
        List<String> raw = new ArrayList<>();
        emit(out, raw, "# " + PROGRAM + " " + OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS)
                + " nproc=" + Runtime.getRuntime().availableProcessors()
                + " java=" + System.getProperty("java.version")
                + " pin=" + (options.string("pin").isEmpty() ? "none" : options.string("pin"))
                + " args=" + String.join(" ", workloadArguments));
        List<Column> columns = columns(options, out, raw);
        int reps = options.intValue("reps");
        double maxSeconds = runTimeBound(options);
        List<String> prefix = options.string("pin").isEmpty()
                ? List.of() : List.of("taskset", "-c", options.string("pin"));
        ComparisonTable table = new ComparisonTable(columns.stream().map(Column::name).toList());
        int failures = 0;
        for (int rep = 1; rep <= reps; rep++) {
            List<Column> order = new ArrayList<>(columns);
            if (rep % 2 == 0) {
                Collections.reverse(order);
            }
            for (Column column : order) {
                int busyBefore = MachineLoad.awaitQuiet(QUIET_PERCENT, options.doubleValue("quiet-wait"));
                if (busyBefore > QUIET_PERCENT) {
                    emit(out, raw, "# machine not quiet before " + column.name() + " rep " + rep + " (busy " + busyBefore + "%)");
                }
                List<String> command = new ArrayList<>(prefix);
                command.addAll(runCommand(column, workloadArguments, maxSeconds));
                if (!runOnce(command, column, rep, maxSeconds, table, out, raw)) {
                    failures++;
                }
            }
        }
        out.println();
        out.println("# medians over " + reps + " reps" + (columns.size() < 2 ? " (one column: no ratio)"
                : "; ratios = each column's median / " + columns.get(0).name()
                        + "'s (\"better\" says which direction is good for the figure)"));
        out.print(table.render());
        if (failures > 0) {
            out.println("# " + failures + " run(s) failed; see the lines above");
        }
        String outFile = options.string("out");
        if (!outFile.isEmpty()) {
            Path path = Paths.get(outFile);
            if (path.getParent() != null) {
                Files.createDirectories(path.getParent());
            }
            raw.add("");
            table.render().lines().forEach(l -> raw.add("# " + l));
            Files.write(path, raw, StandardCharsets.UTF_8);
            out.println("# raw lines and table written to " + path);
        }
        return failures == 0;
    }

    /**
     * The workload options for every column's program: short sizes unless {@code --sizes full},
     * then explicit ones. Byte counts go out as plain integers, the one form both NioBench and
     * the peer's netstackbench (Go's flag package: no k/M/G suffix) read.
     */
    static List<String> workloadArguments(Options options) {
        String sizes = options.string("sizes");
        if (!sizes.equals("short") && !sizes.equals("full")) {
            throw new IllegalArgumentException(PROGRAM + ": --sizes wants short or full, got '" + sizes + "'");
        }
        Map<String, String> chosen = new LinkedHashMap<>();
        if (sizes.equals("short")) {
            chosen.putAll(SHORT_SIZES);
        }
        for (String name : List.of("seconds", "warmup", "bytes", "chunk", "rr", "rr-warmup", "conns", "cc-warmup")) {
            if (!options.string(name).isEmpty()) {
                chosen.put(name, options.string(name));
            }
        }
        chosen.put("tests", options.string("tests"));
        chosen.put("port", options.string("port"));
        for (String sized : List.of("bytes", "chunk")) {
            chosen.computeIfPresent(sized, SideBySide::plainSize);
        }
        List<String> args = new ArrayList<>();
        chosen.forEach((k, v) -> {
            args.add("--" + k);
            args.add(v);
        });
        return args;
    }

    private static String plainSize(String name, String value) {
        try {
            return Long.toString(Options.parseSize(value));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(PROGRAM + ": --" + name + " wants an integer (k/M/G/T suffix allowed), got '"
                    + value + "'");
        }
    }

    /**
     * A generous bound on one NioBench run, given to its watchdog (and, a little later, to this
     * runner's own wait): warm-up, then bulk and cc up to --seconds each and rr's warm-up and
     * measured loops up to --seconds each, plus start-up.
     */
    static double runTimeBound(Options options) {
        List<String> args = workloadArguments(options);
        double seconds = Double.parseDouble(valueIn(args, "seconds", "10"));
        double warmup = Double.parseDouble(valueIn(args, "warmup", "1"));
        return warmup + 6 * seconds + 30;
    }

    private static String valueIn(List<String> args, String name, String fallback) {
        int i = args.indexOf("--" + name);
        return i >= 0 ? args.get(i + 1) : fallback;
    }

    private static List<Column> columns(Options options, PrintStream out, List<String> raw) throws URISyntaxException, IOException {
        Path ownLocation = Paths.get(SideBySide.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        String ownClassPath = ownLocation.toString();
        // Built in the same tree: bench/target/{classes,*.jar} next to spi/target and stack/target.
        Path projectRoot = ownLocation.getParent().getParent().getParent();
        String providerJar = options.string("jnetstack-jar");
        if (providerJar.isEmpty()) {
            providerJar = pathOrEmpty(findJar(projectRoot.resolve("spi/target"), "jnetstack-spi-.*-all\\.jar"));
        }
        String stackJar = pathOrEmpty(findJar(projectRoot.resolve("stack/target"), "jnetstack-stack-[^-]*(-SNAPSHOT)?\\.jar"));
        List<String> jvmArgs = options.string("jvm-args").isBlank()
                ? List.of() : List.of(options.string("jvm-args").trim().split("\\s+"));
        List<String> nioArguments = List.of("loopback", "--io", options.string("io"));
        String jnetstackClassPath = ownClassPath + File.pathSeparator + providerJar;
        List<String> jnetstackJvmArgs = new ArrayList<>(jvmArgs);
        jnetstackJvmArgs.add("-D" + PROVIDER_PROPERTY + "=" + PROVIDER_CLASS);
        List<Column> columns = new ArrayList<>();
        for (String name : options.list("columns")) {
            String skipReason = null;
            Column column;
            switch (name) {
                case "jdk" -> {
                    column = new Column(name, jvmLauncher(jvmArgs, ownClassPath, NioBench.class.getName()),
                            nioArguments, ProviderRule.KERNEL);
                    skipReason = probeProvider(jvmArgs, ownClassPath);
                }
                case "jnetstack" -> {
                    column = new Column(name, jvmLauncher(jnetstackJvmArgs, jnetstackClassPath, NioBench.class.getName()),
                            nioArguments, ProviderRule.JNETSTACK);
                    skipReason = missingClassReason(providerJar, PROVIDER_CLASS, "spi/target/jnetstack-spi-VERSION-all.jar");
                    if (skipReason == null) {
                        skipReason = probeProvider(jnetstackJvmArgs, jnetstackClassPath);
                    }
                }
                case "jnetstack-mem" -> {
                    options.intValue("mem-mtu"); // one MTU per column, so its medians never mix two
                    column = new Column(name, jvmLauncher(jvmArgs, ownClassPath + File.pathSeparator + stackJar, MEM_BENCH_CLASS),
                            List.of("--mtu", options.string("mem-mtu"), "--delivery", options.string("mem-delivery")),
                            ProviderRule.NONE);
                    skipReason = missingClassReason(stackJar, TCP_ENDPOINT_CLASS, "stack/target/jnetstack-stack-VERSION.jar");
                    if (SideBySide.class.getResource("StackMemBench.class") == null) {
                        skipReason = "this build has no " + MEM_BENCH_CLASS + " (it needs TCP in the stack)";
                    }
                }
                case "gvisor-mem" -> {
                    String program = options.string("gvisor-bench").isEmpty()
                            ? projectRoot.resolve(GVISOR_BENCH).toString() : options.string("gvisor-bench");
                    column = new Column(name, List.of(program), gvisorMemArguments(options), ProviderRule.NONE);
                    skipReason = Files.isExecutable(Paths.get(program)) ? null : "no " + program + " (bench/run.sh builds it"
                            + " from ../shared/peers/gvisor when go and Debian's golang-gvisor-gvisor-dev are installed)";
                }
                default -> throw new IllegalArgumentException(PROGRAM + ": unknown column '" + name
                        + "' (jdk, jnetstack, jnetstack-mem, gvisor-mem)");
            }
            if (skipReason != null) {
                emit(out, raw, "# " + name + " column skipped: " + skipReason);
            } else {
                columns.add(column);
            }
        }
        if (columns.isEmpty()) {
            throw new IllegalArgumentException(PROGRAM + ": no column left to run");
        }
        return columns;
    }

    /**
     * gVisor's counterpart of the jnetstack-mem column's configuration: its synchronous
     * {@code pipe} link for inline delivery, its goroutine-pumped {@code channel} link for a
     * delivery thread, at the same MTU.
     */
    static List<String> gvisorMemArguments(Options options) {
        String link = switch (options.string("mem-delivery")) {
            case "inline" -> "pipe";
            case "thread" -> "channel";
            default -> throw new IllegalArgumentException(PROGRAM + ": --mem-delivery wants inline or thread, got '"
                    + options.string("mem-delivery") + "'");
        };
        return List.of("-mode=mem", "-link=" + link, "-mtu=" + options.intValue("mem-mtu"));
    }

    private static List<String> jvmLauncher(List<String> jvmArguments, String classPath, String mainClass) {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(jvmArguments);
        command.addAll(List.of("-cp", classPath, mainClass));
        return command;
    }

    /** Runs {@link ProviderProbe} as a NIO column would run NioBench; returns why it failed, or null. */
    private static String probeProvider(List<String> jvmArguments, String classPath) throws IOException {
        List<String> command = jvmLauncher(jvmArguments, classPath, ProviderProbe.class.getName());
        Process probe = new ProcessBuilder(command).redirectErrorStream(true).start();
        String said = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        try {
            if (!probe.waitFor(30, TimeUnit.SECONDS)) {
                probe.destroyForcibly();
                return "its provider probe did not finish in 30 s";
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while probing its provider";
        }
        return probe.exitValue() == 0 ? null : said.replace('\n', ' ');
    }

    private static String javaExecutable() {
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String pathOrEmpty(Path path) {
        return path == null ? "" : path.toString();
    }

    /** Why {@code jar} cannot serve a column that needs {@code className}, or null if it can. */
    static String missingClassReason(String jar, String className, String expected) {
        String build = " (build it with: mvn -B -q -pl bench -am package -DskipTests)";
        if (jar.isEmpty()) {
            return "no " + expected + " found" + build;
        }
        Path path = Paths.get(jar);
        if (!Files.isRegularFile(path)) {
            return "no jar at " + jar + build;
        }
        try (JarFile jarFile = new JarFile(path.toFile())) {
            if (jarFile.getEntry(className.replace('.', '/') + ".class") == null) {
                return jar + " has no " + className + " yet (not landed in this branch)";
            }
        } catch (IOException e) {
            return "cannot read " + jar + ": " + e.getMessage();
        }
        return null;
    }

    private static List<String> runCommand(Column column, List<String> workloadArguments,
            double maxSeconds) {
        List<String> command = new ArrayList<>(column.launcher());
        command.addAll(column.programArguments());
        command.add("--label");
        command.add(column.name() + (column.providerRule() == ProviderRule.NONE ? "" : "-loopback"));
        command.add("--max-seconds");
        command.add(Long.toString((long) Math.ceil(maxSeconds)));
        command.addAll(workloadArguments);
        return command;
    }

    /** Runs one NioBench JVM; returns false if it failed or reported under the wrong provider. */
    private static boolean runOnce(List<String> command, Column column, int rep, double maxSeconds,
            ComparisonTable table, PrintStream out, List<String> raw) throws IOException, InterruptedException {
        MachineLoad.Ticks before = MachineLoad.now();
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<ResultLine> lines = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String text;
            while ((text = reader.readLine()) != null) {
                ResultLine line = ResultLine.parse(text);
                if (line == null) {
                    emit(out, raw, "# " + column.name() + " rep " + rep + ": " + text);
                } else {
                    lines.add(line);
                }
            }
        }
        // The child's watchdog halts it at maxSeconds; this wait only guards against a wedged JVM.
        if (!process.waitFor((long) maxSeconds + 15, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            emit(out, raw, "# " + column.name() + " rep " + rep + ": killed after " + maxSeconds + " s");
            return false;
        }
        int busy = MachineLoad.now().busyPercentSince(before);
        boolean ok = process.exitValue() == 0;
        for (ResultLine line : lines) {
            line.with("column", column.name()).with("rep", rep).with("machine_busy_pct", busy)
                    .with("rc", process.exitValue());
            emit(out, raw, line.toString());
            if (!column.providerRule().accepts(line.get("provider"))) {
                emit(out, raw, "# " + column.name() + " rep " + rep + ": ran under provider " + line.get("provider")
                        + ", not the column's; result discarded");
                ok = false;
            } else if (process.exitValue() == 0) {
                table.add(column.name(), line);
            }
        }
        if (process.exitValue() != 0) {
            emit(out, raw, "# " + column.name() + " rep " + rep + ": exit status " + process.exitValue());
        }
        return ok;
    }

    private static void emit(PrintStream out, List<String> raw, String line) {
        out.println(line);
        out.flush();
        raw.add(line);
    }

    private static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }

    /** The newest file in {@code dir} whose name matches {@code pattern}, or null. */
    static Path findJar(Path dir, String pattern) throws IOException {
        if (!Files.isDirectory(dir)) {
            return null;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().matches(pattern))
                    .max(Comparator.comparing(p -> p.getFileName().toString())).orElse(null);
        }
    }
}
