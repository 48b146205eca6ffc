package io.jnetstack.compat.programs;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.channels.spi.SelectorProvider;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;

/**
 * A blocking java.net.Socket client speaking HTTP/1.1 by hand to the JDK's HttpServer in the same
 * JVM over 127.0.0.1: serves BYTES pseudo-random bytes, fetches them with GET, prints the status,
 * the body's length and SHA-256, and whether its socket was one jnetstack lists (its JMX
 * Connections MBean) or not. Argument: BYTES.
 */
public final class PlainSocketHttpGet {
    private PlainSocketHttpGet() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("provider " + SelectorProvider.provider().getClass().getName());
        HttpFileServer.serveWhile(Long.parseLong(args[0]), PlainSocketHttpGet::get);
    }

    private static void get(int port) throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            System.out.println("socket on " + (listedByJnetstack(socket.getLocalPort()) ? "jnetstack" : "the kernel"));
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /file HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            String status = line(in);
            long contentLength = -1;
            for (String header = line(in); !header.isEmpty(); header = line(in)) {
                if (header.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    contentLength = Long.parseLong(header.substring("content-length:".length()).trim());
                }
            }
            MessageDigest digest = Digests.sha256();
            byte[] buffer = new byte[64 * 1024];
            long body = 0;
            for (int n; body < contentLength && (n = in.read(buffer, 0, (int) Math.min(buffer.length, contentLength - body))) > 0; ) {
                digest.update(buffer, 0, n);
                body += n;
            }
            System.out.println("status " + status.split(" ")[1] + " bytes " + body + " sha256 " + Digests.hex(digest));
        }
    }

    /** One CRLF-terminated header line, without its end. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("the connection ended inside the headers");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    private static boolean listedByJnetstack(int localPort) throws Exception {
        var mbeans = ManagementFactory.getPlatformMBeanServer();
        for (ObjectName name : mbeans.queryNames(new ObjectName("io.jnetstack:type=Connections,*"), null)) {
            for (CompositeData row : (CompositeData[]) mbeans.getAttribute(name, "Connections")) {
                if (row.get("localPort").equals(localPort)) {
                    return true;
                }
            }
        }
        return false;
    }
}
