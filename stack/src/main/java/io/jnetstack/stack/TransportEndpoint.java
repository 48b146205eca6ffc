package io.jnetstack.stack;

/**
 * What a transport protocol registers with the {@link TransportDemuxer}: the demuxer only finds
 * it. The protocol that registered it delivers packets and ICMP errors to it through its own type
 * (see {@link TransportProtocol}), since each needs its own form of them: UDP takes a datagram
 * as it is, while TCP validates and parses a segment before looking its connection up, and
 * checks an ICMP error against the sequence number it quotes (RFC 5927 §4.1).
 */
public interface TransportEndpoint {
}
