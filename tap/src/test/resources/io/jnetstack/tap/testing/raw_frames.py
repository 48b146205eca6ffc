"""Building blocks for the attack scripts that write raw frames into a TAP device (standard
library only); KernelPython copies this module beside every script it runs."""
import socket
import struct

ETHERTYPE_IPV4 = 0x0800
DONT_FRAGMENT = 0x4000
MORE_FRAGMENTS = 0x2000


def internet_checksum(data):
    """RFC 1071's one's-complement sum."""
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def ipv4_packet(source, destination, protocol, identification, flags_and_offset, payload):
    """An IPv4 packet with a 20-byte header; addresses as 4 bytes each."""
    header = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), identification, flags_and_offset, 64,
                         protocol, 0, source, destination)
    header = header[:10] + struct.pack("!H", internet_checksum(header)) + header[12:]
    return header + payload


def tcp_segment(source, destination, source_port, port, seq, ack, flags, window, options, payload):
    """A TCP segment, checksummed over the pseudo-header; options already padded to a multiple of 4."""
    header = struct.pack("!HHIIBBHHH", source_port, port, seq, ack, (5 + len(options) // 4) << 4, flags, window,
                         0, 0) + options
    pseudo_header = source + destination + struct.pack("!BBH", 0, socket.IPPROTO_TCP, len(header) + len(payload))
    checksum = internet_checksum(pseudo_header + header + payload)
    return header[:16] + struct.pack("!H", checksum) + header[18:] + payload


class RawLink:
    """Writes whole Ethernet frames from DEVICE's own MAC address to the stack's."""

    def __init__(self, device, stack_mac):
        self.socket = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
        self.socket.bind((device, 0))
        self.prefix = bytes.fromhex(stack_mac.replace(":", "")) + self.socket.getsockname()[4] \
            + struct.pack("!H", ETHERTYPE_IPV4)

    def send(self, ip_packet):
        self.socket.send(self.prefix + ip_packet)

    def close(self):
        self.socket.close()
