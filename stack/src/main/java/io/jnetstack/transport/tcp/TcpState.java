package io.jnetstack.transport.tcp;

/** The connection states of RFC 9293 §3.3.2. */
public enum TcpState {
    CLOSED, LISTEN, SYN_SENT, SYN_RECEIVED, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT, CLOSING, LAST_ACK, TIME_WAIT;

    /** States after the handshake, where both sequence spaces are known (RFC 9293 §3.3.2). */
    public boolean isSynchronized() {
        return ordinal() >= ESTABLISHED.ordinal();
    }

    /** States in which the peer may still send us data. */
    boolean receivesData() {
        return this == ESTABLISHED || this == FIN_WAIT_1 || this == FIN_WAIT_2;
    }

    /** States in which we may still send data (our FIN not yet sent). */
    boolean sendsData() {
        return this == ESTABLISHED || this == CLOSE_WAIT;
    }
}
