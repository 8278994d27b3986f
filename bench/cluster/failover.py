#!/usr/bin/python3
"""Take-over, node-kill and drain figures through scripts/cluster's nginx.

Speaks https/wss only (trusting the cluster's CA file), like a phone behind
the load balancer, and prints one line of figures per run (docs/OPERATIONS.md
"One-machine cluster" has the commands and numbers):

  takeover  one session, --count connections in a row: each new one lands on
            another node (least_conn) and takes the session over; measured
            from the new connection's start until the old one has its 4009,
            and until the new one has session_ready.
  kill      --phones phones streaming; SIGKILL of one node (pid from
            var/cluster/run/node-N.pid); its phones reconnect at once (every
            100 ms) and count as back on their first processed_frame.
  drain     as kill, but every phone sends a capture, then the node gets
            SIGTERM: its phones must see 1012, every capture a frame_saved
            (on the old connection or, never lost, counted per session).

Loopback only; bounded in phones (<= 200), count (<= 1000) and time.
"""
import argparse
import asyncio
import json
import os
import signal
import ssl
import statistics
import sys
import time
import urllib.request
from urllib.parse import urlparse

import websockets  # Debian: python3-websockets


def pct(values, p):
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


class Cluster:
    def __init__(self, args):
        self.base = args.url.rstrip("/")
        host = urlparse(self.base).hostname
        if host not in ("127.0.0.1", "::1", "localhost"):
            sys.exit("failover.py: loopback URLs only")
        self.token = args.token
        self.post = args.post
        self.ctx = ssl.create_default_context(cafile=args.ca_file)
        self.ws_base = "wss://" + self.base[len("https://"):]

    def rest(self, method, path, body=None):
        req = urllib.request.Request(
            self.base + path, method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"Token {self.token}",
                     "Content-Type": "application/json"})
        with urllib.request.urlopen(req, context=self.ctx, timeout=10) as r:
            return r.read()

    def new_session(self):
        out = json.loads(self.rest("POST", "/api/try-on/session/create/",
                                   {"nail_post_id": self.post}))
        return out["session_id"]

    def design(self):
        return self.rest("GET", "/media/posts/demo-design.jpg")

    async def connect(self, session):
        ws = await websockets.connect(
            f"{self.ws_base}/ws/try-on/{session}/?token={self.token}",
            ssl=self.ctx, max_size=None, compression=None, open_timeout=10)
        await ws.send(json.dumps({"type": "init_session"}))
        while True:
            m = await asyncio.wait_for(ws.recv(), 20)
            if isinstance(m, str) and json.loads(m)["type"] == "session_ready":
                return ws


def frame(seq, image):
    head = json.dumps({"sequence": seq, "timestamp": int(time.time() * 1000),
                       "format": "jpeg"}).encode()
    return head.ljust(1024, b"\0") + image


async def takeover(c, args):
    session = c.new_session()
    old = await c.connect(session)
    to_4009, to_ready, codes = [], [], {}
    for _ in range(args.count):
        t0 = time.monotonic()
        new_task = asyncio.ensure_future(c.connect(session))
        try:
            while True:
                await asyncio.wait_for(old.recv(), 10)
        except websockets.ConnectionClosed:
            pass
        t_closed = time.monotonic()
        new = await new_task
        t_ready = time.monotonic()
        codes[old.close_code] = codes.get(old.close_code, 0) + 1
        if old.close_code == 4009:
            to_4009.append((t_closed - t0) * 1000)
        to_ready.append((t_ready - t0) * 1000)
        old = new
    await old.close()
    print(f"takeover: {args.count} take-overs, close codes {codes}; "
          f"new connection -> old one's 4009: p50 {pct(to_4009, 50):.1f} ms, "
          f"p99 {pct(to_4009, 99):.1f} ms; -> session_ready: "
          f"p50 {pct(to_ready, 50):.1f} ms, p99 {pct(to_ready, 99):.1f} ms")


class Phone:
    def __init__(self, c, session, image, fps):
        self.c, self.session, self.image, self.fps = c, session, image, fps
        self.seq = 0
        self.lost_at = None   # when its connection dropped
        self.ready_at = None  # session_ready again after that
        self.back_at = None   # first processed_frame after that
        self.close_codes = []
        self.captures_sent = 0
        self.saved = 0
        self.ws = None
        self.stop = False
        self.want_capture = False

    async def run(self, streaming):
        while not self.stop:
            try:
                self.ws = await self.c.connect(self.session)
            except (OSError, asyncio.TimeoutError, websockets.WebSocketException):
                await asyncio.sleep(0.1)
                continue
            if self.lost_at is not None and self.ready_at is None:
                self.ready_at = time.monotonic()
            sender = asyncio.ensure_future(self.send_loop())
            try:
                async for m in self.ws:
                    if isinstance(m, str):
                        t = json.loads(m)["type"]
                        if t == "processed_frame":
                            streaming.set()
                            if self.lost_at is not None and self.back_at is None:
                                self.back_at = time.monotonic()
                        elif t == "frame_saved":
                            self.saved += 1
            except websockets.ConnectionClosed:
                pass
            sender.cancel()
            self.close_codes.append(self.ws.close_code)
            if self.stop:
                return
            if self.lost_at is None:
                self.lost_at = time.monotonic()

    async def send_loop(self):
        ws = self.ws
        while True:
            if self.want_capture:
                self.want_capture = False
                self.captures_sent += 1
                await ws.send(json.dumps({"type": "capture"}))
            self.seq += 1
            await ws.send(frame(self.seq, self.image))
            await asyncio.sleep(1 / self.fps)


