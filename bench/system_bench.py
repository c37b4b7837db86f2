#!/usr/bin/env python3
"""Whole-system benchmark (issue 3): `./steep run` of a for-each over N items, each chain one `touch` of a new file,
against the raw cost of spawning the same N `touch` processes from a minimal program (this script), in one run.

Usage: python3 bench/system_bench.py [--reps R] [--dir DIR] [N ...]      (default: 3 repetitions of 1000 and 10000)

Each repetition runs the raw loop (one process at a time, and as many at a time as steep has agents) and `steep run`,
in a rotating order, and nothing is deleted before the end: on ext4 the deletion of thousands of files makes the next
thousands of file creations several times slower for half a minute, whichever program makes them. The table shows
medians; steep/raw is over the sequential loop, /floor over the faster of the sequential and the parallel loop (the
Orleans issue's target: <= 1.3 at 10,000). Before the sizes, the time from `steep run` to the first chain's process. --dir chooses where the
files go (default: the system's temporary folder; /dev/shm takes the disk out of the comparison). "steep cpu" is steep
with its `touch` processes; "own ms/chain" is steep's own CPU (user + system, its children's taken off) per chain.
STEEP_BENCH_BINARY=<built steep> runs that binary instead of the launcher (set what the launcher sets for `run` then).
"""
import argparse, os, shutil, statistics, subprocess, sys, tempfile, threading, time
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# STEEP_BENCH_BINARY runs an already built steep instead of the launcher (without the launcher's settings for `run`)
STEEP = os.environ.get("STEEP_BENCH_BINARY") or os.path.join(ROOT, "steep")
TICKS = os.sysconf("SC_CLK_TCK")

SERVICES = """- id: touch
  name: touch
  description: Create an empty file
  path: touch
  runtime: other
  parameters:
    - {id: file, name: File, description: The file to create, type: output, cardinality: 1..1}
"""


def workflow(n):
    return ("api: 4.0.0\nvars:\n  - id: items\n    value: [" + ", ".join(str(i) for i in range(n)) + "]\n"
            "  - id: i\n  - id: f\nactions:\n  - type: for\n    input: items\n    enumerator: i\n    actions:\n"
            "      - type: execute\n        service: touch\n        outputs:\n          - id: file\n            var: f\n")


def children_cpu():
    r = os.times()
    return r.children_user + r.children_system


def raw_spawn(n, folder, workers):
    """The minimal program: spawn `touch` n times, `workers` at a time. Returns (wall s, cpu s of the touches)."""
    os.makedirs(folder)
    paths = [os.path.join(folder, f"f{i}") for i in range(n)]
    cpu = children_cpu()
    t = time.perf_counter()
    if workers == 1:
        for p in paths:
            subprocess.run(["touch", p], check=True)
    else:
        with ThreadPoolExecutor(workers) as ex:
            list(ex.map(lambda p: subprocess.run(["touch", p], check=True), paths))
    return time.perf_counter() - t, children_cpu() - cpu


def children_of(pid, last):
    """Polls /proc/<pid>/stat until the process ends: last[0] is the CPU (s) of its children that it has waited for."""
    while True:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            if fields[0] == "Z":
                return
            last[0] = (int(fields[13]) + int(fields[14])) / TICKS  # cutime + cstime
        except (OSError, IndexError, ValueError):
            return
        time.sleep(0.05)


