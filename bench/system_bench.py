#!/usr/bin/env python3
"""Whole-system benchmark (issue 3): `./steep run` of a for-each over N items, each chain one `touch` of a new file,
against the raw cost of spawning the same N `touch` processes from a minimal program (this script), in one run.

Usage: python3 bench/system_bench.py [N ...]        (default: 1000 10000)
Prints wall time, CPU time and peak memory; the ratio steep/raw is the figure the target (<= 1.3) refers to.
"""
import os, resource, shutil, subprocess, sys, tempfile, time
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STEEP = os.path.join(ROOT, "steep")


def raw_spawn(n, folder, workers=1):
    os.makedirs(folder, exist_ok=True)
    paths = [os.path.join(folder, f"f{i}") for i in range(n)]
    t = time.perf_counter()
    if workers == 1:
        for p in paths:
            subprocess.run(["touch", p], check=True)
    else:
        with ThreadPoolExecutor(workers) as ex:
            list(ex.map(lambda p: subprocess.run(["touch", p], check=True), paths))
    return time.perf_counter() - t


def steep_run(n, folder, agents):
    os.makedirs(folder, exist_ok=True)
    wf = os.path.join(folder, "workflow.yaml")
    svc = os.path.join(folder, "services.yaml")
    with open(svc, "w") as f:
        f.write("""- id: touch
  name: touch
  description: Create an empty file
  path: touch
  runtime: other
  parameters:
    - {id: file, name: File, description: The file to create, type: output, cardinality: 1..1}
""")
    with open(wf, "w") as f:
        f.write("api: 4.0.0\nvars:\n  - id: items\n    value: [" + ", ".join(str(i) for i in range(n)) + "]\n"
                "  - id: i\n  - id: f\nactions:\n  - type: for\n    input: items\n    enumerator: i\n    actions:\n"
                "      - type: execute\n        service: touch\n        outputs:\n          - id: file\n            var: f\n")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    p = subprocess.run([STEEP, "run", wf, "--services", svc, "--data", os.path.join(folder, "data"), "--agents", str(agents)],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode != 0:
        sys.exit(f"steep run failed ({p.returncode}): {p.stderr[-2000:]}")
    files = sum(len(fs) for _, _, fs in os.walk(os.path.join(folder, "data", "tmp")))
    if files != n:
        sys.exit(f"expected {n} files, found {files}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, after.ru_maxrss / 1024


def main():
    sizes = [int(a) for a in sys.argv[1:]] or [1000, 10000]
    agents = os.cpu_count() or 2
    subprocess.run([STEEP, "--help"], stdout=subprocess.DEVNULL, check=True)  # build once, outside the timings
    print(f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}; steep run with {agents} agents")
    print(f"{'N':>7} {'raw seq s':>10} {'raw x' + str(agents) + ' s':>10} {'steep s':>9} {'steep cpu s':>12} {'peak MiB':>9} {'steep/raw':>10} {'per chain ms':>13}")
    for n in sizes:
        base = tempfile.mkdtemp(prefix="steep-bench-")
        try:
            raw = raw_spawn(n, os.path.join(base, "raw"))
            rawp = raw_spawn(n, os.path.join(base, "rawp"), workers=agents)
            wall, cpu, peak = steep_run(n, os.path.join(base, "steep"), agents)
            print(f"{n:>7} {raw:>10.2f} {rawp:>10.2f} {wall:>9.2f} {cpu:>12.2f} {peak:>9.0f} {wall / raw:>10.2f} {1000 * wall / n:>13.2f}")
        finally:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
