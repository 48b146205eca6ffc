package io.jnetstack.spi.cli;

import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.management.JMException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * {@code ss PID}: attaches to a running JVM (the JDK's Attach API), has it start its local JMX
 * agent, reads each jnetstack stack's {@code io.jnetstack:type=Connections} MBean and prints the
 * sockets as {@code ss -tinp} prints the kernel's: a line of state, queues, addresses and owning
 * channel, then a line of TCP variables (options, RTO and RTT in ms, MSS, cwnd and ssthresh in
 * segments, retransmissions). Needs only the JDK: the MBean's values are open types.
 */
final class SsCommand {
    /** ss's default: connected sockets only (ss.c's SS_CONN leaves out these). */
    private static final Set<String> NOT_CONNECTED = Set.of("LISTEN", "TIME_WAIT", "SYN_RECEIVED", "CLOSED");
    private static final String ROW = "%-10s %-6s %-6s %-30s %-30s %s%n";

    private enum Filter { CONNECTED, ALL, LISTENING }

    private SsCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Filter filter = Filter.CONNECTED;
        String pid = null;
        for (String a : args) {
            switch (a) {
                case "-a" -> filter = Filter.ALL;
                case "-l" -> filter = Filter.LISTENING;
                default -> {
                    if (pid != null || !a.matches("[0-9]+")) {
                        err.println(JnetstackCommand.USAGE);
                        return 2;
                    }
                    pid = a;
                }
            }
        }
        if (pid == null) {
            err.println(JnetstackCommand.USAGE);
            return 2;
        }
        try {
            return print(pid, filter, out, err);
        } catch (AttachNotSupportedException | IOException | JMException e) {
            err.println("ss: cannot read the sockets of JVM " + pid + ": " + e);
            return 1;
        }
    }

    private static int print(String pid, Filter filter, PrintStream out, PrintStream err)
            throws AttachNotSupportedException, IOException, JMException {
        String address;
        VirtualMachine vm = VirtualMachine.attach(pid);
        try {
            address = vm.startLocalManagementAgent();
        } finally {
            vm.detach();
        }
        try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
            MBeanServerConnection server = connector.getMBeanServerConnection();
            Set<ObjectName> stacks = new TreeSet<>(server.queryNames(new ObjectName("io.jnetstack:type=Connections,*"), null));
            if (stacks.isEmpty()) {
                err.println("ss: JVM " + pid + " has no jnetstack stack (it has opened no channel on jnetstack's provider)");
                return 1;
            }
            out.printf(ROW, "State", "Recv-Q", "Send-Q", "Local Address:Port", "Peer Address:Port", "Process");
            for (ObjectName stack : stacks) {
                if (stacks.size() > 1) {
                    out.println("# stack " + ObjectName.unquote(stack.getKeyProperty("stack")));
                }
                for (CompositeData c : (CompositeData[]) server.getAttribute(stack, "Connections")) {
                    if ("tcp".equals(c.get("protocol")) && shown(filter, (String) c.get("state"))) {
                        printSocket(c, out);
                    }
                }
            }
        }
        return 0;
    }

    private static boolean shown(Filter filter, String state) {
        return switch (filter) {
            case ALL -> true;
            case LISTENING -> state.equals("LISTEN");
            case CONNECTED -> !NOT_CONNECTED.contains(state);
        };
    }

    private static void printSocket(CompositeData c, PrintStream out) {
        String remote = (String) c.get("remoteAddress");
        String owner = (String) c.get("owner");
        out.printf(ROW, ssState((String) c.get("state")), c.get("receiveQueueBytes"), c.get("sendQueueBytes"),
                endpoint((String) c.get("localAddress"), String.valueOf(c.get("localPort"))),
                remote.isEmpty() ? "*:*" : endpoint(remote, String.valueOf(c.get("remotePort"))),
                owner.isEmpty() ? "" : "users:((\"" + owner + "\"))");
        if (!c.get("state").equals("LISTEN")) {
            out.println("\t" + tcpInfo(details((TabularData) c.get("details"))));
        }
    }

    /** ss's state names (ss.c's sstate_name). */
    static String ssState(String state) {
        return switch (state) {
            case "ESTABLISHED" -> "ESTAB";
            case "SYN_RECEIVED" -> "SYN-RECV";
            default -> state.replace('_', '-');
        };
    }

    private static String endpoint(String address, String port) {
        return (address.contains(":") ? "[" + address + "]" : address) + ":" + port;
    }

    private static Map<String, String> details(TabularData table) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Object row : table.values()) {
            CompositeData entry = (CompositeData) row;
            values.put((String) entry.get("key"), (String) entry.get("value"));
        }
        return values;
    }

    /** The second line of {@code ss -ti}, in its order and units, from a TCP socket's details. */
    static String tcpInfo(Map<String, String> d) {
        StringBuilder line = new StringBuilder();
        if (Boolean.parseBoolean(d.get("timestamps"))) {
            line.append(" ts");
        }
        if (Boolean.parseBoolean(d.get("sack"))) {
            line.append(" sack");
        }
        line.append(' ').append(d.get("congestionControl"));
        long sndScale = number(d, "sndWindowScale");
        long rcvScale = number(d, "rcvWindowScale");
        if (sndScale > 0 || rcvScale > 0) {
            line.append(" wscale:").append(sndScale).append(',').append(rcvScale);
        }
        line.append(" rto:").append(millis(number(d, "rtoNanos")));
        long srtt = number(d, "srttNanos");
        if (srtt >= 0) {
            line.append(" rtt:").append(millis(srtt)).append('/').append(millis(number(d, "rttvarNanos")));
        }
        long mss = number(d, "sndMss");
        line.append(" mss:").append(mss).append(" advmss:").append(d.get("advertisedMss"));
        if (mss > 0) {
            line.append(" cwnd:").append(number(d, "cwnd") / mss);
            long ssthresh = number(d, "ssthresh");
            if (ssthresh < Integer.MAX_VALUE) {
                line.append(" ssthresh:").append(ssthresh / mss);
            }
        }
        line.append(" bytes_acked:").append(d.get("bytesAcked")).append(" bytes_received:").append(d.get("bytesReceived"))
                .append(" segs_in:").append(d.get("segmentsReceived")).append(" data_segs_out:").append(d.get("segmentsSent"));
        long timeouts = number(d, "consecutiveTimeouts");
        long retransmitted = number(d, "retransmittedSegments");
        if (timeouts > 0 || retransmitted > 0) {
            line.append(" retrans:").append(timeouts).append('/').append(retransmitted);
        }
        return line.toString();
    }

    private static long number(Map<String, String> d, String key) {
        String v = d.get(key);
        return v == null ? 0 : Long.parseLong(v);
    }

    /** Milliseconds as ss prints them: up to three decimals, no trailing zeros. */
    private static String millis(long nanos) {
        String text = String.format(Locale.ROOT, "%.3f", nanos / 1e6);
        return text.replaceAll("\\.?0+$", "");
    }
}
