"""Benchmark of the HTTP API on a 10,000-endpoint configuration (run by hand; loopback only).

    .venv/bin/python bench/serve.py [N]

1. Requests per second of `/pjsip/endpoints/<id>` and `/pjsip/endpoints` under waitress, against a
   trivial Flask route under waitress with the same settings (target: detail >= 80% of trivial).
2. Seconds from saving a one-line edit of the configuration to the new value being served by
   `pjsipconf serve` (target: under 1 s, debounce included).
Every loop is bounded; both servers are child processes on 127.0.0.1 and are stopped at the end.
"""

from __future__ import annotations

import http.client
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from generate import FIRST_EXTENSION, PER_FILE, generate  # noqa: E402

THREADS = 4  # client threads (= server threads)
TRIVIAL_APP = """
import sys
from flask import Flask
from waitress import create_server
app = Flask("trivial")
@app.get("/ping")
def ping():
    return app.response_class(b'{"ok": true}', mimetype="application/json")
server = create_server(app, host="127.0.0.1", port=0, threads=int(sys.argv[1]))
print(f"serving http://127.0.0.1:{server.effective_port}/ trivial", file=sys.stderr, flush=True)
server.run()
"""


class Child:
    """A server child process; waits for its `serving http://host:port/` line on stderr."""

    def __init__(self, argv: list[str], timeout: float = 300.0) -> None:
        self.process = subprocess.Popen(argv, cwd=ROOT, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
        self.port = 0
        self.rebuilds: list[str] = []  # the server's own "view rebuilt in ..." log lines
        found = threading.Event()

        def read() -> None:
            assert self.process.stderr is not None
            for line in self.process.stderr:
                if "view rebuilt in" in line:
                    self.rebuilds.append(line.split("view rebuilt in", 1)[1].strip())
                if "serving http://" in line and not found.is_set():
                    self.port = int(line.split("serving http://", 1)[1].split("/", 1)[0].rsplit(":", 1)[1])
                    found.set()

        threading.Thread(target=read, daemon=True).start()
        if not found.wait(timeout):
            self.stop()
            raise SystemExit(f"server did not start: {argv}")

    def wait_idle(self, timeout: float = 300.0) -> None:
        """Until the server logged its first rebuild line, which it writes once its checks are done."""
        deadline = time.monotonic() + timeout
        while not self.rebuilds and time.monotonic() < deadline:
            time.sleep(0.1)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def requests_per_second(port: int, paths: list[str], per_thread: int) -> float:
    """`THREADS` keep-alive clients, each sending `per_thread` GETs; total requests / wall time."""
    errors: list[str] = []

    def client(offset: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for i in range(per_thread):
            connection.request("GET", paths[(offset + i) % len(paths)])
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                errors.append(f"{response.status} {paths[(offset + i) % len(paths)]}")
        connection.close()

    workers = [threading.Thread(target=client, args=(n * 7919,)) for n in range(THREADS)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise SystemExit(f"errors: {errors[:3]}")
    return THREADS * per_thread / elapsed


def get_json(port: int, path: str) -> dict:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path)
    body = json.loads(connection.getresponse().read())
    connection.close()
    return body


def edit_to_served(port: int, config: Path, n: int, rounds: int = 5) -> list[float]:
    """Rewrite one callerid line, then poll the endpoint until the new value is served."""
    extension = FIRST_EXTENSION + n // 2
    chunk = config / "pjsip.extensions.d" / f"extensions-{(n // 2) // PER_FILE:04d}.conf"
    original = f'callerid="Extension {extension}" <{extension}>'
    times = []
    for round_ in range(rounds):
        text = chunk.read_text()
        current = original if round_ == 0 else f'callerid="Edited {round_ - 1}" <{extension}>'
        edited = text.replace(current, f'callerid="Edited {round_}" <{extension}>', 1)
        wanted = f'"Edited {round_}" <{extension}>'
        time.sleep(0.5)  # let the previous rebuild settle
        started = time.perf_counter()
        chunk.write_text(edited)
        deadline = started + 30
        while time.perf_counter() < deadline:
            if get_json(port, f"/pjsip/endpoints/{extension}")["result"]["caller_id"] == wanted:
                times.append(time.perf_counter() - started)
                break
            time.sleep(0.005)
        else:
            raise SystemExit("the edit was not served within 30 s")
    return times


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    python = sys.executable
    with tempfile.TemporaryDirectory(prefix="pjsipconf-bench-") as tmp:
        config = Path(tmp) / "asterisk"
        generate(config, n)
        started = time.perf_counter()
        api = Child([python, "-m", "pjsipconf", "serve", "--config-dir", str(config), "--port", "0",
                     "--threads", str(THREADS)])
        print(f"{n} endpoints: serve started (first build) in {time.perf_counter() - started:.2f} s")
        trivial = Child([python, "-c", TRIVIAL_APP, str(THREADS)])
        try:
            api.wait_idle()  # the first build's checks run in the background: measure a quiet server
            ids = [str(FIRST_EXTENSION + i) for i in range(0, n, max(1, n // 1000))]
            detail_paths = [f"/pjsip/endpoints/{i}" for i in ids]
            requests_per_second(trivial.port, ["/ping"], 200)  # warm up
            requests_per_second(api.port, detail_paths, 200)
            trivial_rps = statistics.median(requests_per_second(trivial.port, ["/ping"], 1500) for _ in range(3))
            detail_rps = statistics.median(requests_per_second(api.port, detail_paths, 1500) for _ in range(3))
            list_rps = requests_per_second(api.port, ["/pjsip/endpoints"], 3)
            size = len(json.dumps(get_json(api.port, "/pjsip/endpoints")))
            print(f"trivial Flask route:        {trivial_rps:8.0f} req/s")
            print(f"/pjsip/endpoints/<id>:      {detail_rps:8.0f} req/s  ({detail_rps / trivial_rps:.0%} of trivial; target >= 80%)")
            print(f"/pjsip/endpoints (list):    {list_rps:8.1f} req/s  ({size / 1e6:.1f} MB each)")
            latencies = edit_to_served(api.port, config, n)
            print("edit -> served:            " + ", ".join(f"{t:.3f}" for t in latencies)
                  + f" s  (median {statistics.median(latencies):.3f} s; target < 1 s incl. debounce 0.2 s)")
            time.sleep(1.5)  # let the last rebuild log its timing
            for line in api.rebuilds[-len(latencies):]:
                print(f"  server: view rebuilt in {line}")
        finally:
            api.stop()
            trivial.stop()


if __name__ == "__main__":
    main()
