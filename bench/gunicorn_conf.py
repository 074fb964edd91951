"""gunicorn hooks for the benchmark (bench/server.py): each worker leaves its pid in
BENCH_READY_DIR once the application is loaded, so that load starts when every worker answers,
not when the first one does (loading Wagtail takes seconds on a busy machine)."""

import os
from pathlib import Path


def post_worker_init(worker):
    ready_dir = os.environ.get("BENCH_READY_DIR")
    if ready_dir:
        Path(ready_dir, str(worker.pid)).touch()
