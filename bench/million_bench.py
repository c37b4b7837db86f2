#!/usr/bin/env python3
"""Bounded memory by lazy unrolling (issue 14, part 2): `./steep serve` runs a for-each of N items of a no-op service
(`true`) to its end, while `/health` is polled all the time.

Usage: python3 bench/million_bench.py [N ...]      (default: 100000)
Environment: STEEP_CONTROLLER_MAXREGISTEREDCHAINS passes through to steep serve (the window; 0: unroll at once);
STEEP_BENCH_BINARY runs that steep binary instead of ./steep.

Prints per N: seconds until the submission was accepted, wall time until it ended, its status and chain counts, the
most REGISTERED chains seen (sampled), peak resident memory of `steep serve`, and /health latency (median and worst).
"""
import json, os, shutil, signal, statistics, subprocess, sys, tempfile, threading, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cancel_bench import STEEP, call, free_port, peak_rss_mib  # noqa: E402

# a built binary to run instead of the launcher (which rebuilds first whenever src/ changed)
STEEP = os.environ.get("STEEP_BENCH_BINARY", STEEP)

SERVICES = """- id: noop
  name: noop
  description: Does nothing
  path: "true"
  runtime: other
  parameters:
    - {id: item, name: Item, description: ignored, type: input, cardinality: 1..1}
"""


def workflow(n):
    """As JSON (the issue's 1e6-item for-each was a JSON body of a few MB)."""
    return json.dumps({"api": "4.0.0", "vars": [{"id": "items", "value": list(range(n))}, {"id": "i"}],
                       "actions": [{"type": "for", "input": "items", "enumerator": "i", "actions": [
                           {"type": "execute", "service": "noop", "inputs": [{"id": "item", "var": "i"}]}]}]},
                      separators=(",", ":"))


def run(n, base_dir):
    folder = os.path.join(base_dir, str(n))
    os.makedirs(folder)
    svc, wf = os.path.join(folder, "services.yaml"), os.path.join(folder, "workflow.json")
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

        t0 = time.perf_counter()
        with open(wf) as f:
            accepted, sub = call(base, "POST", "/workflows", f.read(), timeout=600)
        sid = sub["id"]
        registered = 0
        last = 0.0
        progress = time.perf_counter()
        while True:
            # without the workflow (its million items), its source and its results, as the dashboard asks
            s = call(base, "GET", f"/workflows/{sid}?exclude=workflow,source,results", timeout=60)[1]
            if s.get("endTime"):
                break
            if time.perf_counter() - last > 5:  # the REGISTERED count is a store query: now and then
                last = time.perf_counter()
                registered = max(registered, _total(base, sid))
            if time.perf_counter() - progress > 60:  # a line a minute, so that a long run shows where it is
                progress = time.perf_counter()
                h = list(health)
                print(f"  ... {progress - t0:7.0f} s: {s.get('succeededProcessChains')} done, {s.get('totalProcessChains')} "
                      f"registered so far, RSS {_rss_mib(serve.pid):.0f} MiB (peak {peak_rss_mib(serve.pid):.0f}), /health "
                      f"median {1000 * statistics.median(h):.1f} ms, worst {1000 * max(h):.1f} ms", flush=True)
            time.sleep(0.2)
        wall = time.perf_counter() - t0
        stop.set()
        rss = peak_rss_mib(serve.pid)
        counts = f"{s.get('succeededProcessChains')}/{s.get('totalProcessChains')} ok"
        print(f"{n:>8} {accepted:>9.2f} {wall:>9.1f}  {s['status']:<8} {counts:<18} {registered:>8} {rss:>9.0f} "
              f"{1000 * statistics.median(health):>8.1f} {1000 * max(health):>8.1f}", flush=True)
    finally:
        stop.set()
        if serve.poll() is None:
            serve.send_signal(signal.SIGTERM)
            try:
                serve.wait(timeout=30)
            except subprocess.TimeoutExpired:
                serve.kill()
                serve.wait()


def _rss_mib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def _total(base, sid):
    """REGISTERED chains of the submission now (x-page-total of a one-item page)."""
    import urllib.request
    req = urllib.request.Request(f"{base}/processchains?submissionId={sid}&status=REGISTERED&size=1")
    with urllib.request.urlopen(req, timeout=60) as r:
        r.read()
        return int(r.headers.get("x-page-total", "0"))


def main():
    sizes = [int(a) for a in sys.argv[1:]] or [100000]
    subprocess.run([STEEP, "--help"], stdout=subprocess.DEVNULL, check=True)  # build once, outside the timings
    base_dir = tempfile.mkdtemp(prefix="steep-million-")
    window = os.environ.get("STEEP_CONTROLLER_MAXREGISTEREDCHAINS", "default (5000)")
    print(f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}; steep serve with 2 agents; window {window}")
    print(f"{'N':>8} {'accept s':>9} {'wall s':>9}  {'status':<8} {'chains':<18} {'max REG':>8} {'peak MiB':>9} "
          f"{'health ms':>8} {'worst ms':>8}")
    try:
        for n in sizes:
            run(n, base_dir)
    finally:
        shutil.rmtree(base_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
