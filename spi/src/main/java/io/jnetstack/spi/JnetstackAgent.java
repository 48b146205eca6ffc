package io.jnetstack.spi;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.channels.spi.SelectorProvider;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code -javaagent} entry of the -all jar: one flag puts every socket of an unmodified
 * program on jnetstack,
 *
 * <pre>java -javaagent:jnetstack-spi-VERSION-all.jar=tap=tap0,ipv4=10.0.0.2/24 -jar app.jar</pre>
 *
 * Before the program's main runs it sets the {@code jnetstack.*} properties its argument names
 * ({@code NAME=VALUE} pairs, comma-separated, NAME without the prefix), checks them as the
 * provider would, makes jnetstack the JVM's SelectorProvider (and AsynchronousChannelProvider,
 * where this jar has one) and installs the java.net socket factories. Anything wrong (an unknown
 * or bad setting, another provider chosen first) stops the JVM at start-up with a message saying
 * what, instead of letting a socket reach the kernel.
 */
public final class JnetstackAgent {
    static final String SELECTOR_PROVIDER_PROPERTY = "java.nio.channels.spi.SelectorProvider";
    static final String ASYNCHRONOUS_PROVIDER_PROPERTY = "java.nio.channels.spi.AsynchronousChannelProvider";
    static final String ASYNCHRONOUS_PROVIDER_CLASS = "io.jnetstack.spi.JnetstackAsynchronousChannelProvider";

    private JnetstackAgent() {
    }

    public static void premain(String arguments, Instrumentation instrumentation) {
        for (Map.Entry<String, String> setting : settings(arguments).entrySet()) {
            setProperty(setting.getKey(), setting.getValue());
        }
        // The same checks the default stack makes when it is built, but now, before the program runs.
        JnetstackConfig.fromSystemProperties();
        setProperty(SELECTOR_PROVIDER_PROPERTY, JnetstackSelectorProvider.class.getName());
        if (isLoadable(ASYNCHRONOUS_PROVIDER_CLASS)) {
            setProperty(ASYNCHRONOUS_PROVIDER_PROPERTY, ASYNCHRONOUS_PROVIDER_CLASS);
        }
        SelectorProvider provider = SelectorProvider.provider();
        if (!(provider instanceof JnetstackSelectorProvider jnetstack)) {
            throw new IllegalStateException("jnetstack agent: the JVM's SelectorProvider is already "
                    + provider.getClass().getName() + ", chosen before the agent ran; java.nio would not use jnetstack");
        }
        JavaNetSockets.install(jnetstack);
    }

    /**
     * The agent argument as {@code jnetstack.*} properties, in the order given.
     *
     * @throws IllegalArgumentException for a pair without '=', a name that is not a jnetstack
     *                                  setting (listing those that are), or a name given twice
     */
    static Map<String, String> settings(String arguments) {
        Map<String, String> settings = new LinkedHashMap<>();
        if (arguments == null || arguments.isBlank()) {
            return settings;
        }
        Set<String> known = settingNames();
        for (String pair : arguments.split(",")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("jnetstack agent argument '" + pair
                        + "': expected NAME=VALUE pairs separated by commas, such as tap=tap0,ipv4=10.0.0.2/24");
            }
            String name = pair.substring(0, eq).trim();
            if (!known.contains(name)) {
                throw new IllegalArgumentException("jnetstack agent argument '" + pair + "': " + name
                        + " is not a jnetstack setting; expected one of " + known);
            }
            if (settings.put(JnetstackConfig.PREFIX + name, pair.substring(eq + 1)) != null) {
                throw new IllegalArgumentException("jnetstack agent argument: " + name + " is given twice");
            }
        }
        return settings;
    }

    /**
     * The settings the jnetstack.* properties offer, without the prefix: those JnetstackConfig
     * names (javaNet is not one: the agent always installs the java.net factories).
     */
    static Set<String> settingNames() {
        Set<String> names = new TreeSet<>();
        for (Field f : JnetstackConfig.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                try {
                    String property = (String) f.get(null);
                    if (property.startsWith(JnetstackConfig.PREFIX) && property.length() > JnetstackConfig.PREFIX.length()) {
                        names.add(property.substring(JnetstackConfig.PREFIX.length()));
                    }
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("a public constant of JnetstackConfig is readable", e);
                }
            }
        }
        return names;
    }

    /** Sets {@code name}, unless the command line already set it to the same; a different value is a conflict. */
    private static void setProperty(String name, String value) {
        String before = System.getProperty(name);
        if (before != null && !before.equals(value)) {
            throw new IllegalStateException("jnetstack agent: " + name + " is already " + before
                    + " (a -D option or the program), but the agent would set it to " + value + "; give it once");
        }
        System.setProperty(name, value);
    }

    private static boolean isLoadable(String className) {
        try {
            Class.forName(className, false, JnetstackAgent.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
