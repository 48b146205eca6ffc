package io.jnetstack.compat.harness;

import io.jnetstack.spi.testing.AllJar;
import java.nio.file.Path;
import java.util.List;

/**
 * The two ways a forked program's JVM gets its java.nio provider: the JDK's own (the oracle), or
 * jnetstack's the way a user adds it — the -all jar on the class path and the provider properties.
 */
public enum Provider {
    JDK("sun.nio.ch."),
    JNETSTACK("io.jnetstack.spi.");

    public static final String PROVIDER_CLASS = "io.jnetstack.spi.JnetstackSelectorProvider";
    public static final String ASYNC_PROVIDER_CLASS = "io.jnetstack.spi.JnetstackAsynchronousChannelProvider";

    private final String implementationPackage;

    Provider(String implementationPackage) {
        this.implementationPackage = implementationPackage;
    }

    /** Whether {@code providerClass}, as a forked JVM reports SelectorProvider.provider(), is this one's. */
    public boolean isImplementedBy(String providerClass) {
        return providerClass.startsWith(implementationPackage);
    }

    /** Class-path entries this provider adds in front of the program's own. */
    List<Path> classPath() {
        return this == JDK ? List.of() : List.of(AllJar.path());
    }

    /** JVM options this provider adds. */
    List<String> jvmOptions() {
        return this == JDK ? List.of() : List.of("-Djava.nio.channels.spi.SelectorProvider=" + PROVIDER_CLASS,
                "-Djava.nio.channels.spi.AsynchronousChannelProvider=" + ASYNC_PROVIDER_CLASS);
    }

    @Override
    public String toString() {
        return this == JDK ? "JDK" : "jnetstack";
    }
}
