package io.jnetstack.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes a fuzz target's seed inputs where jazzer-junit reads them in regression runs and fuzzing
 * starts from them: {@code src/test/resources/<package>/<TestClass>Inputs/<method>/<name>}. Run
 * from the module's directory; the written files are committed.
 */
public final class FuzzCorpus {
    private FuzzCorpus() {
    }

    public static void write(Class<?> fuzzTest, String method, Map<String, byte[]> seeds) throws IOException {
        Path dir = Path.of("src", "test", "resources", fuzzTest.getPackageName().replace('.', '/'),
                fuzzTest.getSimpleName() + "Inputs", method);
        Files.createDirectories(dir);
        for (Map.Entry<String, byte[]> seed : seeds.entrySet()) {
            Files.write(dir.resolve("seed-" + seed.getKey()), seed.getValue());
        }
    }
}
