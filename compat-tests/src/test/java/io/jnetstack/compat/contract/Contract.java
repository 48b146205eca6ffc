package io.jnetstack.compat.contract;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a public static no-argument method as one fact of the java.nio contract. It uses only the
 * public java.nio API, so {@link ContractRunner} can run it unchanged on whichever provider the
 * JVM was started with; it passes by returning and fails by throwing.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Contract {
}
