#!/usr/bin/env python3
"""Load and abuse figures for RELIABILITY.md, against `akixi-sim serve` on loopback.

    cargo build --release -p akixi-sim
    python3 scripts/abuse.py [--binary target/release/akixi-sim] [--sessions 100000]

Starts the simulator (a state file in a temporary directory), then measures, each in turn:
  1. memory (the process's resident set, from /proc) before and after N CreateSession calls,
     and the live sessions kept (the spec's session-limit caps them);
  2. how long an ordinary request takes while 500 idle connections are held open;
  3. how a password-guessing loop fares: guesses checked, and refused unchecked, in 10 s;
  4. a megabyte of nested EM elements: the answer, its time, and the peak memory after;
  5. the fault endpoint: what a browser page, a rebound name and the token's holder get;
  6. with the simulator's open-file limit at 1,024, 2,000 idle connections, then 10 ordinary
     requests: each one's time (the connection budget closes the oldest idle);
  7. a storm of unauthenticated sign-ins at the standard Argon2 cost (scripts/storm.py): the
     answers, the resident set, and a signed-in administrator's UserList times during it.
Standard library only. Not part of CI.
"""

import argparse
import sys
import http.client
import os
import re
import resource
import socket
import subprocess
import tempfile
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import storm  # noqa: E402  (the sign-in storm, shared with scripts/storm.py run alone)

CREATE = b'<Request Operation="CreateSession"><InvokeID>00001</InvokeID></Request>'


rss_kib = storm.rss_kib


def post(conn, path, body, content_type="text/xml"):
    conn.request("POST", path, body=body, headers={"Content-Type": content_type})
    response = conn.getresponse()
    return response.status, response.read()


def start(binary, state, nofile=None):
    """Starts the simulator; returns (process, URL, faults token)."""
    env = dict(os.environ, RUST_LOG="warn", AKIXI_SIM_ADMIN_PASSWORD="abuse-Pa55word")

    def limit():
        if nofile is not None:
            resource.setrlimit(resource.RLIMIT_NOFILE, (nofile, nofile))

    proc = subprocess.Popen(
        [binary, "serve", "--addr", "127.0.0.1:0", "--state", state],
        stdout=subprocess.PIPE,
        env=env,
        text=True,
        preexec_fn=limit,
    )
    first = proc.stdout.readline()
    url = re.search(r"(http://\S+)", first).group(1)
    token = None
    # The administrator's name and password, then the faults token (the demo logins follow).
    for _ in range(3):
        line = proc.stdout.readline()
        if line.startswith("faults token: "):
            token = line.split()[2]
    return proc, urllib.parse.urlparse(url), token


def sessions_flood(pid, url, count):
    conn = http.client.HTTPConnection(url.hostname, url.port)
    before = rss_kib(pid)
    started = time.time()
    for _ in range(count):
        status, _ = post(conn, "/", CREATE)
        assert status == 200
    elapsed = time.time() - started
    after = rss_kib(pid)
    print(f"CreateSession x{count}: {elapsed:.1f} s ({count / elapsed:.0f}/s); "
          f"RSS {before} KiB -> {after} KiB (peak {rss_kib(pid, 'VmHWM')} KiB)")


def idle_connections(url, count=500):
    held = [socket.create_connection((url.hostname, url.port)) for _ in range(count)]
    conn = http.client.HTTPConnection(url.hostname, url.port)
    times = []
    for _ in range(20):
        started = time.time()
        status, _ = post(conn, "/", CREATE)
        assert status == 200
        times.append(time.time() - started)
    times.sort()
    print(f"{count} idle connections held: CreateSession median {times[10] * 1000:.1f} ms, "
          f"max {times[-1] * 1000:.1f} ms")
    for s in held:
        s.close()


