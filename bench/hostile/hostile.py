#!/usr/bin/python3
"""Hostile-client measurements against the stack scripts/run started
(docs/SECURITY.md, "Measured"). Loopback only; bounded in time.

  hostile.py flood   [--connections 22000] [--sources 127.0.0.2,127.0.0.3]
                     [--hold 20]
      Opens the connections (half a request line each, never finished)
      from the source addresses, holds them, and samples every 0.5 s:
      /healthz latency from 127.0.0.1, server CPU, server log growth.
  hostile.py pingers [--clients 8] [--hold 5]
      WebSocket clients that send 64 pings with a 1 MB timestamp plus 2000
      small pings and never read; reports the server's VmRSS growth.

Reads the port, server PID, log and demo token from var/ (scripts/run).
"""
import argparse
import json
import multiprocessing
import os
import socket
import statistics
import sys
import time
import urllib.request

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
VAR = os.path.join(REPO, "var")


def stack():
    env = {}
    with open(os.path.join(VAR, "run", "stack.env")) as f:
        for line in f:
            if "=" in line:
                k, v = line.strip().removeprefix("export ").split("=", 1)
                env[k] = v.strip("'\"")
    port = int(os.environ.get("TRYON_PORT", env.get("TRYON_PORT", "8000")))
    with open(os.path.join(VAR, "run", "tryon-server.pid")) as f:
        pid = int(f.read().strip())
    with open(os.path.join(VAR, "run", "demo-token")) as f:
        token = f.read().strip()
    return port, pid, os.path.join(VAR, "log", "tryon-server.log"), token


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def healthz_ms(port):
    t0 = time.monotonic()
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as r:
            r.read()
            ok = r.status == 200
    except Exception:
        ok = False
    return (time.monotonic() - t0) * 1000, ok


def holder(port, source, count, hold, ready, out):
    socks, failed = [], 0
    for _ in range(count):
        s = socket.socket()
        try:
            s.bind((source, 0))
            s.connect(("127.0.0.1", port))
            s.send(b"GET /heal")
            socks.append(s)
        except OSError:
            failed += 1
            s.close()
    ready.put(1)
    time.sleep(hold)
    refused = closed = still = 0
    for s in socks:
        s.setblocking(False)
        try:
            data = s.recv(64)
            if b" 503 " in data:
                refused += 1
            else:
                closed += 1
        except BlockingIOError:
            still += 1
        except OSError:
            closed += 1
        s.close()
    out.put((refused, closed, still, failed))


def flood(args):
    port, pid, log, _ = stack()
    sources = args.sources.split(",")
    per = args.connections // len(sources)
    log0, cpu0, t0 = os.path.getsize(log), cpu_seconds(pid), time.monotonic()
    ready, out = multiprocessing.Queue(), multiprocessing.Queue()
    procs = [multiprocessing.Process(target=holder,
                                     args=(port, s, per, args.hold, ready, out))
             for s in sources]
    for p in procs:
        p.start()
    samples, failures = [], 0
    last_cpu, last_t, cpu_rates = cpu0, t0, []
    probe_port = args.probe_port or port
    while any(p.is_alive() for p in procs):
        ms, ok = healthz_ms(probe_port)
        samples.append(ms)
        failures += 0 if ok else 1
        time.sleep(0.5)
        c, t = cpu_seconds(pid), time.monotonic()
        cpu_rates.append((c - last_cpu) / (t - last_t))
        last_cpu, last_t = c, t
    results = [out.get() for _ in procs]
    elapsed = time.monotonic() - t0
    print(json.dumps({
        "connections": per * len(sources),
        "sources": sources,
        "refused_503": sum(r[0] for r in results),
        "closed_or_reset": sum(r[1] for r in results),
        "still_open": sum(r[2] for r in results),
        "connect_failed": sum(r[3] for r in results),
        "healthz_port": probe_port,
        "healthz_ms_median": round(statistics.median(samples), 1),
        "healthz_ms_max": round(max(samples), 1),
        "healthz_failures": failures,
        "healthz_samples": len(samples),
        "server_cpu_cores_median": round(statistics.median(cpu_rates), 3),
        "server_cpu_cores_max": round(max(cpu_rates), 3),
        "server_cpu_cores_mean": round((cpu_seconds(pid) - cpu0) / elapsed, 3),
        "log_growth_bytes": os.path.getsize(log) - log0,
        "seconds": round(elapsed, 1),
    }, indent=1))


def ws_frame(payload, opcode=1):
    n = len(payload)
    head = bytes([0x80 | opcode])
    if n < 126:
        head += bytes([0x80 | n])
    elif n < 65536:
        head += bytes([0x80 | 126]) + n.to_bytes(2, "big")
    else:
        head += bytes([0x80 | 127]) + n.to_bytes(8, "big")
    mask = b"\x12\x34\x56\x78"
    body = bytes(b ^ mask[i % 4] for i, b in enumerate(payload)) if n < 4096 else \
        (int.from_bytes(payload, "big") ^ int.from_bytes((mask * (n // 4 + 1))[:n], "big")).to_bytes(n, "big")
    return head + mask + body


def pingers(args):
    port, pid, _, token = stack()
    req = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/try-on/session/create/",
        data=json.dumps({"nail_post_id": int(open(os.path.join(VAR, "run", "demo-post-id")).read().strip())}).encode(),
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"})
    before = rss_kib(pid)
    socks = []
    for _ in range(args.clients):
        # A session each: a second connection would replace the first.
        with urllib.request.urlopen(req, timeout=10) as r:
            body = json.loads(r.read())
        session = body.get("session_id") or body.get("id")
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.connect(("127.0.0.1", port))
        s.sendall((f"GET /ws/try-on/{session}/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                   "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                   "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                   f"Sec-WebSocket-Version: 13\r\nAuthorization: Token {token}\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            head += s.recv(1)
        s.sendall(ws_frame(b'{"type":"init_session"}'))
        socks.append(s)
    big = ws_frame(b'{"type":"ping","timestamp":"' + b"9" * (1 << 20) + b'"}')
    small = ws_frame(b'{"type":"ping","timestamp":1}')
    sent_big = 0
    for _ in range(64):
        for s in socks:
            try:
                s.settimeout(5)
                s.sendall(big)
                sent_big += 1
            except OSError:
                pass
    for _ in range(2000):
        for s in socks:
            try:
                s.sendall(small)
            except OSError:
                pass
    peak = rss_kib(pid)
    time.sleep(args.hold)
    after = rss_kib(pid)
    print(json.dumps({
        "clients": args.clients, "big_pings_sent": sent_big,
        "rss_before_kib": before, "rss_after_sends_kib": peak,
        "rss_after_hold_kib": after,
        "growth_per_client_kib": round((max(peak, after) - before) / args.clients, 1),
    }, indent=1))
    for s in socks:
        s.close()


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="mode", required=True)
    f = sub.add_parser("flood")
    f.add_argument("--connections", type=int, default=22000)
    f.add_argument("--sources", default="127.0.0.2,127.0.0.3")
    f.add_argument("--hold", type=float, default=20)
    f.add_argument("--probe-port", type=int, default=0,
                   help="port /healthz is probed on (the server's "
                        "TRYON_ADMIN_PORT); default: the public port")
    g = sub.add_parser("pingers")
    g.add_argument("--clients", type=int, default=8)
    g.add_argument("--hold", type=float, default=5)
    args = p.parse_args()
    flood(args) if args.mode == "flood" else pingers(args)


if __name__ == "__main__":
    sys.exit(main())
