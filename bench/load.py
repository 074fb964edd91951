"""Load with wrk (Debian's package): installing it, running it, reading its report."""

import os
import re
import shutil
import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

THREADS = 2
CONNECTIONS = 8
# wrk's default (2 s) would count a slow page as a socket error: errors here mean errors, slowness
# shows in the latencies.
TIMEOUT_SECONDS = 10
UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


@dataclass
class WrkResult:
    requests: int  # completed in the run (requests still in flight at the end are not counted)
    seconds: float
    requests_per_second: float
    p50_ms: float
    p75_ms: float
    p90_ms: float
    p99_ms: float
    socket_errors: int
    non_2xx_3xx: int

    def as_dict(self):
        return asdict(self)


def ensure_wrk():
    """The path of wrk, installed with apt-get when missing and running as root."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() != 0:
        sys.exit("wrk is missing: install Debian's package (sudo apt-get install wrk) and rerun.")
    print("Installing wrk (Debian package)...", flush=True)
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True)
    found = shutil.which("wrk")
    if not found:
        sys.exit("apt-get installed no wrk executable; install wrk and rerun.")
    return found


def wrk_version(wrk):
    run = subprocess.run([wrk, "-v"], capture_output=True, text=True)
    match = re.search(r"wrk (\S+)", run.stdout + run.stderr)
    return match.group(1) if match else "unknown"


def _milliseconds(value):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return round(float(number) * UNITS_MS[unit], 2)


def parse(output):
    """A WrkResult from wrk --latency's report."""
    latency = dict(re.findall(r"^\s+(50|75|90|99)%\s+(\S+)\s*$", output, re.MULTILINE))
    done = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m),", output)
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if len(latency) < 4 or not (done and rate):
        raise ValueError(f"Unexpected wrk output:\n{output}")
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return WrkResult(
        requests=int(done.group(1)),
        seconds=_milliseconds(done.group(2) + done.group(3)) / 1000,
        requests_per_second=float(rate.group(1)),
        p50_ms=_milliseconds(latency["50"]),
        p75_ms=_milliseconds(latency["75"]),
        p90_ms=_milliseconds(latency["90"]),
        p99_ms=_milliseconds(latency["99"]),
        socket_errors=sum(int(n) for n in errors.groups()) if errors else 0,
        non_2xx_3xx=int(non_2xx.group(1)) if non_2xx else 0,
    )


def run(wrk, port, host, path, seconds, script=None, script_args=()):
    """One wrk run against 127.0.0.1:port with this Host header."""
    command = [
        wrk,
        f"-t{THREADS}",
        f"-c{CONNECTIONS}",
        f"-d{seconds}s",
        f"--timeout={TIMEOUT_SECONDS}s",
        "--latency",
        "-H",
        f"Host: {host}",
    ]
    if script:
        command += ["-s", str(Path(script))]
    command.append(f"http://127.0.0.1:{port}{path}")
    if script_args:
        command += ["--", *script_args]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return parse(output)
