#!/usr/bin/env python3
"""Hostile input against a real `./steep serve` (issue 14): every field of a workflow that uses every construct is
replaced in turn by null, empty values, wrong types and huge values, or removed, and sent as JSON and as YAML to
`POST /workflows` and `POST /validate`; then YAML bombs, deep nesting, broken encodings, amplifying for-eaches, bad
`PUT` bodies, bad query parameters on every `GET` route, path traversal in ids and bad `Range` headers.

Usage: python3 bench/hostile_probe.py [--quick]

Passes (exit 0) when no request got a 5xx or an answer that shows a stack trace or an exception's name, every
rejected workflow's 400 says something (not an empty body), `/health` still answers at the end, and the server's
peak memory stayed below 1 GiB. Submissions that were accepted are cancelled at once (their service does nothing).
"""
import copy, json, os, shutil, sys, tempfile, time, urllib.error, urllib.parse, urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from steep_server import STEEP, SteepServer, noop_services  # noqa: E402

SERVICES = noop_services(
    "{id: input, name: Input, description: ignored, type: input, cardinality: 0..n, data_type: string}",
    "{id: flag, name: Flag, description: ignored, type: input, cardinality: 0..1, data_type: boolean, default: false}",
    "{id: output, name: Output, description: ignored, type: output, cardinality: 0..1, data_type: file}",
)

# every construct of the workflow model: variables with values, an execute action with inputs, outputs, parameters,
# retries and a priority, a for-each with output and yieldToInput, a nested for-each, dependsOn
BASE = {
    "api": "4.0.0",
    "name": "hostile",
    "priority": 1,
    "vars": [{"id": "items", "value": ["a", "b"]}, {"id": "i"}, {"id": "j"}, {"id": "o"}, {"id": "collected"},
             {"id": "flag", "value": True}, {"id": "single"}],
    "actions": [
        {"type": "execute", "id": "first", "service": "noop", "priority": 2,
         "inputs": [{"id": "input", "var": "items"}], "parameters": [{"id": "flag", "var": "flag"}],
         "outputs": [{"id": "output", "var": "single", "prefix": "p/", "store": True}],
         "retries": {"maxAttempts": 2, "delay": "1s", "exponentialBackoff": 2, "maxDelay": "5s"}},
        {"type": "for", "id": "loop", "input": "items", "enumerator": "i", "output": "collected", "priority": 3,
         "dependsOn": ["first"],
         "actions": [
             {"type": "execute", "service": "noop", "inputs": [{"id": "input", "var": "i"}],
              "outputs": [{"id": "output", "var": "o"}]},
             {"type": "for", "input": "items", "enumerator": "j",
              "actions": [{"type": "execute", "service": "noop", "inputs": [{"id": "input", "var": "j"}]}]}],
         "yieldToOutput": "o"},
    ],
}

HUGE = "x" * 1_000_000
REPLACEMENTS = [None, "", [], {}, 0, -1, 2**63, 1e308, True, "\u0000", "\ud7ff\ufffe", HUGE, [None], [[]], {"": None}]

STACK_SIGNS = ("   at ", "Exception", "System.", "Microsoft.", "Orleans.")


