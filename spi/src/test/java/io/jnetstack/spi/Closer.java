package io.jnetstack.spi;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Closes what a test opened, after it; a {@code @RegisterExtension} field. */
final class Closer implements AfterEachCallback {
    private final List<AutoCloseable> opened = new ArrayList<>();

    <T extends AutoCloseable> T add(T c) {
        opened.add(c);
        return c;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        for (AutoCloseable c : opened) {
            c.close();
        }
        opened.clear();
    }
}
