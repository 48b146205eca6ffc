package io.jnetstack.transport.tcp;

import io.jnetstack.jfr.AcceptEvent;
import io.jnetstack.jfr.CloseEvent;
import io.jnetstack.jfr.ConnectEvent;
import io.jnetstack.jfr.ResetEvent;
import io.jnetstack.jfr.RetransmissionTimeoutEvent;
import java.io.IOException;

/**
 * Turns what happens to a connection into jnetstack's JFR events, so the TCP code emits each with
 * one call. Every method costs a flag check when no recording enabled its event.
 */
final class TcpEvents {
    private TcpEvents() {
    }

    /** {@code ep}'s handshake completed: a successful Connect if it was an active open. */
    static void established(TcpEndpoint ep) {
        if (!ep.isPassiveOpen()) {
            ConnectEvent.emit(ep.localAddress(), ep.localPort(), ep.remoteAddress(), ep.remotePort(), null);
        }
    }

    static void accepted(TcpEndpoint child) {
        AcceptEvent.emit(child.localAddress(), child.localPort(), child.remoteAddress(), child.remotePort());
    }

    /**
     * {@code ep} entered CLOSED from {@code previous} with {@code error} (null: orderly, or the
     * application's close). An active open that had not completed also failed its connect.
     */
    static void closed(TcpEndpoint ep, TcpState previous, IOException error) {
        String reason = error == null ? null : error.getMessage();
        boolean handshaking = previous == TcpState.SYN_SENT || previous == TcpState.SYN_RECEIVED;
        if (handshaking && !ep.isPassiveOpen()) {
            ConnectEvent.emit(ep.localAddress(), ep.localPort(), ep.remoteAddress(), ep.remotePort(),
                    reason == null ? "closed before the handshake completed" : reason);
        }
        if (CloseEvent.enabled()) {
            TcpInfo info = ep.info();
            CloseEvent.emit(ep.localAddress(), ep.localPort(), ep.remoteAddress(), ep.remotePort(), previous.name(),
                    reason, info.bytesAcked(), info.bytesReceived(), info.retransmittedSegments());
        }
    }

    /** {@code ep}, in {@code state}, sent a RST that ends it. */
    static void resetSent(TcpEndpoint ep, TcpState state) {
        ResetEvent.emit(ep.localAddress(), ep.localPort(), ep.remoteAddress(), ep.remotePort(), ResetEvent.SENT,
                state.name());
    }

    /** A RST answered {@code seg}, which no connection takes or whose ACK was unacceptable. */
    static void resetSent(TcpSegment seg) {
        ResetEvent.emit(seg.destination, seg.destinationPort, seg.source, seg.sourcePort, ResetEvent.SENT, null);
    }

    /** {@code ep} accepted a RST (RFC 5961 §3.2) and is about to close. */
    static void resetReceived(TcpEndpoint ep) {
        ResetEvent.emit(ep.localAddress(), ep.localPort(), ep.remoteAddress(), ep.remotePort(), ResetEvent.RECEIVED,
                ep.state().name());
    }

    /** The retransmission timer expired; {@code rtoNanos} now times the retransmission. */
    static void retransmissionTimeout(TcpEndpoint ep, long rtoNanos, int consecutiveTimeouts, long bytesInFlight) {
        RetransmissionTimeoutEvent.emit(ep.localAddress(), ep.localPort(), ep.remoteAddress(), ep.remotePort(),
                ep.state().name(), rtoNanos, consecutiveTimeouts, bytesInFlight);
    }
}
