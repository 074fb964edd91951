"""gunicorn for the benchmark: 2 sync workers on 127.0.0.1, a free port, output to a log file;
started in its own process group so that stopping it never leaves a worker behind."""

import http.client
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

WORKERS = 2
START_TIMEOUT = 120  # seconds
HOOKS = Path(__file__).resolve().with_name("gunicorn_conf.py")


class ServerFailed(RuntimeError):
    """gunicorn did not start or did not answer."""


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def gunicorn_command(app, port, pythonpath=None):
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        app,
        "--workers",
        str(WORKERS),
        "--worker-class",
        "sync",
        "--bind",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
        "--config",
        str(HOOKS),
    ]
    if pythonpath:
        command += ["--pythonpath", str(pythonpath)]
    return command


def answers(port, host, path):
    """The status of GET path with this Host header, or None when nothing answers."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", path, headers={"Host": host})
        return connection.getresponse().status
    except OSError:
        return None
    finally:
        connection.close()


def drain(port, host, path="/healthz", timeout=300):
    """Wait until the server has served what a finished wrk run left queued: sync workers still
    render the requests of connections wrk closed (up to one per connection), which would
    otherwise slow down the next run. A request sent now is served after them."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Host": host})
        connection.getresponse().read()
    finally:
        connection.close()


def wait_until_ready(process, port, host, path, log_path, ready_dir):
    """Every worker has loaded the application (gunicorn_conf.py) and GET path answers 200."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerFailed(f"gunicorn exited ({process.returncode}); see {log_path}")
        if len(list(Path(ready_dir).iterdir())) >= WORKERS:
            status = answers(port, host, path)
            if status == 200:
                return
            if status is not None:
                raise ServerFailed(f"gunicorn answered {status} to {path}; see {log_path}")
        time.sleep(0.2)
    raise ServerFailed(f"gunicorn was not ready within {START_TIMEOUT} s; see {log_path}")


def stop(process):
    """SIGTERM to the process group (master and workers), SIGKILL if it lingers."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@contextmanager
def gunicorn(app, env, log_path, ready_host, ready_path, cwd, pythonpath=None):
    """Yield (process, port) of a running gunicorn; always stopped on the way out."""
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="gunicorn-ready-") as ready_dir:
        with open(log_path, "ab") as log:
            process = subprocess.Popen(
                gunicorn_command(app, port, pythonpath),
                cwd=cwd,
                env={**env, "BENCH_READY_DIR": ready_dir},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            wait_until_ready(process, port, ready_host, ready_path, log_path, ready_dir)
            yield process, port
        finally:
            stop(process)


def worker_pids(master_pid):
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rpartition(")")[2].split()[1])  # the name in parentheses may hold spaces
        if parent == master_pid:
            pids.append(int(entry.name))
    return sorted(pids)


def peak_rss_mb(pid):
    """VmHWM (peak resident set size) of a process, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return None


def workers_peak_rss(master_pid):
    return [peak_rss_mb(pid) for pid in worker_pids(master_pid)]
