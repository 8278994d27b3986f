#!/usr/bin/python3
"""Issue 13's three quota checks against a running ./scripts/run stack
(docs/SECURITY.md, "Measured"): an unauthenticated 5 MB upload, 200
session creations in a row by one user, 100 captures of one frame while
another user captures once. Reads var/run/ for the URL, token and post;
makes the second user with scripts/tryonctl. Debian's python3 +
python3-websockets. Prints one JSON object.

usage: docs/dev/quota_checks.py [REPO]   (default: this checkout)
"""
import asyncio
import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import websockets

REPO = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else
                       os.path.join(os.path.dirname(__file__), "..", ".."))
VAR = os.path.join(REPO, "var")
BASE = "http://127.0.0.1:" + os.environ.get("TRYON_PORT", "8000")


def read(name):
    with open(os.path.join(VAR, "run", name)) as f:
        return f.read().strip()


def call(method, path, token=None, body=None, ctype=None):
    req = urllib.request.Request(BASE + path, data=body, method=method)
    if token:
        req.add_header("Authorization", "Token " + token)
    if ctype:
        req.add_header("Content-Type", ctype)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def media_bytes():
    total = 0
    for root, _, files in os.walk(os.path.join(VAR, "media")):
        for f in files:
            try:
                total += os.path.getsize(os.path.join(root, f))
            except OSError:
                pass
    return total


def unauthenticated_upload():
    boundary = "qc" + str(time.time_ns())
    payload = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
               f"filename=\"big.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n").encode()
    payload += b"\xff\xd8" + os.urandom(5 * 1024 * 1024) + b"\xff\xd9"
    payload += f"\r\n--{boundary}--\r\n".encode()
    before, peak = media_bytes(), 0
    done = threading.Event()

    def sample():
        nonlocal peak
        while not done.is_set():
            peak = max(peak, media_bytes() - before)
            time.sleep(0.01)
    t = threading.Thread(target=sample)
    t.start()
    status, _ = call("POST", "/api/try-on/upload/", None, payload,
                     "multipart/form-data; boundary=" + boundary)
    done.set()
    t.join()
    return {"status": status, "media_bytes_added_peak": peak,
            "media_bytes_added_after": media_bytes() - before}


def creations(token, post):
    counts = {}
    for _ in range(200):
        status, _ = call("POST", "/api/try-on/session/create/", token,
                         json.dumps({"nail_post_id": int(post)}).encode(),
                         "application/json")
        counts[status] = counts.get(status, 0) + 1
    return counts


def frame(seq, image):
    header = json.dumps({"sequence": seq, "format": "jpeg"}).encode()
    return header.ljust(1024, b"\0") + image


async def ready_session(token, post, image):
    status, body = call("POST", "/api/try-on/session/create/", token,
                        json.dumps({"nail_post_id": int(post)}).encode(),
                        "application/json")
    sid = json.loads(body)["session_id"]
    ws = await websockets.connect(
        f"ws://{BASE[7:]}/ws/try-on/{sid}/?token={token}", max_size=None)
    await ws.send(json.dumps({"type": "init_session"}))
    while json.loads(await ws.recv()).get("type") != "session_ready":
        pass
    await ws.send(frame(1, image))
    while True:
        m = await ws.recv()
        if isinstance(m, bytes):
            break
    return sid, ws


async def capture_burst(token, other_token, post):
    with open(os.path.join(VAR, "media", "posts", "demo-design.jpg"), "rb") as f:
        image = f.read()
    _, ws = await ready_session(token, post, image)
    _, other = await ready_session(other_token, post, image)
    for _ in range(100):
        await ws.send(json.dumps({"type": "capture"}))
    await other.send(json.dumps({"type": "capture"}))
    seen, ids = {}, set()
    other_saw = None
    deadline = time.monotonic() + 20
    answers = 0
    while answers < 100 and time.monotonic() < deadline:
        m = json.loads(await asyncio.wait_for(ws.recv(), 20))
        kind = m.get("type") if m.get("type") != "error" else m.get("code")
        if kind in ("frame_saved", "RATE_LIMITED", "PROCESSING_FAILED"):
            answers += 1
            seen[kind] = seen.get(kind, 0) + 1
            if kind == "frame_saved":
                ids.add(m["try_on_id"])
    while other_saw is None:
        m = json.loads(await asyncio.wait_for(other.recv(), 20))
        if m.get("type") in ("frame_saved", "error"):
            other_saw = m.get("type") if m.get("type") != "error" else m.get("code")
    await ws.close()
    await other.close()
    return {"answers": seen, "distinct_result_ids": len(ids),
            "other_user_capture": other_saw}


def main():
    token, post = read("demo-token"), read("demo-post-id")
    ctl = os.path.join(REPO, "scripts", "tryonctl")
    name = "qc" + str(int(time.time()))
    subprocess.run([ctl, "user", "create", name], check=True,
                   capture_output=True)
    other = subprocess.run([ctl, "token", "issue", name], check=True,
                           capture_output=True, text=True).stdout.split()[0]
    out = {"unauthenticated_upload": unauthenticated_upload(),
           "capture_burst": asyncio.run(capture_burst(token, other, post)),
           "creations_200": creations(token, post)}
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
