package io.jnetstack.transport.tcp;

/**
 * A snapshot of one connection's sender and receiver variables, for tests and debug logs (like
 * Linux's {@code TCP_INFO}). Read from another thread it may mix values of consecutive moments.
 */
public record TcpInfo(TcpState state, int iss, int irs, int sndUna, int sndNxt, int sndWnd, int rcvNxt, int rcvWnd,
                      int sndMss, int sndWindowScale, int rcvWindowScale, boolean sack, boolean timestamps,
                      int cwnd, int ssthresh, long srttNanos, long rtoNanos, boolean inRecovery,
                      long retransmittedSegments, int consecutiveTimeouts, long segmentsSent,
                      long segmentsReceived, long bytesAcked, long bytesReceived) {
}
