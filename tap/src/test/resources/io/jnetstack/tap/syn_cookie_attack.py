"""Issue 10, attack 1, from the kernel's side of a TAP device (standard library only).

Writes spoofed SYNs from addresses nobody owns through a raw socket, so the listener's SYN queue
fills and it answers with SYN cookies; then runs real clients, each of which sends its request
right behind the ACK that completes its handshake. Prints one line per failed client and then
"served N/M".

Usage: syn_cookie_attack.py DEVICE STACK_MAC STACK_IP PORT SPOOFED_SYNS CLIENTS REQUEST_LENGTH
"""
import random
import socket
import struct
import sys
import threading

from raw_frames import DONT_FRAGMENT, RawLink, ipv4_packet, tcp_segment

TCP_SYN = 0x02
CLIENT_TIMEOUT_SECONDS = 10


def spoofed_syn(source, destination, source_port, port, isn):
    src, dst = socket.inet_aton(source), socket.inet_aton(destination)
    mss_option = struct.pack("!BBH", 2, 4, 1460)
    tcp = tcp_segment(src, dst, source_port, port, isn, 0, TCP_SYN, 64240, mss_option, b"")
    return ipv4_packet(src, dst, socket.IPPROTO_TCP, random.getrandbits(16), DONT_FRAGMENT, tcp)


def flood(device, stack_mac, stack_ip, port, syns):
    link = RawLink(device, stack_mac)
    subnet = stack_ip.rsplit(".", 1)[0]
    for i in range(syns):
        source = "%s.%d" % (subnet, 100 + i % 150)
        link.send(spoofed_syn(source, stack_ip, 1024 + i, port, random.getrandbits(32)))
    link.close()


def client(stack_ip, port, request, results, index):
    try:
        with socket.create_connection((stack_ip, port), timeout=CLIENT_TIMEOUT_SECONDS) as s:
            s.sendall(request)  # right behind the handshake's last ACK
            s.shutdown(socket.SHUT_WR)
            reply = b""
            while True:
                chunk = s.recv(4096)
                if not chunk:
                    break
                reply += chunk
        expected = b"got %d" % len(request)
        results[index] = True if reply == expected else "reply %r, expected %r" % (reply, expected)
    except OSError as e:
        results[index] = repr(e)


def main():
    device, stack_mac, stack_ip, port, syns, clients, request_length = sys.argv[1:8]
    port, syns, clients = int(port), int(syns), int(clients)
    flood(device, stack_mac, stack_ip, port, syns)
    results = [None] * clients
    threads = [threading.Thread(target=client, args=(stack_ip, port, bytes(int(request_length)), results, i))
               for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for i, result in enumerate(results):
        if result is not True:
            print("client %d: %s" % (i, result))
    print("served %d/%d" % (sum(1 for r in results if r is True), clients))


if __name__ == "__main__":
    main()