def guessing(url, seconds=10.0):
    conn = http.client.HTTPConnection(url.hostname, url.port)
    refused_unchecked = checked = 0
    deadline = time.time() + seconds
    while time.time() < deadline:
        _, created = post(conn, "/", CREATE)
        session = re.search(rb'Name="SessionID">([^<]+)<', created).group(1).decode()
        body = (
            '<Request Operation="Authenticate"><InvokeID>00002</InvokeID>'
            f"<SessionID>{session}</SessionID><OperationPayload>"
            '<Property Name="Username">admin@akixi-sim.invalid</Property>'
            '<Property Name="Password">bm90LWEtcGFzc3dvcmQ=</Property>'
            "</OperationPayload></Request>"
        ).encode()
        _, answer = post(conn, "/", body)
        if b"too many failed sign-ins" in answer:
            refused_unchecked += 1
        else:
            checked += 1
    print(f"password guessing for {seconds:.0f} s: {checked} guesses checked, "
          f"{refused_unchecked} refused unchecked")


def em_nesting(pid, url):
    conn = http.client.HTTPConnection(url.hostname, url.port)
    depth = 100_000
    xml = "<e>" * depth + "</e>" * depth
    body = "xml=" + urllib.parse.quote(xml)
    started = time.time()
    try:
        status, _ = post(conn, "/emservice/EMServiceServlet", body.encode(),
                         "application/x-www-form-urlencoded")
    except (BrokenPipeError, ConnectionResetError):
        # Refused from its headers (Content-Length over the bound), before the body was sent.
        status = "closed before the body was read"
    elapsed = time.time() - started
    print(f"EM form of {len(body) / 1e6:.2f} MB nesting {depth} deep: HTTP {status} in "
          f"{elapsed * 1000:.1f} ms; peak RSS since start {rss_kib(pid, 'VmHWM')} KiB")


def fault_endpoint(url, token):
    path = "/_akixi-sim/faults"

    def send(method, headers, body=b"* p=1 code=10302"):
        conn = http.client.HTTPConnection(url.hostname, url.port)
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status

    cases = [
        ("a page's text/plain POST, no token", "POST", {"Content-Type": "text/plain"}),
        ("the token with an Origin", "PUT", {"X-Akixi-Sim-Token": token,
                                             "Origin": "http://evil.example"}),
        ("the token with a rebound Host", "PUT", {"X-Akixi-Sim-Token": token,
                                                  "Host": f"evil.example:{url.port}"}),
        ("a latency of 4,000,000,000 ms", "PUT", {"X-Akixi-Sim-Token": token}),
        ("the token from a command-line tool", "DELETE", {"X-Akixi-Sim-Token": token}),
    ]
    for what, method, headers in cases:
        body = b"* p=1 latency=4000000000" if "latency" in what else b"* p=1 code=10302"
        print(f"fault endpoint, {what}: HTTP {send(method, headers, body)}")


def budget_flood(binary, state, count=2000, nofile=1024):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, count + 256)), hard))
    proc, url, _ = start(binary, state, nofile)
    try:
        time.sleep(0.5)
        held = []
        for _ in range(count):
            try:
                held.append(socket.create_connection((url.hostname, url.port), timeout=5))
            except OSError:
                break
        times = []
        for _ in range(10):
            started = time.time()
            conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
            status, _ = post(conn, "/", CREATE)
            assert status == 200
            times.append(time.time() - started)
            conn.close()
        times.sort()
        print(f"open-file limit {nofile}, {len(held)} idle connections opened: 10 requests, "
              f"median {times[5] * 1000:.1f} ms, slowest {times[-1] * 1000:.1f} ms")
        for s in held:
            s.close()
    finally:
        proc.terminate()
        proc.wait()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default="target/release/akixi-sim")
    parser.add_argument("--sessions", type=int, default=100_000)
    parser.add_argument("--sign-ins", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        proc, url, token = start(args.binary, os.path.join(tmp, "state.db"))
        try:
            time.sleep(0.5)
            print(f"started: RSS {rss_kib(proc.pid)} KiB")
            sessions_flood(proc.pid, url, args.sessions)
            idle_connections(url)
            em_nesting(proc.pid, url)
            guessing(url)
            fault_endpoint(url, token)
        finally:
            proc.terminate()
            proc.wait()
        budget_flood(args.binary, os.path.join(tmp, "flood.db"))
    storm.storm(args.binary, args.sign_ins)


if __name__ == "__main__":
    main()
