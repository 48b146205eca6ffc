package io.jnetstack.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Command-line options of the form {@code --name value} or {@code --name=value}, the form the peer
 * programs accept, so one set of arguments drives this project's benchmarks and the peers alike.
 * Only names declared with a default are accepted: a misspelt option fails instead of silently
 * running the default workload.
 */
public final class Options {
    private static final int USAGE_ERROR = 2;
    private final String program;
    private final Map<String, String> defaults;
    private final Map<String, String> values = new LinkedHashMap<>();
    private final List<String> positional = new ArrayList<>();

    private Options(String program, Map<String, String> defaults) {
        this.program = program;
        this.defaults = defaults;
    }

    /**
     * Parses {@code args} against {@code defaults} (name → default value, in the order usage lists
     * them). Arguments not starting with {@code --} are kept as positional arguments.
     */
    public static Options parse(String program, Map<String, String> defaults, String... args) {
        Options o = new Options(program, Collections.unmodifiableMap(new LinkedHashMap<>(defaults)));
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                o.positional.add(arg);
                continue;
            }
            String name = arg.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException(program + ": option --" + name + " needs a value");
            }
            if (!o.defaults.containsKey(name)) {
                throw new IllegalArgumentException(program + ": unknown option --" + name + "; known: " + o.usage());
            }
            o.values.put(name, value);
        }
        return o;
    }

    /**
     * What a program's {@code main} calls: parses {@code args} and runs {@code check} on the result;
     * a bad argument either way prints the problem and exits with status 2, the usual status of a
     * usage error, instead of a stack trace.
     */
    public static Options parseOrExit(String program, Map<String, String> defaults, String[] args, Consumer<Options> check) {
        try {
            Options options = parse(program, defaults, args);
            check.accept(options);
            return options;
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(USAGE_ERROR);
            throw e; // not reached
        }
    }

    /** The accepted options with their defaults, e.g. {@code --seconds 3 --rr 5000}. */
    public String usage() {
        StringBuilder sb = new StringBuilder();
        defaults.forEach((name, value) -> sb.append(sb.length() == 0 ? "" : " ").append("--").append(name)
                .append(' ').append(value.isEmpty() ? "''" : value));
        return sb.toString();
    }

    public List<String> positional() {
        return Collections.unmodifiableList(positional);
    }

    /** Whether the option was given on the command line (not just defaulted). */
    public boolean isSet(String name) {
        return values.containsKey(name);
    }

    public String string(String name) {
        if (!defaults.containsKey(name)) {
            throw new IllegalArgumentException(program + ": no option --" + name + " is declared");
        }
        return values.getOrDefault(name, defaults.get(name));
    }

    public long longValue(String name) {
        String s = string(name);
        try {
            return parseSize(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(program + ": --" + name + " wants an integer (k/M/G/T suffix allowed), got '" + s + "'");
        }
    }

    public int intValue(String name) {
        long v = longValue(name);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(program + ": --" + name + " is out of range: " + v);
        }
        return (int) v;
    }

    public double doubleValue(String name) {
        String s = string(name);
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(program + ": --" + name + " wants a number, got '" + s + "'");
        }
    }

    /** The option's value split at commas, blanks dropped. */
    public List<String> list(String name) {
        List<String> out = new ArrayList<>();
        for (String part : string(name).split(",")) {
            if (!part.isBlank()) {
                out.add(part.trim());
            }
        }
        return out;
    }

    /**
     * An integer with an optional binary suffix: {@code 64k} = 65536, {@code 1G} = 2^30, so sizes
     * read the way the peers' README writes them (64 KiB, 1 GiB).
     */
    static long parseSize(String s) {
        String t = s.trim();
        if (t.isEmpty()) {
            throw new NumberFormatException("empty");
        }
        int shift = switch (Character.toLowerCase(t.charAt(t.length() - 1))) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            case 't' -> 40;
            default -> 0;
        };
        String digits = shift == 0 ? t : t.substring(0, t.length() - 1);
        long v = Long.parseLong(digits);
        if (shift > 0 && (Math.abs(v) >>> (63 - shift)) != 0) {
            throw new NumberFormatException("too large: " + s);
        }
        return v << shift;
    }
}
