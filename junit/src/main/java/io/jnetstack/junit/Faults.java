package io.jnetstack.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fault rules on the default jnetstack stack (the one {@code SelectorProvider.provider()} runs
 * on) while a test runs: on a method, for that test; on a class, for all its tests. The rules are
 * added before and removed after, so a test of unmodified client code meets latency, loss, resets
 * or a partition on its own loopback. Each string holds rules in the syntax of
 * {@code -Djnetstack.fault}, e.g. {@code @Faults("tcp:port=8080:latency=200ms")}.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(FaultsExtension.class)
public @interface Faults {
    /** Fault rules; each string may hold several, separated by {@code ;}. */
    String[] value();
}