def paths(node, path=()):
    """Every path to a value in the JSON tree (dict keys and list items)."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield path + (k,)
            yield from paths(v, path + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield path + (i,)
            yield from paths(v, path + (i,))


def mutated(path, value, delete=False):
    doc = copy.deepcopy(BASE)
    parent = doc
    for p in path[:-1]:
        parent = parent[p]
    if delete:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return doc


def to_yaml(node, indent=0):
    """A small YAML writer (block style; strings quoted as JSON, which YAML reads)."""
    pad = "  " * indent
    if isinstance(node, dict):
        if not node:
            return "{}"
        return "\n".join(f"{pad}{json.dumps(str(k))}:" + (
            " " + to_yaml(v) if not isinstance(v, (dict, list)) or not v else "\n" + to_yaml(v, indent + 1))
            for k, v in node.items())
    if isinstance(node, list):
        if not node:
            return "[]"
        out = []
        for v in node:
            if isinstance(v, (dict, list)) and v:
                inner = to_yaml(v, indent + 1).lstrip()
                out.append(f"{pad}- {inner}")
            else:
                out.append(f"{pad}- {to_yaml(v)}")
        return "\n".join(out)
    if node is None:
        return "null"
    if isinstance(node, bool):
        return "true" if node else "false"
    if isinstance(node, (int, float)):
        return repr(node)
    return json.dumps(node)


def workflow_bodies(quick):
    all_paths = list(paths(BASE))
    if quick:
        all_paths = all_paths[::4]
    for path in all_paths:
        for value in REPLACEMENTS if not quick else REPLACEMENTS[:6]:
            doc = mutated(path, value)
            name = f"{'/'.join(map(str, path))} = {str(value)[:20]!r}"
            yield name + " (JSON)", json.dumps(doc)
            if value is not HUGE:
                yield name + " (YAML)", to_yaml(doc)
        yield f"{'/'.join(map(str, path))} removed", json.dumps(mutated(path, None, delete=True))


def special_bodies():
    laughs = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
    for i in range(1, 10):
        prev = chr(ord("a") + i - 1)
        cur = chr(ord("a") + i)
        laughs += f"{cur}: &{cur} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
    yield "billion laughs (YAML aliases)", "api: 4.0.0\n" + laughs + "actions: []\n"
    yield "deep YAML nesting (20,000 levels)", "api: 4.0.0\nvars:\n  - id: x\n    value: " + "[" * 20000 + "]" * 20000 + "\n"
    yield "deep JSON nesting (20,000 levels)", '{"api":"4.0.0","vars":[{"id":"x","value":' + "[" * 20000 + "]" * 20000 + "}]}"
    yield "empty body", ""
    yield "JSON null", "null"
    yield "JSON array", "[]"
    yield "JSON number", "42"
    yield "YAML scalar", "just text"
    yield "YAML api and empty vars", "api: 4.0.0\nvars:\n"
    yield "YAML empty actions", "api: 4.0.0\nactions:\n"
    yield "YAML tag", "api: !!binary aGVsbG8=\nactions: []\n"
    yield "YAML unknown tag", "api: !foo 4.0.0\nactions: []\n"
    yield "YAML duplicate keys", "api: 4.0.0\napi: 3.0.0\nactions: []\n"
    yield "YAML tab indentation", "api: 4.0.0\nactions:\n\t- type: execute\n"
    yield "invalid UTF-8", b"api: 4.0.0\nname: \xff\xfe\xc3\x28\nactions: []\n"
    yield "binary garbage", bytes(range(256)) * 64
    yield "UTF-16 with BOM", "api: 4.0.0\nactions: []\n".encode("utf-16")
    yield "truncated JSON", json.dumps(BASE)[:200]
    yield "JSON with comments", '{"api": "4.0.0", /* x */ "actions": []}'
    yield "1,000 unknown action types", json.dumps({"api": "4.0.0", "actions": [{"type": f"t{i}"} for i in range(1000)]})
    yield "10,000 variables with the same id", json.dumps({"api": "4.0.0", "vars": [{"id": "x"}] * 10000, "actions": []})
    yield "dependsOn itself", json.dumps({"api": "4.0.0", "actions": [{"type": "execute", "id": "a", "service": "noop", "dependsOn": ["a"]}]})
    yield "dependsOn cycle", json.dumps({"api": "4.0.0", "actions": [
        {"type": "execute", "id": "a", "service": "noop", "dependsOn": ["b"]},
        {"type": "execute", "id": "b", "service": "noop", "dependsOn": ["a"]}]})
    yield "enumerator shadows input", json.dumps({"api": "4.0.0", "vars": [{"id": "x", "value": [1]}], "actions": [
        {"type": "for", "input": "x", "enumerator": "x", "actions": []}]})
    yield "include of an unknown macro", json.dumps({"api": "4.0.0", "actions": [{"type": "include", "macro": "../../etc/passwd"}]})
    yield "nested for-each 1,000 × 1,000 (amplification: accepted lazily or refused by a limit)", json.dumps({
        "api": "4.0.0", "vars": [{"id": "a", "value": list(range(1000))}, {"id": "b", "value": list(range(1000))},
                                 {"id": "i"}, {"id": "j"}],
        "actions": [{"type": "for", "input": "a", "enumerator": "i", "actions": [
            {"type": "for", "input": "b", "enumerator": "j", "actions": [
                {"type": "execute", "service": "noop", "inputs": [{"id": "input", "var": "j"}]}]}]}]})
    yield "a 2,000,000-item for-each (over the item limit)", '{"api":"4.0.0","vars":[{"id":"a","value":[' + ",".join(
        ["1"] * 2_000_000) + ']},{"id":"i"}],"actions":[{"type":"for","input":"a","enumerator":"i","actions":[' \
        '{"type":"execute","service":"noop","inputs":[{"id":"input","var":"i"}]}]}]}'


def put_bodies():
    for body in ["", "null", "[]", "{}", '{"status": null}', '{"status": 5}', '{"status": "RUNNING"}',
                 '{"status": "cancelled"}', '{"status": "SUCCESS"}', '{"priority": "high"}', '{"priority": 1e308}',
                 '{"priority": null}', '{"priority": 99999999999999999999}', '{"status": "CANCELLED", "priority": "x"}',
                 '{"status": ' + '"' + HUGE + '"}', "{" * 5000, b"\xff\xfe".decode("latin-1")]:
        yield body


BAD_VALUES = ["-1", "abc", "1e30", "", "%00", "99999999999999999999", "0x10", "1.5", "\u00e9", "x" * 5000,
              "../../etc/passwd", "' OR 1=1 --", "NaN", "-0"]


def query_requests(sid, cid):
    routes = {
        "/workflows": ["size", "offset", "status", "exclude"],
        f"/workflows/{sid}": ["exclude"],
        f"/workflows/{sid}/results": ["size", "offset"],
        "/processchains": ["submissionId", "status", "size", "offset"],
        f"/processchains/{cid}/runs": ["size", "offset"],
        f"/logs/processchains/{cid}": ["runNumber", "forceDownload"],
        "/search": ["q", "size", "offset", "count", "timeZone"],
        "/agents": ["size"], "/services": ["size"], "/vms": ["size", "offset"],
    }
    for route, params in routes.items():
        for p in params:
            for v in BAD_VALUES:
                yield "GET", f"{route}?{p}={urllib.parse.quote(v, safe='')}", None, {}
    for q in ["is:thing", "in:nowhere", '"unclosed', "start:", "start:2024-13-45", "start:..", "<", ">=x", "a" * 10000,
              "status:", "::::", "rcs:", "id:" + "%" * 100, "start:2024-03-12..", "\u0000"]:
        yield "GET", "/search?q=" + urllib.parse.quote(q, safe=""), None, {}
    for raw in ["/workflows/..%2F..%2Fetc%2Fpasswd", "/logs/processchains/..%2F..%2Fetc%2Fpasswd",
                "/logs/processchains/%2Fetc%2Fpasswd", "/processchains/" + "a" * 10000, "/workflows/%00",
                "/processchains/x/runs/abc", "/processchains/x/runs/-1", f"/processchains/{cid}/runs/99999999999",
                "/agents/..%2F..", "/services/%00", "/workflows/" + "%ff" * 50]:
        yield "GET", raw, None, {}
    for rng in ["bytes=abc", "bytes=5-1", "bytes=-0", "bytes=0-99999999999999999999", "items=0-1", "bytes=" + "0-1," * 500]:
        yield "GET", f"/logs/processchains/{cid}", None, {"Range": rng}
        yield "GET", f"/logs/processchains/{cid}", None, {"x-range": rng}
    for body in put_bodies():
        yield "PUT", f"/workflows/{sid}", body, {"Content-Type": "application/json"}
        yield "PUT", f"/processchains/{cid}", body, {"Content-Type": "application/json"}
        yield "PUT", "/workflows/does-not-exist", body, {"Content-Type": "application/json"}


def send(base, method, path, body, headers):
    data = None if body is None else (body if isinstance(body, bytes) else body.encode("utf-8", "surrogatepass"))
    req = urllib.request.Request(base + path, method=method, data=data, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=120) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()
    except (urllib.error.URLError, ConnectionError, TimeoutError) as e:
        return -1, str(e).encode()


def main():
    quick = "--quick" in sys.argv
    subprocess_build()
    base_dir = tempfile.mkdtemp(prefix="steep-hostile-")
    statuses, failures, accepted = Counter(), [], []
    t0 = time.perf_counter()
    try:
        with SteepServer(os.path.join(base_dir, "serve"), SERVICES) as server:
            def judge(kind, name, status, answer, method, path):
                statuses[status] += 1
                text = answer.decode("utf-8", "replace")
                if status >= 500 or status < 0:
                    failures.append(f"{kind} {name}: {status} {text[:300]}")
                elif status >= 400 and any(s in text for s in STACK_SIGNS):
                    failures.append(f"{kind} {name}: {status} shows internals: {text[:300]}")
                elif status == 400 and method == "POST" and not text.strip():
                    failures.append(f"{kind} {name}: 400 without a message")
                elif status == 202 and method == "POST" and path == "/workflows":
                    try:
                        accepted.append(json.loads(text)["id"])
                    except (ValueError, KeyError, TypeError):
                        failures.append(f"{kind} {name}: 202 without a submission: {text[:300]}")

            def post(item):
                name, body = item
                results = []
                for path in ("/workflows", "/validate"):
                    ct = "application/json" if isinstance(body, str) and body.lstrip()[:1] in ("{", "[") else "application/yaml"
                    status, answer = send(server.base, "POST", path, body, {"Content-Type": ct})
                    results.append((name, path, status, answer))
                return results

            bodies = list(workflow_bodies(quick)) + list(special_bodies())
            with ThreadPoolExecutor(8) as pool:
                for results in pool.map(post, bodies):
                    for name, path, status, answer in results:
                        judge("POST " + path, name, status, answer, "POST", path)
            for sid in accepted:  # their service does nothing, but do not keep the machine busy
                send(server.base, "PUT", f"/workflows/{sid}", '{"status":"CANCELLED"}', {"Content-Type": "application/json"})

            # a real submission and chain to aim the queries at
            _, sub = server.call("POST", "/workflows", json.dumps(BASE))
            sid = sub["id"]
            cid = "none"
            for _ in range(200):
                chains = server.call("GET", f"/processchains?submissionId={sid}")[1]
                if chains:
                    cid = chains[0]["id"]
                    break
                time.sleep(0.05)
            requests = list(query_requests(sid, cid))
            with ThreadPoolExecutor(8) as pool:
                for (method, path, body, headers), (status, answer) in zip(
                        requests, pool.map(lambda r: send(server.base, *r), requests)):
                    judge(method, path[:120], status, answer, method, path)

            health = send(server.base, "GET", "/health", None, {})[0]
            peak = server.peak_rss_mib()
            median, worst = server.health_ms()
        total = sum(statuses.values())
        print(f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}; steep: {STEEP}")
        print(f"{len(bodies)} workflow bodies (each to POST /workflows and POST /validate) and {len(requests)} other "
              f"requests: {total} answers in {time.perf_counter() - t0:.0f} s")
        print("status codes: " + ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items())))
        print(f"accepted and cancelled: {len(accepted)}; /health at the end: {health}; /health while probed: median "
              f"{median:.1f} ms, worst {worst:.1f} ms; peak memory {peak:.0f} MiB")
        for f in failures[:50]:
            print("FAIL " + f)
        ok = not failures and health == 200 and peak < 1024
        # many requests at once (8 in flight) compete with /health here: its bound is reported, not a condition
        print(f"{'PASS' if worst <= 100 else 'FAIL'}: /health answered within {worst:.1f} ms at worst while probed (the bound is 100 ms)")
        print(f"{'PASS' if ok else 'FAIL'}: {len(failures)} answers were 5xx, showed internals or said nothing")
        sys.exit(0 if ok else 1)
    finally:
        shutil.rmtree(base_dir, ignore_errors=True)


def subprocess_build():
    import subprocess
    subprocess.run([STEEP, "--help"], stdout=subprocess.DEVNULL, check=True)  # build once, outside the probe


if __name__ == "__main__":
    main()
