package io.jnetstack.spi.cli;

import java.io.PrintStream;
import java.util.Arrays;

/** The -all jar's main class: runs the command its first argument names. */
public final class JnetstackCommand {
    static final String USAGE = """
            usage: java -jar jnetstack-spi-VERSION-all.jar COMMAND [ARGS]
            commands:
              ss [-a | -l] PID   list the TCP sockets of JVM PID's jnetstack stacks, as ss -tin does
                                 (-a: all, listeners and TIME-WAIT too; -l: listeners only)""";

    private JnetstackCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command; returns the process's exit status (0 done, 1 failed, 2 bad usage). */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length > 0 && args[0].equals("ss")) {
            return SsCommand.run(Arrays.copyOfRange(args, 1, args.length), out, err);
        }
        err.println(USAGE);
        return 2;
    }
}
