package io.jnetstack.fault;

import io.jnetstack.address.IpAddress;
import io.jnetstack.address.IpSubnet;

/**
 * Which packets a {@link FaultRule} acts on. "Local" and "remote" are seen from the NIC's stack:
 * on a packet it sends, local is the source; on one it receives, the destination. A packet on a
 * loopback is both sent and received by the stack, so it matches when it matches either way.
 *
 * @param nic           the NIC's name, null for every NIC
 * @param localAddress  null for any
 * @param remoteAddress null for any
 * @param port          either end's TCP or UDP port, -1 for any
 * @param localPort     -1 for any
 * @param remotePort    -1 for any
 */
public record PacketMatch(Protocol protocol, Direction direction, String nic, IpSubnet localAddress,
                          IpSubnet remoteAddress, int port, int localPort, int remotePort) {
    /** Every packet, both ways, on every NIC. */
    public static final PacketMatch ALL = new PacketMatch(Protocol.ANY, Direction.BOTH, null, null, null, -1, -1, -1);

    /** The transport protocols a rule can select. */
    public enum Protocol {
        /** Every frame, ARP included when the rule names no address or port. */
        ANY,
        TCP,
        UDP,
        /** ICMP and ICMPv6. */
        ICMP
    }

    /** Which way a packet crosses the NIC. */
    public enum Direction {
        IN,
        OUT,
        BOTH
    }

    /** True if {@code packet}, sent ({@code outbound}) or received on NIC {@code nicName}, is selected. */
    public boolean matches(PacketView packet, boolean outbound, String nicName) {
        if (direction != Direction.BOTH && (direction == Direction.OUT) != outbound) {
            return false;
        }
        if (nic != null && !nic.equals(nicName)) {
            return false;
        }
        boolean protocolMatches = switch (protocol) {
            case ANY -> true;
            case TCP -> packet.isTcp();
            case UDP -> packet.isUdp();
            case ICMP -> packet.isIcmp();
        };
        if (!protocolMatches) {
            return false;
        }
        if (!selectsAddressOrPort()) {
            return true;
        }
        if (!packet.isIp()) {
            return false;
        }
        IpAddress local = outbound ? packet.source() : packet.destination();
        IpAddress remote = outbound ? packet.destination() : packet.source();
        int lport = outbound ? packet.sourcePort() : packet.destinationPort();
        int rport = outbound ? packet.destinationPort() : packet.sourcePort();
        return contains(localAddress, local) && contains(remoteAddress, remote)
                && (port < 0 || port == lport || port == rport)
                && (localPort < 0 || localPort == lport) && (remotePort < 0 || remotePort == rport);
    }

    private boolean selectsAddressOrPort() {
        return localAddress != null || remoteAddress != null || port >= 0 || localPort >= 0 || remotePort >= 0;
    }

    private static boolean contains(IpSubnet subnet, IpAddress a) {
        return subnet == null || subnet.contains(a);
    }
}
