#!/usr/bin/env python3
"""Bounded memory by lazy unrolling (issue 14, part 2): `./steep serve` runs a for-each of N items of a no-op service
(`true`) to its end, while `/health` is polled all the time.

Usage: python3 bench/million_bench.py [N ...]      (default: 100000)
Environment: STEEP_CONTROLLER_MAXREGISTEREDCHAINS passes through to steep serve (the window; 0: unroll at once);
STEEP_BENCH_BINARY runs that steep binary instead of ./steep.

Prints per N: seconds until the submission was accepted, wall time until it ended, its status and chain counts, the
most REGISTERED chains seen (sampled), peak resident memory of `steep serve`, and /health latency (median and worst).
"""
import json, os, shutil, subprocess, sys, tempfile, time, urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from steep_server import STEEP, SteepServer, noop_services  # noqa: E402

SERVICES = noop_services(
    "{id: item, name: Item, description: ignored, type: input, cardinality: 1..1}",
)


def workflow(n):
    """As JSON (the issue's 1e6-item for-each was a JSON body of a few MB)."""
    return json.dumps({"api": "4.0.0", "vars": [{"id": "items", "value": list(range(n))}, {"id": "i"}],
                       "actions": [{"type": "for", "input": "items", "enumerator": "i", "actions": [
                           {"type": "execute", "service": "noop", "inputs": [{"id": "item", "var": "i"}]}]}]},
                      separators=(",", ":"))


def run(n, base_dir):
    folder = os.path.join(base_dir, str(n))
    with SteepServer(folder, SERVICES) as server:
        t0 = time.perf_counter()
        accepted, sub = server.call("POST", "/workflows", workflow(n), timeout=600)
        sid = sub["id"]
        registered = 0
        last = 0.0
        progress = time.perf_counter()
        while True:
            # without the workflow (its million items), its source and its results, as the dashboard asks
            s = server.call("GET", f"/workflows/{sid}?exclude=workflow,source,results", timeout=60)[1]
            if s.get("endTime"):
                break
            if time.perf_counter() - last > 5:  # the REGISTERED count is a store query: now and then
                last = time.perf_counter()
                registered = max(registered, _total(server.base, sid))
            if time.perf_counter() - progress > 60:  # a line a minute, so that a long run shows where it is
                progress = time.perf_counter()
                median, worst = server.health_ms()
                print(f"  ... {progress - t0:7.0f} s: {s.get('succeededProcessChains')} done, {s.get('totalProcessChains')} "
                      f"registered so far, RSS {server.rss_mib():.0f} MiB (peak {server.peak_rss_mib():.0f}), /health "
                      f"median {median:.1f} ms, worst {worst:.1f} ms", flush=True)
            time.sleep(0.2)
        wall = time.perf_counter() - t0
        server.stop_polling()
        rss = server.peak_rss_mib()
        median, worst = server.health_ms()
        counts = f"{s.get('succeededProcessChains')}/{s.get('totalProcessChains')} ok"
        print(f"{n:>8} {accepted:>9.2f} {wall:>9.1f}  {s['status']:<8} {counts:<18} {registered:>8} {rss:>9.0f} "
              f"{median:>8.1f} {worst:>8.1f}", flush=True)


def _total(base, sid):
    """REGISTERED chains of the submission now (x-page-total of a one-item page)."""
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
