package io.jnetstack.bench.micro;

import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.header.Checksum;
import io.jnetstack.header.Ipv4Fields;
import io.jnetstack.header.Ipv4Header;
import io.jnetstack.header.TcpHeader;
import io.jnetstack.header.TcpOptions;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Reading the IPv4 and TCP headers of one received data segment, as the inbound path does before
 * demultiplexing: each obtained through its header's factory from the received packet (which
 * checks the lengths), the IPv4 fields and header checksum, then the TCP fields and its options (a
 * timestamp, as on every segment of a connection that negotiated them).
 */
@State(Scope.Thread)
public class HeaderParseBenchmark extends ShortRunDefaults {
    private static final int SOURCE = 0xc6120001; // 198.18.0.1
    private static final int DESTINATION = 0xc6120002; // 198.18.0.2
    private static final int PAYLOAD = 1448;

    private byte[] packet;
    /** The datagram, and its TCP segment, as received packets: the factories read them without moving them. */
    private PacketBuffer datagram;
    private PacketBuffer segment;

    @Setup
    public void buildSegment() {
        TcpOptions timestamps = new TcpOptions(-1, -1, false, true, 123456, 654321, new int[0]);
        int tcpLength = TcpHeader.MIN_LENGTH + timestamps.encodedLength();
        int total = Ipv4Header.MIN_LENGTH + tcpLength + PAYLOAD;
        packet = new byte[total];
        Ipv4Header ip = new Ipv4Header(packet, 0);
        ip.encode(Ipv4Fields.of(SOURCE, DESTINATION, Ipv4Header.PROTOCOL_TCP, 64, 1, total, true));
        ip.updateChecksum();
        TcpHeader tcp = new TcpHeader(packet, Ipv4Header.MIN_LENGTH);
        tcp.encode(40000, 5201, 1_000_000, 2_000_000, TcpHeader.ACK | TcpHeader.PSH, 65535, tcpLength);
        timestamps.encode(packet, Ipv4Header.MIN_LENGTH + TcpHeader.MIN_LENGTH);
        datagram = PacketBuffer.wrap(packet, 0, total);
        segment = PacketBuffer.wrap(packet, Ipv4Header.MIN_LENGTH, tcpLength + PAYLOAD);
    }

    @Benchmark
    public void ipv4(Blackhole bh) {
        Ipv4Header ip = Ipv4Header.of(datagram);
        bh.consume(ip.version());
        bh.consume(ip.headerLength());
        bh.consume(ip.totalLength());
        bh.consume(ip.isFragment());
        bh.consume(ip.protocol());
        bh.consume(ip.source());
        bh.consume(ip.destination());
        bh.consume(ip.isChecksumValid());
    }

    @Benchmark
    public void tcp(Blackhole bh) {
        TcpHeader tcp = TcpHeader.of(segment);
        bh.consume(tcp.sourcePort());
        bh.consume(tcp.destinationPort());
        bh.consume(tcp.sequenceNumber());
        bh.consume(tcp.ackNumber());
        bh.consume(tcp.flags());
        bh.consume(tcp.window());
        bh.consume(tcp.options());
    }

    /** Both headers plus the TCP checksum over pseudo-header, header and payload: a full receive check. */
    @Benchmark
    public int ipv4AndTcpWithChecksum() {
        Ipv4Header ip = Ipv4Header.of(datagram);
        if (ip == null || !ip.isChecksumValid()) {
            return -1;
        }
        int ipHeader = ip.headerLength();
        int tcpLength = ip.totalLength() - ipHeader;
        int sum = Checksum.ipv4PseudoHeader(ip.source(), ip.destination(), ip.protocol(), tcpLength);
        sum = Checksum.add(sum, packet, ipHeader, tcpLength);
        TcpHeader tcp = TcpHeader.of(segment);
        return Checksum.fold16(sum) ^ tcp.sequenceNumber() ^ tcp.flags() ^ tcp.options().tsVal();
    }
}
