#!/usr/bin/env python3
"""Cluster throughput (issue 10): process chains per second through a Steep cluster on this machine, with a no-op
service (`true`), for 1, 2 and 3 silos started by deploy/local-cluster.sh (its own PostgreSQL, `steep serve` silos).

Usage: python3 bench/cluster_bench.py [--chains N] [--reps R] [--agents A] [SILOS ...]   (default: 3000 chains, 2 reps,
       4 agents per silo, 1 2 3 silos; 0 = one embedded `steep serve` on SQLite, no PostgreSQL, for comparison)

Each repetition submits one workflow of N independent chains (a for-each over N items) to silo1 and measures from the
submission to its SUCCESS (the submission's own startTime/endTime, so the polling does not count). A warm-up workflow of
200 chains runs first on each cluster (JIT, connection pools). All silos share the machine: on 2 cores more silos add
agents but no CPU, so the figures show the cost of spreading work over silos, not a speed-up.
"""
import argparse, datetime, json, os, statistics, subprocess, sys, tempfile, time, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCRIPT = os.path.join(ROOT, "deploy", "local-cluster.sh")
SERVICES = """- id: noop
  name: noop
  description: Does nothing
  path: "true"
  runtime: other
  parameters: []
"""


def workflow(n):
    return ("api: 4.0.0\nvars:\n  - id: items\n    value: [" + ", ".join(str(i) for i in range(n)) + "]\n"
            "  - id: i\nactions:\n  - type: for\n    input: items\n    enumerator: i\n    actions:\n"
            "      - type: execute\n        service: noop\n")


def http(url, data=None):
    req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/yaml"} if data else {})
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.loads(r.read())


def when(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def run_workflow(url, n):
    """Submits n no-op chains; returns (seconds from start to end of the submission, chains that succeeded)."""
    sid = http(url + "/workflows", workflow(n).encode())["id"]
    deadline = time.time() + 600
    while time.time() < deadline:
        s = http(f"{url}/workflows/{sid}")
        if s.get("endTime") and s["status"] in ("SUCCESS", "ERROR", "PARTIAL_SUCCESS", "CANCELLED"):
            if s["status"] != "SUCCESS":
                sys.exit(f"submission {sid} ended {s['status']}")
            return (when(s["endTime"]) - when(s["startTime"])).total_seconds(), s.get("succeededProcessChains", n)
        time.sleep(0.25)
    sys.exit(f"submission {sid} did not finish within 600 s")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("silos", nargs="*", type=int, default=[1, 2, 3])
    ap.add_argument("--chains", type=int, default=3000)
    ap.add_argument("--reps", type=int, default=2)
    ap.add_argument("--agents", type=int, default=4)
    args = ap.parse_args()
    folder = tempfile.mkdtemp(prefix="steep-cluster-bench-")
    svc = os.path.join(folder, "noop.yaml")
    with open(svc, "w") as f:
        f.write(SERVICES)
    env = dict(os.environ, STEEP_LOCAL_CLUSTER=os.path.join(folder, "state"), PORT_BASE="0")
    print(f"{os.cpu_count()} cores; {args.chains} no-op chains per workflow, {args.agents} agents per silo, {args.reps} reps")
    print(f"{'silos':>5} {'agents':>6} {'chains/s (median)':>18} {'runs (chains/s)':>30}")
    for n in args.silos:
        embedded = None
        if n == 0:
            embedded = subprocess.Popen([os.path.join(ROOT, "steep"), "serve", "--port", "0", "--data", os.path.join(folder, "embedded"),
                                         "--services", svc, "--agents", str(args.agents)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
            url = next(l for l in embedded.stdout if l.startswith("Listening on ")).split()[2].rstrip("/")
        else:
            out = subprocess.run([SCRIPT, "start", str(n), "--services", svc, "--agents", str(args.agents)],
                                 env=env, capture_output=True, text=True)
            if out.returncode != 0:
                sys.exit(f"local-cluster.sh start {n} failed: {out.stdout}\n{out.stderr}")
            url = [l.split()[1] for l in out.stdout.splitlines() if l.startswith("silo1 ")][0].rstrip("/")
        try:
            # every silo's agents registered before the clock starts
            deadline = time.time() + 60
            while len(http(url + "/agents")) < max(n, 1) * args.agents and time.time() < deadline:
                time.sleep(0.2)
            run_workflow(url, 200)
            rates = []
            for _ in range(args.reps):
                seconds, done = run_workflow(url, args.chains)
                rates.append(args.chains / seconds)
            label = "emb." if n == 0 else str(n)
            print(f"{label:>5} {max(n, 1) * args.agents:>6} {statistics.median(rates):>18.0f} {' '.join(f'{r:.0f}' for r in rates):>30}", flush=True)
        finally:
            if embedded is not None:
                embedded.terminate()
                embedded.wait(60)
            else:
                subprocess.run([SCRIPT, "stop"], env=env, capture_output=True)


if __name__ == "__main__":
    main()
