"""Asks STUN servers what address a NAT maps one local UDP port to (RFC 8489 Binding).

The NAT lab uses it to check its routers: from one socket, a Binding request goes to each
destination given; the answer's XOR-MAPPED-ADDRESS is where that destination saw the request come
from. An endpoint-independent NAT shows every destination the same mapping; a symmetric one gives
each destination its own. Prints one JSON line: {"local": port, "mapped": ["ip:port" or null]}.

    stun_probe.py --port 40123 198.18.1.2:3478 198.18.1.3:3478
"""

import argparse
import json
import os
import socket
import struct

MAGIC_COOKIE = 0x2112A442
BINDING_REQUEST = 0x0001
BINDING_SUCCESS = 0x0101
XOR_MAPPED_ADDRESS = 0x0020


def binding_request():
    transaction = os.urandom(12)
    return transaction, struct.pack("!HHI", BINDING_REQUEST, 0, MAGIC_COOKIE) + transaction


def mapped_address(response, transaction):
    """The XOR-MAPPED-ADDRESS (IPv4) of a Binding success response to `transaction`, or None."""
    if len(response) < 20:
        return None
    kind, length, cookie = struct.unpack("!HHI", response[:8])
    if kind != BINDING_SUCCESS or cookie != MAGIC_COOKIE or response[8:20] != transaction:
        return None
    offset, end = 20, min(len(response), 20 + length)
    while offset + 4 <= end:
        attribute, size = struct.unpack("!HH", response[offset:offset + 4])
        value = response[offset + 4:offset + 4 + size]
        if attribute == XOR_MAPPED_ADDRESS and len(value) >= 8 and value[1] == 0x01:
            port = struct.unpack("!H", value[2:4])[0] ^ (MAGIC_COOKIE >> 16)
            address = struct.unpack("!I", value[4:8])[0] ^ MAGIC_COOKIE
            return f"{socket.inet_ntoa(struct.pack('!I', address))}:{port}"
        offset += 4 + size + (-size % 4)
    return None


def probe(sock, destination, attempts=3, timeout=0.5):
    host, port = destination.rsplit(":", 1)
    for _ in range(attempts):
        transaction, request = binding_request()
        try:
            sock.sendto(request, (host, int(port)))
        except PermissionError:
            return None  # a firewall rule of this host refused it on the way out
        sock.settimeout(timeout)
        try:
            while True:
                response, _ = sock.recvfrom(2048)
                mapped = mapped_address(response, transaction)
                if mapped:
                    return mapped
        except socket.timeout:
            continue
    return None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0, help="local UDP port (0: any)")
    parser.add_argument("destinations", nargs="+", help="host:port of STUN servers")
    args = parser.parse_args()
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("0.0.0.0", args.port))
        mapped = [probe(sock, d) for d in args.destinations]
        print(json.dumps({"local": sock.getsockname()[1], "mapped": mapped}), flush=True)


if __name__ == "__main__":
    main()
