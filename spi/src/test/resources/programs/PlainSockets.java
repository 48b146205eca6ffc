import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;

/**
 * Blocking java.net code as older programs write it: a ServerSocket, a Socket talking to it, two
 * DatagramSockets. It knows nothing of jnetstack; it reports where its sockets ran by reading the
 * JMX MBeans jnetstack's default stack publishes (none: the kernel). With the argument
 * "nio-first" it opens and closes a Selector before anything else, which starts the provider.
 */
public class PlainSockets {
    private static final MBeanServer MBEANS = ManagementFactory.getPlatformMBeanServer();

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("nio-first")) {
            Selector.open().close();
        }
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket server = new ServerSocket(0, 50, loopback);
             Socket client = new Socket(loopback, server.getLocalPort());
             Socket accepted = server.accept()) {
            OutputStream out = client.getOutputStream();
            out.write("ping\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(accepted.getInputStream(), StandardCharsets.UTF_8));
            System.out.println("tcp got " + in.readLine());
            System.out.println("client owner " + ownerOf(client.getLocalPort(), "ESTABLISHED"));
            System.out.println("listener owner " + ownerOf(server.getLocalPort(), "LISTEN"));
        }
        try (DatagramSocket sender = new DatagramSocket(0, loopback);
             DatagramSocket receiver = new DatagramSocket(0, loopback)) {
            byte[] hello = "hello".getBytes(StandardCharsets.UTF_8);
            sender.send(new DatagramPacket(hello, hello.length, loopback, receiver.getLocalPort()));
            DatagramPacket p = new DatagramPacket(new byte[16], 16);
            receiver.setSoTimeout(10_000);
            receiver.receive(p);
            System.out.println("udp got " + new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8)
                    + " from port " + p.getPort() + " (sender's " + sender.getLocalPort() + ")");
            System.out.println("udp datagrams jnetstack received " + jnetstackUdpReceived());
        }
    }

    /** The owner column of the jnetstack socket on {@code localPort} in {@code state}, or "none" if jnetstack has no such socket. */
    private static String ownerOf(int localPort, String state) throws Exception {
        for (ObjectName name : MBEANS.queryNames(new ObjectName("io.jnetstack:type=Connections,*"), null)) {
            for (CompositeData row : (CompositeData[]) MBEANS.getAttribute(name, "Connections")) {
                if (row.get("localPort").equals(localPort) && row.get("state").equals(state)) {
                    return (String) row.get("owner");
                }
            }
        }
        return "none";
    }

    private static String jnetstackUdpReceived() throws Exception {
        Set<ObjectName> names = MBEANS.queryNames(new ObjectName("io.jnetstack:type=Stats,layer=network,*"), null);
        long total = 0;
        for (ObjectName name : names) {
            total += (Long) MBEANS.getAttribute(name, "udp_received");
        }
        return names.isEmpty() ? "none" : Long.toString(total);
    }
}
