package io.jnetstack.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.abort;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs an example's main in this JVM and checks what it printed. */
final class ExampleOutput {
    @FunctionalInterface
    interface Main {
        void run(String[] args) throws Exception;
    }

    private ExampleOutput() {
    }

    /** What {@code main} printed; skips the test when jnetstack said it does not offer what the example uses yet. */
    static String of(Main main, String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            main.run(args);
        } catch (UnsupportedOperationException e) {
            if (String.valueOf(e.getMessage()).contains("in this build yet")) {
                abort(e.getMessage());
            }
            throw e;
        } finally {
            System.setOut(original);
            original.print(out.toString(StandardCharsets.UTF_8));
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    static void assertContains(String printed, String... expected) {
        for (String e : expected) {
            assertTrue(printed.contains(e), "missing \"" + e + "\" in:\n" + printed);
        }
    }
}
