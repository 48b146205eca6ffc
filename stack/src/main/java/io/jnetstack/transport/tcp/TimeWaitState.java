package io.jnetstack.transport.tcp;

/**
 * The sequence state a connection in TIME-WAIT still needs once the application has closed it
 * and its sender, receiver, timers and buffer tables are gone, as Linux keeps a small
 * inet_timewait_sock in place of the socket. With the 4-tuple (the endpoint's), TS.Recent (its
 * {@link NegotiatedOptions}) and the 2·MSL timer, this is all RFC 9293 §3.10.7.4 TIME-WAIT
 * processing, RFC 6191's reuse of the tuple by a new SYN and RFC 7323's PAWS look at.
 *
 * <p>Nothing changes once made: both FINs are acknowledged, so neither side's sequence moves.
 */
final class TimeWaitState {
    /** RCV.NXT: just past the peer's FIN. */
    final int rcvNxt;
    /** SND.NXT, equal to SND.UNA and SND.MAX: just past our acknowledged FIN. */
    final int sndNxt;
    /** RCV.WND as last advertised, for the acceptability test (RFC 9293 §3.10.7.4, first check). */
    final int receiveWindow;
    /** The window field our ACKs carry from now on (scaled as negotiated). */
    final int windowField;
    /** The largest send window the peer offered: older acknowledgments are challenged (RFC 5961 §5.2). */
    final int maxSendWindow;

    // The connection's totals, which its close event and TcpEndpoint.info() still report.
    final int iss;
    final int irs;
    final long bytesAcked;
    final long bytesReceived;
    final long segmentsSent;
    final long retransmittedSegments;

    /** Takes what TIME-WAIT keeps from the connection's sender and receiver, whose last ACK offered {@code windowField}. */
    TimeWaitState(TcpSender sender, TcpReceiver receiver, int windowField) {
        this.rcvNxt = receiver.rcvNxt;
        this.sndNxt = sender.sndMax;
        this.receiveWindow = Math.max(0, receiver.window());
        this.windowField = windowField;
        this.maxSendWindow = sender.maxSendWindow();
        this.iss = sender.iss();
        this.irs = receiver.irs;
        this.bytesAcked = sender.bytesAcked;
        this.bytesReceived = receiver.bytesReceived();
        this.segmentsSent = sender.segmentsSent;
        this.retransmittedSegments = sender.retransmittedSegments;
    }
}
