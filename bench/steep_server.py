"""A `./steep serve` for the Python benchmarks and probes: started on free ports with its own data directory, waited
for until `/health` answers, `/health` polled in the background, memory read from /proc, stopped with SIGTERM.

    with SteepServer(folder, services_yaml) as server:
        took, submission = server.call("POST", "/workflows", body)
        ...
    server.health_ms()   # median and worst /health answer while it ran

`STEEP_BENCH_BINARY=<built steep>` runs that binary instead of the launcher.
"""
import json, os, signal, socket, statistics, subprocess, sys, threading, time, urllib.error, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STEEP = os.environ.get("STEEP_BENCH_BINARY") or os.path.join(ROOT, "steep")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def content_type(body):
    return "application/json" if body and body.lstrip()[:1] in ("{", "[") else "application/yaml"


def call(base, method, path, body=None, timeout=120):
    """(seconds, parsed JSON answer or None); raises urllib's errors for non-2xx answers."""
    data = None if body is None else (body if isinstance(body, bytes) else body.encode())
    req = urllib.request.Request(base + path, method=method, data=data,
                                 headers={"Content-Type": content_type(body if isinstance(body, str) else "")})
    t = time.perf_counter()
    with urllib.request.urlopen(req, timeout=timeout) as r:
        answer = r.read()
    return time.perf_counter() - t, json.loads(answer) if answer else None


def _status_kib(pid, key):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def peak_rss_mib(pid):
    return _status_kib(pid, "VmHWM")


def rss_mib(pid):
    return _status_kib(pid, "VmRSS")


def noop_services(*parameters):
    """Service metadata (YAML) of one service, `noop`, which runs `true`: `parameters` are its parameters, each a
    flow-style YAML map such as "{id: item, name: Item, description: ignored, type: input, cardinality: 1..1}"."""
    return ('- id: noop\n  name: noop\n  description: Does nothing\n  path: "true"\n  runtime: other\n  parameters:\n'
            + "".join(f"    - {p}\n" for p in parameters))


class SteepServer:
    """One `steep serve` (2 agents by default) on 127.0.0.1, with a `/health` poller every 50 ms."""

    def __init__(self, folder, services_yaml, agents=2, extra_env=None, poll_health=True):
        os.makedirs(folder, exist_ok=True)
        self.services = os.path.join(folder, "services.yaml")
        with open(self.services, "w") as f:
            f.write(services_yaml)
        self.data = os.path.join(folder, "data")
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.health = []
        self._stop = threading.Event()
        self._poll_health = poll_health
        self._poller = None
        env = dict(os.environ, STEEP_CLUSTER_GATEWAYPORT=str(free_port()), **(extra_env or {}))
        self.process = subprocess.Popen(
            [STEEP, "serve", "--port", str(self.port), "--data", self.data, "--services", self.services,
             "--agents", str(agents)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)

    def __enter__(self):
        deadline = time.time() + 120
        while True:
            try:
                self.call("GET", "/health", timeout=2)
                break
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError(f"steep serve exited with {self.process.returncode} before answering /health")
                if time.time() > deadline:
                    raise RuntimeError("steep serve did not answer /health within 120 s")
                time.sleep(0.1)
        if self._poll_health:
            self._poller = threading.Thread(target=self._poll, daemon=True)
            self._poller.start()
        return self

    def __exit__(self, *_):
        self._stop.set()
        if self.process.poll() is None:
            self.terminate(timeout=30)

    # The poller is a process of its own: a thread here would wait for the interpreter lock while the benchmark's own
    # threads build megabyte bodies, and count that wait as the server's (the hostile probe's worst /health answers were
    # 200-440 ms from a thread and are not from a process).
    _POLLER = """
import http.client, sys, time
host, port = sys.argv[1], int(sys.argv[2])
while True:
    t = time.perf_counter()
    try:
        c = http.client.HTTPConnection(host, port, timeout=10)
        c.request("GET", "/health")
        c.getresponse().read()
        c.close()
        print(time.perf_counter() - t, flush=True)
    except OSError:
        print(10.0, flush=True)
    time.sleep(0.05)
"""

    def _poll(self):
        poller = subprocess.Popen([sys.executable, "-c", self._POLLER, "127.0.0.1", str(self.port)],
                                  stdout=subprocess.PIPE, text=True)
        try:
            for line in poller.stdout:
                self.health.append(float(line))
                if self._stop.is_set():
                    break
        finally:
            poller.kill()
            poller.wait()

    def call(self, method, path, body=None, timeout=120):
        return call(self.base, method, path, body, timeout)

    def stop_polling(self):
        """Stops the /health poller and waits for its last answer (a request still out when the server is stopped
        would count as a 10 s failure)."""
        self._stop.set()
        if self._poller is not None:
            self._poller.join(timeout=15)

    def health_ms(self):
        """(median, worst) of the /health answers so far, in milliseconds."""
        h = list(self.health) or [float("nan")]
        return 1000 * statistics.median(h), 1000 * max(h)

    def peak_rss_mib(self):
        return peak_rss_mib(self.process.pid)

    def rss_mib(self):
        return rss_mib(self.process.pid)

    def terminate(self, timeout=120):
        """SIGTERM, then wait; seconds it took (SIGKILL and an exception when it did not end within timeout)."""
        t = time.perf_counter()
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise
        return time.perf_counter() - t
