#!/usr/bin/env python3
"""Hostile scrape targets beside a healthy one, each on its own loopback port (bench/hostile-targets.sh).

    hostile-targets.py PORTFILE

Writes "name port" lines to PORTFILE once every listener is up, then serves until killed:
  healthy        200 counters and gauges in the text format, a well-behaved exporter
  random         2 MB of random bytes as text/plain, new bytes every scrape
  huge           a 200 MB body (Content-Length announced), written as fast as the scraper reads
  endless        a chunked body that never ends
  silent         accepts the connection, reads the request, never answers
  labelbomb      1,000 series with 300 labels each (about 12 MB)
  unknowntype    a valid body under Content-Type application/x-hostile
"""
import os
import random
import socket
import sys
import threading

BLOCK = 1 << 20


def text_head(ctype="text/plain; version=0.0.4", extra=""):
    return f"HTTP/1.1 200 OK\r\nContent-Type: {ctype}\r\n{extra}Connection: close\r\n\r\n".encode()


def read_request(conn):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(4096)
        if not chunk:
            return False
        data += chunk
        if len(data) > 65536:
            return False
    return True


healthy_count = [0]


def healthy(conn):
    healthy_count[0] += 1
    lines = [f'healthy_requests_total{{code="{c}",handler="/h{i}"}} {healthy_count[0] * (i + 1)}'
             for i in range(100) for c in (200, 500)]
    body = ("# TYPE healthy_requests_total counter\n" + "\n".join(lines) + "\n").encode()
    conn.sendall(text_head(extra=f"Content-Length: {len(body)}\r\n") + body)


def random_bytes(conn):
    body = os.urandom(2 * BLOCK)
    conn.sendall(text_head(extra=f"Content-Length: {len(body)}\r\n") + body)


LINE_BLOCK = (b'hostile_huge_metric{instance_like="aaaaaaaaaaaaaaaa",i="0"} 1\n' * (BLOCK // 64 + 1))[:BLOCK]


def huge(conn):
    size = 200 * BLOCK
    conn.sendall(text_head(extra=f"Content-Length: {size}\r\n"))
    for _ in range(200):
        conn.sendall(LINE_BLOCK)


def endless(conn):
    conn.sendall(text_head(extra="Transfer-Encoding: chunked\r\n"))
    chunk = b"%x\r\n" % len(LINE_BLOCK) + LINE_BLOCK + b"\r\n"
    while True:
        conn.sendall(chunk)


def silent(conn):
    threading.Event().wait(3600)


def label_bomb_body():
    out = []
    for s in range(1000):
        labels = ",".join(f'l{i}="v{i}_{s}"' for i in range(300))
        out.append(f"hostile_label_bomb{{{labels}}} 1\n")
    return "".join(out).encode()


BOMB = label_bomb_body()


def labelbomb(conn):
    conn.sendall(text_head(extra=f"Content-Length: {len(BOMB)}\r\n") + BOMB)


def unknowntype(conn):
    body = b"hostile_unknown_type 1\n"
    conn.sendall(text_head("application/x-hostile", f"Content-Length: {len(body)}\r\n") + body)


HANDLERS = dict(healthy=healthy, random=random_bytes, huge=huge, endless=endless, silent=silent,
                labelbomb=labelbomb, unknowntype=unknowntype)


def serve(sock, handler):
    while True:
        conn, _ = sock.accept()

        def run(c=conn):
            try:
                if read_request(c):
                    handler(c)
            except OSError:
                pass  # the scraper hung up: what a hostile target expects
            finally:
                c.close()
        threading.Thread(target=run, daemon=True).start()


def main():
    lines = []
    for name, handler in HANDLERS.items():
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", 0))
        s.listen(64)
        lines.append(f"{name} {s.getsockname()[1]}")
        threading.Thread(target=serve, args=(s, handler), daemon=True).start()
    with open(sys.argv[1] + ".tmp", "w") as f:
        f.write("\n".join(lines) + "\n")
    os.rename(sys.argv[1] + ".tmp", sys.argv[1])
    threading.Event().wait()


if __name__ == "__main__":
    random.seed(17)
    main()
