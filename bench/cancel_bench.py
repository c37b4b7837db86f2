#!/usr/bin/env python3
"""Cancel and stop at scale (issue 14, part 3): `./steep serve` gets a for-each of N chains of a service that sleeps;
once two run, the submission is cancelled with `PUT /workflows/{id}` {"status": "CANCELLED"}, then cancelled again;
after it has settled, `steep serve` gets SIGTERM. Meanwhile `/health` is polled all the time.

Usage: python3 bench/cancel_bench.py [N ...]      (default: 10000 100000)

Prints per N: seconds until the submission was accepted (its first step is stored by then), the cancel's answer time
and the counts it answered with, the seconds until CANCELLED with an endTime and nothing running, the second cancel's
answer time, SIGTERM to exit, /health latency (median and worst while all this ran) and the peak resident memory.
"""
import json, os, shutil, signal, socket, statistics, subprocess, sys, tempfile, threading, time, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STEEP = os.path.join(ROOT, "steep")

SERVICES = """- id: sleep
  name: sleep
  description: Sleep a minute
  path: sleep
  runtime: other
  parameters:
    - {id: seconds, name: Seconds, description: How long, type: input, cardinality: 1..1}
"""


def workflow(n):
    return ("api: 4.0.0\nvars:\n  - id: items\n    value: [" + ", ".join("60" for _ in range(n)) + "]\n"
            "  - id: i\nactions:\n  - type: for\n    input: items\n    enumerator: i\n    actions:\n"
            "      - type: execute\n        service: sleep\n        inputs:\n          - id: seconds\n            var: i\n")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(base, method, path, body=None, timeout=120):
    req = urllib.request.Request(base + path, method=method, data=None if body is None else body.encode(),
                                 headers={"Content-Type": "application/json" if body and body.startswith("{") else "application/yaml"})
    t = time.perf_counter()
    with urllib.request.urlopen(req, timeout=timeout) as r:
        data = r.read()
    return time.perf_counter() - t, json.loads(data) if data else None


def peak_rss_mib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def run(n, base_dir):
    folder = os.path.join(base_dir, str(n))
    os.makedirs(folder)
    svc, wf = os.path.join(folder, "services.yaml"), os.path.join(folder, "workflow.yaml")
    with open(svc, "w") as f:
        f.write(SERVICES)
    with open(wf, "w") as f:
        f.write(workflow(n))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = dict(os.environ, STEEP_CLUSTER_GATEWAYPORT=str(free_port()))
    serve = subprocess.Popen([STEEP, "serve", "--port", str(port), "--data", os.path.join(folder, "data"), "--services", svc,
                              "--agents", "2"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    health, stop = [], threading.Event()
    try:
        deadline = time.time() + 120
        while True:
            try:
                call(base, "GET", "/health", timeout=2)
                break
            except OSError:
                if time.time() > deadline:
                    sys.exit("steep serve did not answer /health within 120 s")
                time.sleep(0.1)

        def poll():
            while not stop.is_set():
                try:
                    health.append(call(base, "GET", "/health", timeout=10)[0])
                except OSError:
                    health.append(10.0)
                time.sleep(0.05)
        threading.Thread(target=poll, daemon=True).start()

        with open(wf) as f:
            accepted, sub = call(base, "POST", "/workflows", f.read(), timeout=600)
        sid = sub["id"]
        while call(base, "GET", f"/workflows/{sid}")[1].get("runningProcessChains", 0) < 2:
            time.sleep(0.05)
        t0 = time.perf_counter()
        answer, after = call(base, "PUT", f"/workflows/{sid}", '{"status": "CANCELLED"}', timeout=600)
        while True:
            s = call(base, "GET", f"/workflows/{sid}")[1]
            if s.get("endTime") and s.get("runningProcessChains", 0) == 0:
                break
            if time.perf_counter() - t0 > 600:
                sys.exit("not settled within 600 s")
            time.sleep(0.05)
        settled = time.perf_counter() - t0
        second, _ = call(base, "PUT", f"/workflows/{sid}", '{"status": "CANCELLED"}')
        stop.set()
        rss = peak_rss_mib(serve.pid)
        t1 = time.perf_counter()
        serve.send_signal(signal.SIGTERM)
        serve.wait(timeout=120)
        term = time.perf_counter() - t1
        counts = f"{after.get('cancelledProcessChains')}/{after.get('totalProcessChains')} cancelled, {after.get('runningProcessChains')} running"
        print(f"{n:>8} {accepted:>9.2f} {answer:>8.2f}  {counts:<34} {settled:>8.2f} {second:>8.3f} {term:>8.2f} "
              f"{1000 * statistics.median(health):>8.1f} {1000 * max(health):>8.1f} {rss:>8.0f}  {s['status']}", flush=True)
    finally:
        stop.set()
        if serve.poll() is None:
            serve.kill()
            serve.wait()


def main():
    sizes = [int(a) for a in sys.argv[1:]] or [10000, 100000]
    subprocess.run([STEEP, "--help"], stdout=subprocess.DEVNULL, check=True)  # build once, outside the timings
    base_dir = tempfile.mkdtemp(prefix="steep-cancel-")
    print(f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}; steep serve with 2 agents")
    print(f"{'N':>8} {'accept s':>9} {'cancel s':>8}  {'its answer':<34} {'settle s':>8} {'again s':>8} {'TERM s':>8} "
          f"{'health ms':>8} {'worst ms':>8} {'peak MiB':>8}  status")
    try:
        for n in sizes:
            run(n, base_dir)
    finally:
        shutil.rmtree(base_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