def steep_run(n, folder, wf, svc, agents):
    """`./steep run` as a user types it. Returns (wall s, cpu s of steep and its children, peak resident MiB, cpu s of
    steep alone: its children's, as last seen in /proc while it ran, taken off)."""
    data = os.path.join(folder, "data")
    t = time.perf_counter()
    p = subprocess.Popen([STEEP, "run", wf, "--services", svc, "--data", data, "--agents", str(agents)],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    # the launcher execs the binary: the pid stays the same
    children = [0.0]
    poller = threading.Thread(target=children_of, args=(p.pid, children), daemon=True)
    poller.start()
    stderr = p.stderr.read()
    poller.join()
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        sys.exit(f"steep run failed ({p.returncode}): {stderr.decode(errors='replace')[-2000:]}")
    files = sum(len(fs) for _, _, fs in os.walk(os.path.join(data, "tmp")))
    if files != n:
        sys.exit(f"expected {n} files, found {files}")
    cpu = usage.ru_utime + usage.ru_stime
    return wall, cpu, usage.ru_maxrss / 1024, cpu - children[0]


def first_chain(folder, agents):
    """Seconds from starting `./steep run` to the first chain's process running: a one-chain workflow whose service
    writes the wall clock (ns) into its output file."""
    os.makedirs(folder)
    script = os.path.join(folder, "stamp.sh")
    with open(script, "w") as f:
        f.write('#!/bin/sh\ndate +%s%N > "$1"\n')
    os.chmod(script, 0o755)
    svc, wf = os.path.join(folder, "services.yaml"), os.path.join(folder, "workflow.yaml")
    with open(svc, "w") as f:
        f.write(f"- id: stamp\n  name: stamp\n  description: Write the time\n  path: {script}\n  runtime: other\n"
                "  parameters:\n    - {id: file, name: File, description: The time, type: output, cardinality: 1..1}\n")
    with open(wf, "w") as f:
        f.write("api: 4.0.0\nvars:\n  - id: f\nactions:\n  - type: execute\n    service: stamp\n"
                "    outputs:\n      - id: file\n        var: f\n")
    data = os.path.join(folder, "data")
    start = time.time_ns()
    subprocess.run([STEEP, "run", wf, "--services", svc, "--data", data, "--agents", str(agents)],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    total = (time.time_ns() - start) / 1e9
    for d, _, fs in os.walk(os.path.join(data, "tmp")):
        for name in fs:
            with open(os.path.join(d, name)) as f:
                return (int(f.read().strip()) - start) / 1e9, total
    sys.exit("the first-chain run wrote no file")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("sizes", nargs="*", type=int, default=[1000, 10000])
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--dir", default=None)
    args = ap.parse_args()
    agents = os.cpu_count() or 2
    subprocess.run([STEEP, "--help"], stdout=subprocess.DEVNULL, check=True)  # build once, outside the timings
    base = tempfile.mkdtemp(prefix="steep-bench-", dir=args.dir)
    try:
        print(f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}; files in {base}; "
              f"steep run with {agents} agents; {args.reps} repetitions, medians")
        print(f"{'N':>7} {'raw seq s':>10} {'raw x' + str(agents) + ' s':>10} {'steep s':>9} {'raw cpu s':>10} "
              f"{'steep cpu s':>12} {'own ms/chain':>13} {'peak MiB':>9} {'steep/raw':>10} {'/floor':>7} {'ms/chain':>9}")
        firsts = [first_chain(os.path.join(base, f"first{rep}"), agents) for rep in range(max(3, args.reps))]
        print(f"first chain started {statistics.median(f for f, _ in firsts):.3f} s after `steep run` began "
              f"(median of {len(firsts)}; whole one-chain run {statistics.median(t for _, t in firsts):.3f} s)", flush=True)
        for n in args.sizes:
            folder = os.path.join(base, str(n))
            os.makedirs(folder)
            wf, svc = os.path.join(folder, "workflow.yaml"), os.path.join(folder, "services.yaml")
            with open(wf, "w") as f:
                f.write(workflow(n))
            with open(svc, "w") as f:
                f.write(SERVICES)
            raw, rawp, rawcpu, steep, cpu, peak = [], [], [], [], [], []
            for rep in range(args.reps):
                runs = [
                    lambda: raw.append(raw_spawn(n, os.path.join(folder, f"raw{rep}"), 1)),
                    lambda: rawp.append(raw_spawn(n, os.path.join(folder, f"rawp{rep}"), agents)),
                    lambda: steep.append(steep_run(n, os.path.join(folder, f"steep{rep}"), wf, svc, agents)),
                ]
                for run in runs[rep % 3:] + runs[:rep % 3]:
                    run()
                print(f"{'':>7} rep {rep + 1}: raw {raw[-1][0]:.2f} s, raw x{agents} {rawp[-1][0]:.2f} s, "
                      f"steep {steep[-1][0]:.2f} s (own cpu {steep[-1][3]:.2f} s)", flush=True)
            med = statistics.median
            r, rp, s = med(w for w, _ in raw), med(w for w, _ in rawp), med(w for w, *_ in steep)
            print(f"{n:>7} {r:>10.2f} {rp:>10.2f} {s:>9.2f} {med(c for _, c in raw):>10.2f} "
                  f"{med(c for _, c, _, _ in steep):>12.2f} {1000 * med(o for *_, o in steep) / n:>13.3f} {max(m for _, _, m, _ in steep):>9.0f} {s / r:>10.2f} {s / min(r, rp):>7.2f} "
                  f"{1000 * s / n:>9.2f}", flush=True)
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
