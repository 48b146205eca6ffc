package io.jnetstack.transport.tcp;

import io.jnetstack.address.IpAddress;
import io.jnetstack.stack.ConnectionSnapshot;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One TCP socket as its processor saw it at one moment, with the send and receive queues read
 * under the endpoint's lock in the same moment: what {@code ss -tin} shows of a kernel socket.
 * A listener has only its state, addresses and queues; its connection values are zero.
 *
 * @param tcpState          RFC 9293 state
 * @param receiveQueueBytes received, unread bytes (listener: connections awaiting accept)
 * @param sendQueueBytes    written, unacknowledged bytes (listener: backlog)
 * @param srttNanos         smoothed RTT (RFC 6298), -1 before the first sample
 * @param rttvarNanos       RTT variation (RFC 6298)
 * @param rtoNanos          retransmission timeout, backoff included
 * @param cwnd              congestion window in bytes
 * @param ssthresh          slow-start threshold in bytes; {@link Integer#MAX_VALUE} until the first loss
 * @param sndMss            the MSS this side sends with
 * @param advertisedMss     the MSS this side announced
 * @param sndWindowScale    the peer's window scale (RFC 7323 §2.2); 0 when not negotiated
 * @param rcvWindowScale    this side's window scale; 0 when not negotiated
 * @param sack              SACK permitted both ways (RFC 2018)
 * @param timestamps        timestamps in use (RFC 7323 §3)
 * @param congestionControl the congestion control algorithm's name
 * @param retransmittedSegments segments retransmitted over the connection's life
 * @param consecutiveTimeouts   retransmission timeouts since the last forward progress
 * @param segmentsSent      segments sent with data or FIN (pure ACKs are not counted)
 * @param segmentsReceived  segments received
 * @param bytesAcked        data bytes the peer acknowledged
 * @param bytesReceived     data bytes received in order
 */
public record TcpConnectionSnapshot(TcpState tcpState, IpAddress localAddress, int localPort, IpAddress remoteAddress,
                                    int remotePort, long receiveQueueBytes, long sendQueueBytes, String owner,
                                    long srttNanos, long rttvarNanos, long rtoNanos, int cwnd, int ssthresh,
                                    int sndMss, int advertisedMss, int sndWindowScale, int rcvWindowScale,
                                    boolean sack, boolean timestamps, String congestionControl,
                                    long retransmittedSegments, int consecutiveTimeouts, long segmentsSent,
                                    long segmentsReceived, long bytesAcked, long bytesReceived)
        implements ConnectionSnapshot {

    @Override
    public String protocol() {
        return "tcp";
    }

    @Override
    public String state() {
        return tcpState.name();
    }

    @Override
    public Map<String, Object> details() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("timestamps", timestamps);
        d.put("sack", sack);
        d.put("congestionControl", congestionControl);
        d.put("sndWindowScale", sndWindowScale);
        d.put("rcvWindowScale", rcvWindowScale);
        d.put("rtoNanos", rtoNanos);
        d.put("srttNanos", srttNanos);
        d.put("rttvarNanos", rttvarNanos);
        d.put("sndMss", sndMss);
        d.put("advertisedMss", advertisedMss);
        d.put("cwnd", cwnd);
        d.put("ssthresh", ssthresh);
        d.put("bytesAcked", bytesAcked);
        d.put("bytesReceived", bytesReceived);
        d.put("segmentsSent", segmentsSent);
        d.put("segmentsReceived", segmentsReceived);
        d.put("retransmittedSegments", retransmittedSegments);
        d.put("consecutiveTimeouts", consecutiveTimeouts);
        return Collections.unmodifiableMap(d);
    }
}
