package io.jnetstack.junit;

import io.jnetstack.fault.FaultRule;
import io.jnetstack.fault.FaultRules;
import io.jnetstack.spi.JnetstackSelectorProvider;
import java.io.IOException;
import java.lang.reflect.AnnotatedElement;
import java.nio.channels.spi.SelectorProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Applies {@link Faults} to the default stack: a class's rules from before its first test to
 * after its last, a method's around that test. Exactly the rules added are removed, so rules added
 * otherwise (by {@code -Djnetstack.fault} or the program) stay.
 */
public final class FaultsExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(FaultsExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getTestClass().ifPresent(c -> apply(c, context));
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getTestMethod().ifPresent(m -> apply(m, context));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        removeAdded(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        removeAdded(context);
    }

    /** The fault rules of the stack the JVM's {@code SelectorProvider} runs on. */
    public static FaultRules defaultStackFaults() {
        SelectorProvider provider = SelectorProvider.provider();
        if (!(provider instanceof JnetstackSelectorProvider jnetstack)) {
            throw new ExtensionConfigurationException("@Faults needs jnetstack as the JVM's SelectorProvider, but it is "
                    + provider.getClass().getName() + ": put jnetstack-spi on the test class path or run with"
                    + " -Djava.nio.channels.spi.SelectorProvider=" + JnetstackSelectorProvider.class.getName());
        }
        try {
            return jnetstack.stack().faults();
        } catch (IOException e) {
            throw new ExtensionConfigurationException("the default jnetstack stack cannot start: " + e.getMessage(), e);
        }
    }

    private static void apply(AnnotatedElement element, ExtensionContext context) {
        Optional<Faults> faults = Optional.ofNullable(element.getAnnotation(Faults.class));
        if (faults.isEmpty()) {
            return;
        }
        List<FaultRule> rules = new ArrayList<>();
        for (String text : faults.get().value()) {
            try {
                rules.addAll(FaultRule.parseAll(text));
            } catch (IllegalArgumentException e) {
                throw new ExtensionConfigurationException("@Faults on " + element + ": " + e.getMessage(), e);
            }
        }
        FaultRules stackRules = defaultStackFaults();
        for (FaultRule rule : rules) {
            stackRules.add(rule);
        }
        context.getStore(NAMESPACE).put(addedKey(context), rules);
    }

    /** One key per test or class, so a test's clean-up never takes its class's rules. */
    private static String addedKey(ExtensionContext context) {
        return "added " + context.getUniqueId();
    }

    private static void removeAdded(ExtensionContext context) {
        @SuppressWarnings("unchecked")
        List<FaultRule> added = context.getStore(NAMESPACE).remove(addedKey(context), List.class);
        if (added != null) {
            FaultRules stackRules = defaultStackFaults();
            for (FaultRule rule : added) {
                stackRules.remove(rule);
            }
        }
    }
}
