#!/usr/bin/env python3
"""Cluster throughput (issue 10): process chains per second through a Steep cluster on this machine, with a no-op
service (`true`), for 1, 2 and 3 silos started by deploy/local-cluster.sh (its own PostgreSQL, `steep serve` silos).

Usage: python3 bench/cluster_bench.py [--chains N] [--reps R] [--agents A] [--profile] [--pg-options OPTS] [SILOS ...]
       (default: 3000 chains, 2 reps, 4 agents per silo, 1 2 3 silos; 0 = one embedded `steep serve` on SQLite, no
       PostgreSQL, for comparison)
--profile adds, per repetition, the CPU time (user+system from /proc) per chain of every silo and of PostgreSQL (all
its processes, ended backends included), and PostgreSQL's committed transactions and statements per chain
(pg_stat_database, pg_stat_statements). --pg-options passes server options to PostgreSQL (e.g.
"-c synchronous_commit=off"); by default every commit waits for its WAL flush, as in deploy/local-cluster.sh.

Each repetition submits one workflow of N independent chains (a for-each over N items) to silo1 and measures from the
submission to its SUCCESS (the submission's own startTime/endTime, so the polling does not count). A warm-up workflow of
200 chains runs first on each cluster (JIT, connection pools). All silos share the machine: on 2 cores more silos add
agents but no CPU, so the figures show the cost of spreading work over silos, not a speed-up.
"""
import argparse, datetime, json, os, statistics, subprocess, sys, tempfile, time, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# STEEP_BENCH_BINARY runs an already built steep (embedded and every silo) instead of the launcher
STEEP = os.environ.get("STEEP_BENCH_BINARY") or os.path.join(ROOT, "steep")
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


TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid, children=False):
    """utime+stime of a process (with its ended, waited-for children: PostgreSQL's ended backends) in seconds."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    ticks = int(fields[11]) + int(fields[12]) + ((int(fields[13]) + int(fields[14])) if children else 0)
    return ticks / TICK


def children_of(pid):
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [int(x) for x in out.split()]


def postgres_cpu(postmaster):
    return cpu_seconds(postmaster, children=True) + sum(cpu_seconds(c) for c in children_of(postmaster))


def psql(port, sql):
    out = subprocess.run(["/usr/lib/postgresql/15/bin/psql", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-d", "steep",
                          "-qAt", "-F", "\t", "-c", sql], capture_output=True, text=True)
    return out.stdout.strip()


class Profile:
    """CPU of each steep process and of PostgreSQL, and PostgreSQL's transactions and statements, over a repetition."""

    def __init__(self, silo_pids, pg_port=None, postmaster=None):
        self.silo_pids, self.pg_port, self.postmaster = silo_pids, pg_port, postmaster
        self.statements = pg_port is not None and psql(pg_port, "SELECT 1 FROM pg_extension WHERE extname = 'pg_stat_statements'") == "1"

    def snapshot(self):
        snap = {"silos": [cpu_seconds(p) for p in self.silo_pids]}
        if self.pg_port is not None:
            snap["pg"] = postgres_cpu(self.postmaster)
            snap["xact"] = int(psql(self.pg_port, "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = 'steep'") or 0)
            if self.statements:
                snap["calls"] = int(psql(self.pg_port, "SELECT COALESCE(SUM(calls), 0) FROM pg_stat_statements") or 0)
        return snap

    def report(self, before, after, chains, seconds):
        silos = [(a - b) * 1000 / chains for a, b in zip(after["silos"], before["silos"])]
        line = "       cpu ms/chain: " + " + ".join(f"silo{i + 1} {c:.2f}" for i, c in enumerate(silos))
        if "pg" in after:
            line += f" + postgres {(after['pg'] - before['pg']) * 1000 / chains:.2f}"
            total = sum(silos) + (after["pg"] - before["pg"]) * 1000 / chains
            line += f" = {total:.2f} ({total * chains / 1000 / seconds:.2f} cores busy)"
            line += f"; transactions/chain {(after['xact'] - before['xact']) / chains:.2f}"
            if "calls" in after:
                line += f"; statements/chain {(after['calls'] - before['calls']) / chains:.2f}"
        print(line, flush=True)
        if self.statements:
            top = psql(self.pg_port, "SELECT calls, round(total_exec_time::numeric, 0), regexp_replace(left(query, 90), '\\s+', ' ', 'g') "
                                     "FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 8")
            for row in top.splitlines():
                calls, ms, query = row.split("\t", 2)
                print(f"       {int(calls) / chains:6.2f}/chain {ms:>7} ms  {query}", flush=True)
            psql(self.pg_port, "SELECT pg_stat_statements_reset()")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("silos", nargs="*", type=int, default=[1, 2, 3])
    ap.add_argument("--chains", type=int, default=3000)
    ap.add_argument("--reps", type=int, default=2)
    ap.add_argument("--agents", type=int, default=4)
    ap.add_argument("--profile", action="store_true", help="CPU per chain of each process, PostgreSQL transactions per chain")
    ap.add_argument("--pg-options", default="", help='PostgreSQL server options, e.g. "-c synchronous_commit=off"')
    args = ap.parse_args()
    folder = tempfile.mkdtemp(prefix="steep-cluster-bench-")
    svc = os.path.join(folder, "noop.yaml")
    with open(svc, "w") as f:
        f.write(SERVICES)
    state = os.path.join(folder, "state")
    pg_options = args.pg_options
    if args.profile:
        pg_options += " -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all"
    env = dict(os.environ, STEEP_BINARY=STEEP, STEEP_LOCAL_CLUSTER=state, PORT_BASE="0", STEEP_POSTGRES_OPTIONS=pg_options)
    print(f"{os.cpu_count()} cores; {args.chains} no-op chains per workflow, {args.agents} agents per silo, {args.reps} reps"
          f"{'; PostgreSQL ' + args.pg_options if args.pg_options else ''}; load average {os.getloadavg()[0]:.1f}")
    print(f"{'silos':>5} {'agents':>6} {'chains/s (median)':>18} {'runs (chains/s)':>30}")
    for n in args.silos:
        embedded = None
        if n == 0:
            embedded = subprocess.Popen([STEEP, "serve", "--port", "0", "--data", os.path.join(folder, "embedded"),
                                         "--services", svc, "--agents", str(args.agents)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
            url = next(l for l in embedded.stdout if l.startswith("Listening on ")).split()[2].rstrip("/")
        else:
            out = subprocess.run([SCRIPT, "start", str(n), "--services", svc, "--agents", str(args.agents)],
                                 env=env, capture_output=True, text=True)
            if out.returncode != 0:
                sys.exit(f"local-cluster.sh start {n} failed: {out.stdout}\n{out.stderr}")
            url = [l.split()[1] for l in out.stdout.splitlines() if l.startswith("silo1 ")][0].rstrip("/")
        profile = None
        if args.profile:
            if embedded is not None:
                profile = Profile([embedded.pid])
            else:
                with open(state) as f:
                    cluster_dir = f.readline().strip()
                with open(os.path.join(cluster_dir, "pids")) as f:
                    pids = [int(x) for x in f.read().split()]
                with open(os.path.join(cluster_dir, "postgres", "postmaster.pid")) as f:
                    postmaster = int(f.readline())
                port = [l for l in out.stdout.splitlines() if l.startswith("postgres ")][0].split("Port=")[1].split(";")[0]
                psql(port, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
                profile = Profile(pids, int(port), postmaster)
        try:
            # every silo's agents registered before the clock starts
            deadline = time.time() + 60
            while len(http(url + "/agents")) < max(n, 1) * args.agents and time.time() < deadline:
                time.sleep(0.2)
            run_workflow(url, 200)
            rates = []
            for _ in range(args.reps):
                before = profile.snapshot() if profile else None
                seconds, done = run_workflow(url, args.chains)
                rates.append(args.chains / seconds)
                if profile:
                    print(f"  run {len(rates)}: {args.chains / seconds:.0f} chains/s in {seconds:.1f} s, load average {os.getloadavg()[0]:.1f}", flush=True)
                    profile.report(before, profile.snapshot(), args.chains, seconds)
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
