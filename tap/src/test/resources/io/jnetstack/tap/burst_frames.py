"""Writes a burst of numbered Ethernet frames into a TAP device from the kernel's side, as fast as
a raw socket takes them (standard library only), then prints "sent N".

Each frame goes to STACK_MAC with the IEEE 802 local experimental EtherType 0x88B5; its payload is
the frame's index (4 bytes, big-endian) followed by bytes (index + position) % 256, up to the size
in SIZES (comma-separated, used in turn) counted from the Ethernet header on.

Usage: burst_frames.py DEVICE STACK_MAC FIRST_INDEX COUNT SIZES
"""
import socket
import struct
import sys

ETHERTYPE_LOCAL_EXPERIMENTAL = 0x88B5
ETHERNET_HEADER_LENGTH = 14


def frame(prefix, index, size):
    payload_length = size - ETHERNET_HEADER_LENGTH
    filler = bytes((index + position) % 256 for position in range(4, payload_length))
    return prefix + struct.pack("!I", index) + filler


def main():
    device, stack_mac, first, count, sizes = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), \
        [int(s) for s in sys.argv[5].split(",")]
    raw = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    raw.bind((device, 0))
    prefix = bytes.fromhex(stack_mac.replace(":", "")) + raw.getsockname()[4] \
        + struct.pack("!H", ETHERTYPE_LOCAL_EXPERIMENTAL)
    frames = [frame(prefix, first + i, sizes[i % len(sizes)]) for i in range(count)]
    for f in frames:
        raw.send(f)
    raw.close()
    print("sent %d" % count)


main()
