package io.jnetstack.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.abort;

import io.jnetstack.compat.contract.ContractRunner;
import io.jnetstack.compat.harness.ForkedJvm;
import io.jnetstack.compat.harness.Provider;
import io.jnetstack.spi.testing.AllJar;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
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
 * forked JVM per provider (the JDK's, the oracle, and jnetstack's from the -all jar), and each
 * must pass in both columns. A contract failing on the JDK is a wrong contract; failing only on
 * jnetstack is a jnetstack bug (or a known difference the README lists).
 */
class NioContractSuiteTest {
    /** The whole suite per JVM; the contracts' own limits (15 s each) are far above what they take. */
    private static final Duration SUITE_LIMIT = Duration.ofMinutes(5);

    private record Outcome(String status, String detail) {
    }

    private record Column(String provider, String asyncProvider, String javaNet, Map<String, Outcome> outcomes,
                          String output) {
    }

    private static final Map<Provider, Column> columns = new EnumMap<>(Provider.class);

    @BeforeAll
    static void runTheSuiteOnBothProviders() throws Exception {
        // Both JVMs at once: the contracts mostly wait on each other's threads, so this halves the wall time.
        Map<Provider, CompletableFuture<Column>> running = new EnumMap<>(Provider.class);
        for (Provider provider : Provider.values()) {
            running.put(provider, CompletableFuture.supplyAsync(() -> {
                try {
                    return runSuite(provider);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (Provider provider : Provider.values()) {
            columns.put(provider, running.get(provider).join());
        }
        System.out.println(report());
    }

    private static Column runSuite(Provider provider) throws Exception {
        Path reportFile = Files.createTempFile("jnetstack-contracts-" + provider, ".tsv");
        try {
            // SecurityManagerContracts install a security manager: JDK 17 allows it by default, later JDKs only so.
            ForkedJvm jvm = ForkedJvm.of(provider, ContractRunner.class, reportFile.toString())
                    .option("-Djava.security.manager=allow");
            if (provider == Provider.JNETSTACK) {
                // PlainSocketContracts' new Socket() and the like reach jnetstack only through its factories.
                jvm.option("-javaagent:" + AllJar.path());
            }
            ForkedJvm.Result result = jvm.run(SUITE_LIMIT);
            assertEquals(0, result.exitCode(), provider + " contract runner failed:\n" + result.output());
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

    /** The two-column table: contract | JDK | jnetstack, then the totals and every failure's reason. */
    private static String report() {
        List<String> names = contractNames();
        int width = names.stream().mapToInt(String::length).max().orElse(10);
        StringBuilder table = new StringBuilder(String.format("%n%-" + width + "s | %-7s | %s%n", "java.nio contract", "JDK", "jnetstack"));
        StringBuilder reasons = new StringBuilder();
        for (String name : names) {
            table.append(String.format("%-" + width + "s | %-7s | %s%n", name, status(Provider.JDK, name), status(Provider.JNETSTACK, name)));
            for (Provider p : Provider.values()) {
                Outcome o = columns.get(p).outcomes().get(name);
                // UNBUILT all share one reason, which the jnetstack column's abort messages give.
                if (o != null && o.status().equals("FAIL")) {
                    reasons.append(String.format("  %s on %s: %s %s%n", name, p, o.status(), o.detail()));
                }
            }
        }
        for (Provider p : Provider.values()) {
            Map<String, Long> counts = new LinkedHashMap<>();
            columns.get(p).outcomes().values().forEach(o -> counts.merge(o.status(), 1L, Long::sum));
            table.append(String.format("%s (%s): %s%n", p, columns.get(p).provider(), counts));
        }
        return table.append(reasons).toString();
    }

    private static String status(Provider provider, String name) {
        Outcome o = columns.get(provider).outcomes().get(name);
        return o == null ? "MISSING" : o.status();
    }

    @Test
    void eachColumnRanOnItsProvider() {
        for (Provider p : Provider.values()) {
            String providerClass = columns.get(p).provider();
            assertTrue(providerClass != null && p.isImplementedBy(providerClass),
                    p + " column ran on " + providerClass + ":\n" + columns.get(p).output());
            String asyncProviderClass = columns.get(p).asyncProvider();
            assertTrue(asyncProviderClass != null && p.isImplementedBy(asyncProviderClass),
                    p + " column's asynchronous channels ran on " + asyncProviderClass);
            String javaNetOn = p == Provider.JDK ? "kernel" : "jnetstack";
            assertEquals(javaNetOn, columns.get(p).javaNet(), p + " column's java.net sockets:\n" + columns.get(p).output());
        }
    }

    /** The floor is the suite's size when it was last counted: a contract lost by accident fails. */
    @Test
    void noContractWentMissing() {
        assertTrue(contractNames().size() >= 250, "contracts: " + contractNames().size());
    }

    @TestFactory
    Stream<DynamicContainer> everyContractPassesOnBothProviders() {
        return contractNames().stream().map(name -> DynamicContainer.dynamicContainer(name,
                Stream.of(Provider.values()).map(p -> DynamicTest.dynamicTest(p.toString(), () -> check(p, name)))));
    }

    private static void check(Provider provider, String name) {
        Outcome o = columns.get(provider).outcomes().get(name);
        assertTrue(o != null, name + " did not run on " + provider + ":\n" + columns.get(provider).output());
        if (o.status().equals("UNBUILT") && provider == Provider.JNETSTACK) {
            abort("jnetstack does not offer this yet: " + o.detail());
        }
        assertEquals("PASS", o.status(), name + " on " + provider + ": " + o.detail());
    }
}
