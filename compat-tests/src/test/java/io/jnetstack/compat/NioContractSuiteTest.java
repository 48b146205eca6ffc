package io.jnetstack.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.abort;

import io.jnetstack.compat.contract.ContractRunner;
import io.jnetstack.compat.contract.Loopback;
import io.jnetstack.compat.harness.ForkedJvm;
import io.jnetstack.compat.harness.Provider;
import io.jnetstack.spi.testing.AllJar;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The java.nio contract suite: every {@link io.jnetstack.compat.contract.Contract} runs in one
 * forked JVM per provider (the JDK's, the oracle, and jnetstack's from the -all jar) and loopback
 * address (127.0.0.1 and ::1, see {@link Loopback#ADDRESS_PROPERTY}), and each must pass in every
 * column. A contract failing on the JDK is a wrong contract; failing only on jnetstack is a
 * jnetstack bug (or a known difference the README lists).
 */
class NioContractSuiteTest {
    /** The whole suite per JVM; the contracts' own limits (15 s each) are far above what they take. */
    private static final Duration SUITE_LIMIT = Duration.ofMinutes(5);

    private record Outcome(String status, String detail) {
    }

    private record Column(String provider, String asyncProvider, String javaNet, Map<String, Outcome> outcomes,
                          String output) {
    }

    /** The loopback address a run's contracts use. */
    private enum Over {
        IPV4("127.0.0.1"), IPV6("::1");

        final String address;

        Over(String address) {
            this.address = address;
        }
    }

    /** One forked JVM: a provider, over one loopback address. */
    private record Run(Provider provider, Over over) {
        @Override
        public String toString() {
            return provider + " over " + over.address;
        }
    }

    private static final Map<Run, Column> columns = new LinkedHashMap<>();

    private static List<Run> runs() {
        return Stream.of(Over.values()).flatMap(o -> Stream.of(Provider.values()).map(p -> new Run(p, o))).toList();
    }

    @BeforeAll
    static void runTheSuiteOnBothProviders() throws Exception {
        // The JVMs at once: the contracts mostly wait on each other's threads, so this cuts the wall time.
        Map<Run, CompletableFuture<Column>> running = new LinkedHashMap<>();
        for (Run run : runs()) {
            running.put(run, CompletableFuture.supplyAsync(() -> {
                try {
                    return runSuite(run);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (Run run : runs()) {
            columns.put(run, running.get(run).join());
        }
        System.out.println(report());
    }

    private static Column runSuite(Run run) throws Exception {
        Path reportFile = Files.createTempFile("jnetstack-contracts-" + run.provider() + "-" + run.over(), ".tsv");
        try {
            // SecurityManagerContracts install a security manager: JDK 17 allows it by default, later JDKs only so.
            ForkedJvm jvm = ForkedJvm.of(run.provider(), ContractRunner.class, reportFile.toString())
                    .option("-Djava.security.manager=allow")
                    .option("-D" + Loopback.ADDRESS_PROPERTY + "=" + run.over().address);
            if (run.provider() == Provider.JNETSTACK) {
                // PlainSocketContracts' new Socket() and the like reach jnetstack only through its factories.
                jvm.option("-javaagent:" + AllJar.path());
            }
            ForkedJvm.Result result = jvm.run(SUITE_LIMIT);
            assertEquals(0, result.exitCode(), run + " contract runner failed:\n" + result.output());
            String providerClass = null;
            String asyncProviderClass = null;
            String javaNet = null;
            Map<String, Outcome> outcomes = new LinkedHashMap<>();
            for (String line : Files.readAllLines(reportFile, StandardCharsets.UTF_8)) {
                String[] f = line.split("\t", -1);
                if (f[0].equals("provider")) {
                    providerClass = f[1];
                } else if (f[0].equals("asyncProvider")) {
                    asyncProviderClass = f[1];
                } else if (f[0].equals("javaNet")) {
                    javaNet = f[1];
                } else if (f[0].equals("contract")) {
                    outcomes.put(f[1], new Outcome(f[2], f[3]));
                }
            }
            return new Column(providerClass, asyncProviderClass, javaNet, outcomes, result.output());
        } finally {
            Files.deleteIfExists(reportFile);
        }
    }

    private static List<String> contractNames() {
        return ContractRunner.contracts().stream().map(NioContractSuiteTest::name).toList();
    }

    private static String name(Method contract) {
        return contract.getDeclaringClass().getSimpleName() + "." + contract.getName();
    }

    /** The table: contract | one column per run, then the totals and every failure's reason. */
    private static String report() {
        List<String> names = contractNames();
        int width = names.stream().mapToInt(String::length).max().orElse(10);
        StringBuilder table = new StringBuilder(String.format("%n%-" + width + "s", "java.nio contract"));
        for (Run run : runs()) {
            table.append(String.format(" | %-22s", run));
        }
        table.append(String.format("%n"));
        StringBuilder reasons = new StringBuilder();
        for (String name : names) {
            table.append(String.format("%-" + width + "s", name));
            for (Run run : runs()) {
                table.append(String.format(" | %-22s", status(run, name)));
                Outcome o = columns.get(run).outcomes().get(name);
                // UNBUILT all share one reason, which the jnetstack column's abort messages give.
                if (o != null && o.status().equals("FAIL")) {
                    reasons.append(String.format("  %s on %s: %s %s%n", name, run, o.status(), o.detail()));
                }
            }
            table.append(String.format("%n"));
        }
        for (Run run : runs()) {
            Map<String, Long> counts = new LinkedHashMap<>();
            columns.get(run).outcomes().values().forEach(o -> counts.merge(o.status(), 1L, Long::sum));
            table.append(String.format("%s (%s): %s%n", run, columns.get(run).provider(), counts));
        }
        return table.append(reasons).toString();
    }

    private static String status(Run run, String name) {
        Outcome o = columns.get(run).outcomes().get(name);
        return o == null ? "MISSING" : o.status();
    }

    @Test
    void eachColumnRanOnItsProvider() {
        for (Run run : runs()) {
            String providerClass = columns.get(run).provider();
            assertTrue(providerClass != null && run.provider().isImplementedBy(providerClass),
                    run + " column ran on " + providerClass + ":\n" + columns.get(run).output());
            String asyncProviderClass = columns.get(run).asyncProvider();
            assertTrue(asyncProviderClass != null && run.provider().isImplementedBy(asyncProviderClass),
                    run + " column's asynchronous channels ran on " + asyncProviderClass);
            String javaNetOn = run.provider() == Provider.JDK ? "kernel" : "jnetstack";
            assertEquals(javaNetOn, columns.get(run).javaNet(), run + " column's java.net sockets:\n" + columns.get(run).output());
        }
    }

    /** The floor is the suite's size when it was last counted: a contract lost by accident fails. */
    @Test
    void noContractWentMissing() {
        assertTrue(contractNames().size() >= 264, "contracts: " + contractNames().size());
    }

    @TestFactory
    Stream<DynamicContainer> everyContractPassesOnBothProviders() {
        return contractNames().stream().map(name -> DynamicContainer.dynamicContainer(name,
                runs().stream().map(run -> DynamicTest.dynamicTest(run.toString(), () -> check(run, name)))));
    }

    private static void check(Run run, String name) {
        Outcome o = columns.get(run).outcomes().get(name);
        assertTrue(o != null, name + " did not run on " + run + ":\n" + columns.get(run).output());
        if (o.status().equals("UNBUILT") && run.provider() == Provider.JNETSTACK) {
            abort("jnetstack does not offer this yet: " + o.detail());
        }
        assertEquals("PASS", o.status(), name + " on " + run + ": " + o.detail());
    }
}
