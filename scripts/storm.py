#!/usr/bin/env python3
"""Sign-in storm figures for RELIABILITY.md, against `akixi-sim serve` on loopback
(scripts/abuse.py runs it too; alone, it measures any binary, an older one included, with the
same code: it needs nothing a newer simulator prints).

    cargo build --release -p akixi-sim
    python3 scripts/storm.py [--binary target/release/akixi-sim] [--sign-ins 10000]

  1. storm: N unauthenticated sign-ins (CreateSession, then Authenticate as an unknown user
     with a password the Nonce cannot decrypt) from 64 threads, at the standard Argon2 cost,
     while an administrator signed in beforehand lists the users every 50 ms: the answers by
     code, the simulator's resident set (peak, at the end, and 10 s later), and the
     administrator's UserList times (median, slowest) before and during the storm.

Standard library and the `openssl` command only (for the administrator's password, which the
API protects with AES-128-CBC keyed by the session's Nonce). Not part of CI.
"""

import argparse
import base64
import http.client
import os
import re
import subprocess
import tempfile
import threading
import time
import urllib.parse

ADMIN = "admin@akixi-sim.invalid"
ADMIN_PASSWORD = "storm-Pa55word"


def rss_kib(pid, field="VmRSS"):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return -1


def start(binary, state):
    env = dict(os.environ, RUST_LOG="error", AKIXI_SIM_ADMIN_PASSWORD=ADMIN_PASSWORD)
    proc = subprocess.Popen(
        [binary, "serve", "--addr", "127.0.0.1:0", "--state", state],
        stdout=subprocess.PIPE,
        env=env,
        text=True,
    )
    url = None
    while url is None:
        line = proc.stdout.readline()
        if not line:
            raise SystemExit("the simulator stopped before printing its URL")
        found = re.search(r"(http://\S+)", line)
        if found:
            url = urllib.parse.urlparse(found.group(1))
    # Keep reading what it prints, so that it never blocks on a full pipe.
    threading.Thread(target=lambda: proc.stdout.read(), daemon=True).start()
    return proc, url


def post(conn, body):
    conn.request("POST", "/", body=body, headers={"Content-Type": "text/xml"})
    response = conn.getresponse()
    return response.status, response.read().decode("utf-8", "replace")


def create_session(conn):
    status, xml = post(conn, '<Request Operation="CreateSession"><InvokeID>1</InvokeID></Request>')
    session = re.search(r'Name="SessionID">([^<]+)<', xml)
    nonce = re.search(r'Name="Nonce">([^<]+)<', xml)
    if status != 200 or not session:
        return None, None, xml
    return session.group(1), nonce.group(1) if nonce else None, xml


def authenticate(conn, session, user, protected):
    body = (
        f'<Request Operation="Authenticate"><InvokeID>2</InvokeID><SessionID>{session}</SessionID>'
        f'<OperationPayload><Property Name="Username">{user}</Property>'
        f'<Property Name="Password">{protected}</Property></OperationPayload></Request>'
    )
    return post(conn, body)


def protect(nonce, password):
    out = subprocess.run(
        ["openssl", "enc", "-aes-128-cbc", "-K", nonce, "-iv", "0" * 32, "-nosalt", "-base64", "-A"],
        input=password.encode(),
        capture_output=True,
        check=True,
    )
    return out.stdout.decode().strip()


def admin_session(url):
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=120)
    session, nonce, xml = create_session(conn)
    status, xml = authenticate(conn, session, ADMIN, protect(nonce, ADMIN_PASSWORD))
    assert "Success" in xml, xml
    return conn, session


def user_list(conn, session):
    started = time.time()
    status, xml = post(
        conn,
        f'<Request Operation="UserList"><InvokeID>3</InvokeID><SessionID>{session}</SessionID></Request>',
    )
    assert status == 200 and "Success" in xml, xml[:300]
    return time.time() - started


def code_of(xml):
    found = re.search(r'<ErrorCode>(\d+)</ErrorCode>', xml)
    if found:
        return found.group(1)
    return "success" if "Success" in xml else "other"


def figures(times):
    times = sorted(times)
    return f"median {times[len(times) // 2] * 1000:.1f} ms, slowest {times[-1] * 1000:.1f} ms (n={len(times)})"


def storm(binary, count, threads=64, sources=250):
    with tempfile.TemporaryDirectory() as tmp:
        proc, url = start(binary, os.path.join(tmp, "state.sqlite"))
        try:
            admin, session = admin_session(url)
            before = [user_list(admin, session) for _ in range(20)]
            codes = {}
            lock = threading.Lock()
            remaining = [count]
            garbage = base64.b64encode(os.urandom(16)).decode()

            def connect(index):
                # Each thread from its own loopback address (of `sources`), so that the
                # per-address budget is not what stops the storm.
                source = (f"127.0.0.{2 + index % sources}", 0) if sources > 1 else None
                return http.client.HTTPConnection(url.hostname, url.port, timeout=300, source_address=source)

            def worker(index):
                conn = connect(index)
                while True:
                    with lock:
                        if remaining[0] == 0:
                            return
                        remaining[0] -= 1
                    try:
                        sid, _, xml = create_session(conn)
                        if sid is not None:
                            _, xml = authenticate(conn, sid, f"nobody{index}-{remaining[0]}@x.invalid", garbage)
                        code = code_of(xml)
                    except (OSError, http.client.HTTPException) as e:
                        code = type(e).__name__
                        conn = connect(index)
                    with lock:
                        codes[code] = codes.get(code, 0) + 1

            pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
            started = time.time()
            for t in pool:
                t.start()
            during, peak_rss = [], 0
            while any(t.is_alive() for t in pool):
                during.append(user_list(admin, session))
                peak_rss = max(peak_rss, rss_kib(proc.pid))
                time.sleep(0.05)
            elapsed = time.time() - started
            end_rss = rss_kib(proc.pid)
            time.sleep(10)
            later_rss = rss_kib(proc.pid)
            print(f"storm: {count} unauthenticated sign-ins from {threads} threads ({min(sources, threads)} addresses) "
                  f"in {elapsed:.1f} s; answers {codes}")
            print(f"  RSS peak {peak_rss // 1024} MiB (VmHWM {rss_kib(proc.pid, 'VmHWM') // 1024} MiB), "
                  f"at the end {end_rss // 1024} MiB, 10 s later {later_rss // 1024} MiB")
            print(f"  administrator's UserList before: {figures(before)}; during: {figures(during)}")
        finally:
            proc.terminate()
            proc.wait()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default="target/release/akixi-sim")
    parser.add_argument("--sign-ins", type=int, default=10000)
    parser.add_argument("--sources", type=int, default=64, help="loopback addresses the storm comes from")
    args = parser.parse_args()
    storm(args.binary, args.sign_ins, sources=args.sources)


if __name__ == "__main__":
    main()
