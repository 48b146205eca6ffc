package io.jnetstack.compat.contract;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.nio.charset.StandardCharsets;

/**
 * Urgent data (TCP's URG, RFC 9293 §3.8.5) through java.net: {@code sendUrgentData} sends one
 * byte after what was written; the receiver gets it in the stream with SO_OOBINLINE on, and
 * without it, as on Linux (the JDK never reads out-of-band data), not at all. On plain sockets
 * and on the channels' socket adaptors.
 */
public final class UrgentDataContracts {
    private UrgentDataContracts() {
    }

    /** Writes "ab", the urgent byte 'U', "cd", then ends the stream; returns everything {@code receiver} reads. */
    private static String sendAroundAnUrgentByte(Socket sender, Socket receiver) throws IOException {
        OutputStream out = sender.getOutputStream();
        out.write("ab".getBytes(StandardCharsets.US_ASCII));
        sender.sendUrgentData('U');
        out.write("cd".getBytes(StandardCharsets.US_ASCII));
        sender.shutdownOutput();
        return new String(receiver.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
    }

    @Contract
    public static void withOobInlineThePlainSocketReadsTheUrgentByteInItsPlace() throws Exception {
        try (PlainSocketContracts.Pair pair = PlainSocketContracts.Pair.open()) {
            pair.accepted().setOOBInline(true);
            Check.isTrue(pair.accepted().getOOBInline(), "SO_OOBINLINE on");
            Check.equal("abUcd", sendAroundAnUrgentByte(pair.client(), pair.accepted()), "the stream");
        }
    }

    @Contract
    public static void withoutOobInlineThePlainSocketNeverReadsTheUrgentByte() throws Exception {
        try (PlainSocketContracts.Pair pair = PlainSocketContracts.Pair.open()) {
            Check.equal("abcd", sendAroundAnUrgentByte(pair.client(), pair.accepted()), "the stream");
        }
    }

    @Contract
    public static void theSocketAdaptorsSendAndReceiveUrgentDataAlike() throws Exception {
        try (Loopback.TcpPair pair = Loopback.TcpPair.open()) {
            Socket receiver = pair.accepted().socket();
            receiver.setOOBInline(true);
            Check.isTrue(receiver.getOOBInline(), "SO_OOBINLINE on");
            Check.equal("abUcd", sendAroundAnUrgentByte(pair.client().socket(), receiver), "the stream");
        }
        try (Loopback.TcpPair pair = Loopback.TcpPair.open()) {
            Check.equal("abcd", sendAroundAnUrgentByte(pair.client().socket(), pair.accepted().socket()), "the stream");
        }
    }

    @Contract
    public static void soOobInlineIsAChannelOptionByName() throws Exception {
        try (Loopback.TcpPair pair = Loopback.TcpPair.open()) {
            Check.isTrue(pair.client().supportedOptions().stream().anyMatch(o -> o.name().equals("SO_OOBINLINE")),
                    "SO_OOBINLINE among " + pair.client().supportedOptions());
            pair.client().socket().setOOBInline(true);
            Check.isTrue(pair.client().socket().getOOBInline(), "set through the adaptor");
            Check.isTrue(pair.client().getOption(StandardSocketOptions.TCP_NODELAY) != null, "other options unchanged");
        }
    }

    @Contract
    public static void aClosedSocketRefusesUrgentData() throws Exception {
        try (PlainSocketContracts.Pair pair = PlainSocketContracts.Pair.open()) {
            pair.client().close();
            Check.thrown(SocketException.class, "Socket is closed", () -> pair.client().setOOBInline(true));
            Check.thrown(SocketException.class, "Socket is closed", () -> pair.client().getOOBInline());
            Check.thrown(SocketException.class, "Socket closed", () -> pair.client().sendUrgentData(1));
        }
        try (Loopback.TcpPair pair = Loopback.TcpPair.open()) {
            Socket adaptor = pair.client().socket();
            adaptor.close();
            Check.thrown(SocketException.class, "Socket is closed", () -> adaptor.setOOBInline(true));
            Check.thrown(SocketException.class, "Socket is closed", adaptor::getOOBInline);
            Check.thrown(java.nio.channels.ClosedChannelException.class, () -> adaptor.sendUrgentData(1));
        }
    }
}
