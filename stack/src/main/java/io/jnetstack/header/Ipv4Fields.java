package io.jnetstack.header;

/** The parsed form of an IPv4 header (without options); addresses as 32-bit ints. */
public record Ipv4Fields(int tos, int totalLength, int identification, boolean dontFragment,
                         boolean moreFragments, int fragmentOffset, int ttl, int protocol,
                         int source, int destination) {

    /** An unfragmented datagram's header. */
    public static Ipv4Fields of(int source, int destination, int protocol, int ttl, int identification,
                                int totalLength, boolean dontFragment) {
        return new Ipv4Fields(0, totalLength, identification, dontFragment, false, 0, ttl, protocol,
                source, destination);
    }
}
