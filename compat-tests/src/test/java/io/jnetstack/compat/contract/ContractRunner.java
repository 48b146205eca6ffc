package io.jnetstack.compat.contract;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.ServerSocket;
import java.nio.channels.spi.AsynchronousChannelProvider;
import java.nio.channels.spi.SelectorProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;

/**
 * Runs every {@link Contract} of {@link #CONTRACT_CLASSES} on the JVM's default provider — one JVM
 * per provider, all contracts in it — and writes one line per contract to the report file named
 * by the first argument:
 *
 * <pre>
 * provider	CLASS
 * asyncProvider	CLASS
 * contract	NAME	PASS|FAIL|UNBUILT	DETAIL
 * </pre>
 *
 * UNBUILT means the provider said it does not offer the feature in this build (jnetstack's TCP
 * before its socket channels exist); the caller decides what that means. Each contract runs on its
 * own thread and gets {@link #CONTRACT_LIMIT_SECONDS}: a hung contract fails and the rest still run.
 */
public final class ContractRunner {
    public static final List<Class<?>> CONTRACT_CLASSES = List.of(TcpConnectContracts.class, TcpDataContracts.class,
            TcpShutdownContracts.class, TcpResetContracts.class, TcpCloseContracts.class, SocketAdaptorContracts.class,
            SocketOptionContracts.class, SelectorContracts.class, DatagramContracts.class, PipeContracts.class,
            ApplicationFaultContracts.class, SecurityManagerContracts.class, AsyncChannelContracts.class,
            AsyncGroupContracts.class, DualStackContracts.class, PlainSocketContracts.class, UrgentDataContracts.class,
            MulticastContracts.class);
    private static final long CONTRACT_LIMIT_SECONDS = 15;
    /** Part of jnetstack's message for what it does not offer yet (TCP channels, before they are built). */
    public static final String NOT_BUILT_MARK = "in this build yet";

    private ContractRunner() {
    }

    public static void main(String[] args) throws IOException {
        try (PrintWriter report = new PrintWriter(Files.newBufferedWriter(Path.of(args[0]), StandardCharsets.UTF_8), true)) {
            report.println("provider\t" + SelectorProvider.provider().getClass().getName());
            report.println("asyncProvider\t" + AsynchronousChannelProvider.provider().getClass().getName());
            report.println("javaNet\t" + whereJavaNetSocketsRun());
            for (Method contract : contracts()) {
                String name = contract.getDeclaringClass().getSimpleName() + "." + contract.getName();
                report.println("contract\t" + name + "\t" + run(contract));
            }
        }
        // Threads of hung contracts (daemons) or of the provider must not keep this JVM alive.
        System.exit(0);
    }

    /**
     * "jnetstack" if a {@code new ServerSocket()} is listed among jnetstack's sockets (its JMX
     * Connections MBean, which any program can read), else "kernel": the plain-socket contracts
     * mean something only if they ran where the column says.
     */
    private static String whereJavaNetSocketsRun() throws IOException {
        MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
        try (ServerSocket probe = new ServerSocket(0, 1, Loopback.ADDRESS)) {
            for (ObjectName name : mbeans.queryNames(new ObjectName("io.jnetstack:type=Connections,*"), null)) {
                for (CompositeData row : (CompositeData[]) mbeans.getAttribute(name, "Connections")) {
                    if (row.get("localPort").equals(probe.getLocalPort()) && row.get("state").equals("LISTEN")) {
                        return "jnetstack";
                    }
                }
            }
            return "kernel";
        } catch (JMException e) {
            throw new IOException("cannot read jnetstack's Connections MBean", e);
        }
    }

    /** Every contract method, in catalogue then name order. */
    public static List<Method> contracts() {
        List<Method> all = new ArrayList<>();
        for (Class<?> c : CONTRACT_CLASSES) {
            List<Method> mine = new ArrayList<>();
            for (Method m : c.getDeclaredMethods()) {
                if (m.isAnnotationPresent(Contract.class)) {
                    if (!Modifier.isStatic(m.getModifiers()) || m.getParameterCount() != 0) {
                        throw new IllegalStateException(m + ": a contract is a static method without parameters");
                    }
                    mine.add(m);
                }
            }
            mine.sort(Comparator.comparing(Method::getName));
            all.addAll(mine);
        }
        return all;
    }

    /** "PASS\t", "FAIL\tWHY" or "UNBUILT\tWHY". */
    private static String run(Method contract) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                contract.invoke(null);
                done.complete(null);
            } catch (InvocationTargetException e) {
                done.completeExceptionally(e.getCause());
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        }, contract.getName());
        thread.setDaemon(true);
        thread.start();
        try {
            done.get(CONTRACT_LIMIT_SECONDS, TimeUnit.SECONDS);
            return "PASS\t";
        } catch (ExecutionException e) {
            Throwable failure = e.getCause();
            return (isNotBuilt(failure) ? "UNBUILT\t" : "FAIL\t") + describe(failure);
        } catch (TimeoutException e) {
            thread.interrupt();
            return "FAIL\tdid not finish within " + CONTRACT_LIMIT_SECONDS + " s, at " + where(thread.getStackTrace());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "FAIL\tinterrupted";
        }
    }

    private static boolean isNotBuilt(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof UnsupportedOperationException && String.valueOf(t.getMessage()).contains(NOT_BUILT_MARK)) {
                return true;
            }
        }
        return false;
    }

    /** One line: the exception, its causes, and the contract line that failed. */
    private static String describe(Throwable failure) {
        StringBuilder sb = new StringBuilder(String.valueOf(failure));
        for (Throwable t = failure.getCause(); t != null; t = t.getCause()) {
            sb.append(" <- ").append(t);
        }
        sb.append(" at ").append(where(failure.getStackTrace()));
        return sb.toString().replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
    }

    /** The innermost frame in contract code, where a reader starts looking. */
    private static String where(StackTraceElement[] stack) {
        for (StackTraceElement e : stack) {
            if (e.getClassName().startsWith(ContractRunner.class.getPackageName()) && !e.getClassName().equals(Check.class.getName())) {
                return e.getFileName() + ":" + e.getLineNumber();
            }
        }
        return stack.length > 0 ? stack[0].toString() : "?";
    }
}