def node_pid(args):
    pidfile = os.path.join(args.var, "cluster", "run", f"node-{args.node}.pid")
    with open(pidfile) as f:
        pid = int(f.read().strip())
    with open(f"/proc/{pid}/cmdline", "rb") as f:
        if not f.read().split(b"\0")[0].endswith(b"/tryon-server"):
            sys.exit(f"failover.py: pid {pid} of {pidfile} is not tryon-server")
    return pid


async def fault(c, args, sig):
    image = c.design()
    pid = node_pid(args)
    phones = [Phone(c, c.new_session(), image, args.fps) for _ in range(args.phones)]
    ready = [asyncio.Event() for _ in phones]
    tasks = [asyncio.ensure_future(p.run(e)) for p, e in zip(phones, ready)]
    await asyncio.wait_for(asyncio.gather(*(e.wait() for e in ready)), 60)
    await asyncio.sleep(args.settle)
    if sig == signal.SIGTERM:
        for p in phones:
            p.want_capture = True
        await asyncio.sleep(2 / args.fps)  # each send loop has sent it
    t_sig = time.monotonic()
    os.kill(pid, sig)
    deadline = t_sig + args.timeout
    while time.monotonic() < deadline:
        hit = [p for p in phones if p.lost_at is not None]
        if hit and all(p.back_at is not None for p in hit) and \
                time.monotonic() - t_sig > 3:
            break
        await asyncio.sleep(0.05)
    await asyncio.sleep(1)  # late frame_saved answers
    for p in phones:
        p.stop = True
        if p.ws is not None:
            await p.ws.close()
    for t in tasks:
        t.cancel()
    hit = [p for p in phones if p.lost_at is not None]
    back = [(p.back_at - p.lost_at) * 1000 for p in hit if p.back_at is not None]
    ready = [(p.ready_at - p.lost_at) * 1000 for p in hit if p.ready_at is not None]
    all_back = max((p.back_at for p in hit if p.back_at), default=t_sig) - t_sig
    codes = {}
    for p in hit:
        code = p.close_codes[0] if p.close_codes else None
        codes[code] = codes.get(code, 0) + 1
    line = (f"{'kill -9' if sig == signal.SIGKILL else 'SIGTERM drain'} of node-{args.node}: "
            f"{len(hit)}/{len(phones)} phones on it, close codes {codes}, "
            f"{len(back)}/{len(hit)} streaming again; lost -> session_ready again "
            f"p50 {pct(ready, 50):.0f} ms, max {max(ready, default=float('nan')):.0f} ms; "
            f"-> first processed_frame "
            f"p50 {pct(back, 50):.0f} ms, max {max(back, default=float('nan')):.0f} ms; "
            f"signal -> all back {all_back * 1000:.0f} ms")
    if sig == signal.SIGTERM:
        sent = sum(p.captures_sent for p in phones)
        saved = sum(p.saved for p in phones)
        line += f"; captures {saved}/{sent} answered frame_saved"
    print(line)
    ok = len(back) == len(hit) and len(hit) > 0
    if sig == signal.SIGTERM:
        ok = ok and sum(p.saved for p in phones) == sum(p.captures_sent for p in phones)
    return 0 if ok else 1


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("mode", choices=["takeover", "kill", "drain"])
    p.add_argument("--url", default="https://127.0.0.1:8443")
    p.add_argument("--ca-file", default="var/cluster/ca.crt")
    p.add_argument("--token", required=True)
    p.add_argument("--post", type=int, required=True)
    p.add_argument("--count", type=int, default=200)
    p.add_argument("--phones", type=int, default=30)
    p.add_argument("--fps", type=float, default=5)
    p.add_argument("--node", type=int, default=1, help="node-N to kill/drain")
    p.add_argument("--var", default="var", help="the cluster's TRYON_VAR")
    p.add_argument("--settle", type=float, default=2)
    p.add_argument("--timeout", type=float, default=30)
    args = p.parse_args()
    if not 1 <= args.count <= 1000 or not 1 <= args.phones <= 200 or \
            not 0 < args.fps <= 30 or args.timeout > 120:
        sys.exit("failover.py: --count 1..1000, --phones 1..200, --fps 0..30, --timeout <= 120")
    c = Cluster(args)
    if args.mode == "takeover":
        asyncio.run(takeover(c, args))
        return 0
    return asyncio.run(fault(c, args, signal.SIGKILL if args.mode == "kill" else signal.SIGTERM))


if __name__ == "__main__":
    sys.exit(main())
