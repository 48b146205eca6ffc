package io.jnetstack.link;

/** What a link's frames look like; also the pcap link type a capture of it uses. */
public enum LinkType {
    /** Ethernet II frames: the NIC adds and strips a 14-byte header and resolves addresses with ARP. */
    ETHERNET(1, 14),
    /** Bare IP packets (loopback): no link header, no address resolution; the version nibble tells IPv4 from IPv6. */
    RAW_IP(101, 0);

    private final int pcapLinkType;
    private final int headerLength;

    LinkType(int pcapLinkType, int headerLength) {
        this.pcapLinkType = pcapLinkType;
        this.headerLength = headerLength;
    }

    /** The LINKTYPE_ value (tcpdump.org link-layer header types) for pcap files. */
    public int pcapLinkType() {
        return pcapLinkType;
    }

    /** Bytes of link header in front of each network packet. */
    public int headerLength() {
        return headerLength;
    }
}
