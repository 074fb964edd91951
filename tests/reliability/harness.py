"""A small deployment for the flood and fault tests: a scratch PostgreSQL database seeded with a
network, gunicorn (2 sync workers, production settings), the task worker, a local SMTP sink and a
Gravatar stub; and clients that post from many loopback addresses (127.0.0.0/8 is all local, so
each thread can bind its own source address and the server sees distinct REMOTE_ADDRs).

gunicorn, the seed and the wait-until-ready logic are the benchmark's (bench/server.py,
bench/seed.py), so that the two exercise the same deployment.
"""

import http.client
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlencode

import psycopg2

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "bench"
RESULTS = ROOT / "bench" / "results" / "reliability.json"
SCRATCH = "maillage_reliability"
LOCAL_REDIS = "redis://127.0.0.1:6379/14"
RATE_WINDOW = 3600  # seconds

sys.path.insert(0, str(BENCH))
import server  # noqa: E402  (bench/server.py)
from run import database_url, psql, redis_answers  # noqa: E402  (bench/run.py)

# --- PostgreSQL, stopped and started ---------------------------------------------------------


def postgres_cluster():
    """(version, name) of the local cluster pg_ctlcluster manages, or None."""
    if not shutil.which("pg_ctlcluster") or not Path("/etc/postgresql").is_dir():
        return None
    versions = sorted(os.listdir("/etc/postgresql"))
    return (versions[-1], "main") if versions else None


def pg_ctl(action):
    version, name = postgres_cluster()
    command = ["pg_ctlcluster", "--skip-systemctl-redirect", version, name, action]
    if action == "stop":
        command += ["-m", "fast"]
    subprocess.run(command, check=True, capture_output=True)


def wait_for_postgres(server_url, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            psycopg2.connect(database_url(server_url, "postgres"), connect_timeout=2).close()
            return
        except psycopg2.OperationalError:
            time.sleep(0.3)
    raise RuntimeError(f"PostgreSQL did not come back within {timeout} s")


# --- the SMTP sink and the Gravatar stub --------------------------------------------------------


class SMTPSink:
    """aiosmtpd on a fixed port, stopped and started at will; keeps every message it accepts."""

    def __init__(self):
        self.port = server.free_port()
        self.messages = []
        self.controller = None

    def start(self):
        from aiosmtpd.controller import Controller

        sink = self

        class Handler:
            async def handle_DATA(self, smtp_server, session, envelope):  # noqa: N802
                sink.messages.append(envelope)
                return "250 Message accepted"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def to(self, address):
        return [m for m in self.messages if address in m.rcpt_tos]


class HangingGravatar:
    """An HTTP server that answers nothing for `hang` seconds: Gravatar timing out."""

    def __init__(self, hang=30):
        hang_for = hang

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                time.sleep(hang_for)
                self.send_response(404)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.block_on_close = False  # stopping does not wait for the hanging answers
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/avatar/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def start(self):
        self.thread.start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


# --- clients --------------------------------------------------------------------------------------


@dataclass
class Answer:
    status: object  # an int, or "connection error"
    location: str = ""
    body: bytes = b""
    seconds: float = 0.0


def request(port, host, method, path, body=None, headers=None, source=None, timeout=60):
    """One HTTP request on its own connection, from the loopback address `source`."""
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=timeout, source_address=(source, 0) if source else None
    )
    started = time.monotonic()
    try:
        connection.request(method, path, body=body, headers={"Host": host, **(headers or {})})
        response = connection.getresponse()
        content = response.read()
        return Answer(
            response.status,
            response.getheader("Location", ""),
            content,
            time.monotonic() - started,
        )
    except OSError:
        return Answer("connection error", seconds=time.monotonic() - started)
    finally:
        connection.close()


def client_address(n):
    """The n-th client's loopback address (127.0.1.0 up): never 127.0.0.1, the test's own."""
    return f"127.0.{1 + n // 250}.{n % 250 + 1}"


def fresh_window(needed=180):
    """Wait, if need be, so that the next `needed` seconds fall in one rate-limit window: the
    limit counts per fixed window (comments.throttle), and a run straddling two would see every
    address's count start again halfway."""
    left = RATE_WINDOW - time.time() % RATE_WINDOW
    if left < needed:
        time.sleep(left + 1)


def csrf_token():
    return secrets.token_hex(16)  # 32 characters: Django accepts an unmasked secret


def comment_form(target, body, *, name="Visiteuse", email="visiteuse@example.org", **extra):
    """A comment as a visitor sends it: signed timestamp a minute old, empty honeypot."""
    from comments.forms import signed_timestamp

    token = csrf_token()
    fields = {
        "name": name,
        "email": email,
        "url": "",
        "website_confirm": "",
        "timestamp": signed_timestamp(now=time.time() - 60),
        "next": target["path"],
        "body": body,
        "csrfmiddlewaretoken": token,
        **extra,
    }
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"csrftoken={token}",
    }
    return urlencode(fields), headers


# --- the deployment ------------------------------------------------------------------------------


@dataclass
class Deployment:
    server_url: str
    env: dict
    spec: dict
    work: Path
    smtp: SMTPSink
    gravatar: HangingGravatar
    port: int = 0
    gunicorn: object = None
    worker: object = None
    results: dict = field(default_factory=dict)

    @property
    def url(self):
        return database_url(self.server_url, SCRATCH)

    @property
    def host(self):
        """The site of the commented post."""
        return self.spec["target"]

    @property
    def target(self):
        return self.spec["comment_target"]

    def pages(self):
        """(host, path) of the seeded network's pages: a blog, posts, a shared post, the news."""
        hosts = {"shared_post": self.spec["target"], "news": self.spec["head"]}
        for name, path in self.spec["pages"].items():
            yield hosts.get(name, self.spec["site"]), path
        yield self.spec["target"], self.target["path"]

    def post_comment(self, body, source=None, **fields):
        data, headers = comment_form(self.target, body, **fields)
        return request(
            self.port,
            self.host,
            "POST",
            f"/comments/post/{self.target['page_id']}/",
            data,
            headers,
            source,
        )

    def get(self, path, host=None, **kwargs):
        return request(self.port, host or self.host, "GET", path, **kwargs)

    def sql(self, query, *params):
        connection = psycopg2.connect(self.url, connect_timeout=5)
        try:
            with connection, connection.cursor() as cursor:
                cursor.execute(query, params)
                return cursor.fetchall()
        finally:
            connection.close()

    def stored(self, marker):
        """{body: rows} of the comments on the target page whose body holds the marker."""
        rows = self.sql(
            "SELECT body, count(*) FROM comments_comment WHERE page_id = %s AND body LIKE %s "
            "GROUP BY body",
            self.target["page_id"],
            f"%{marker}%",
        )
        return dict(rows)

    def worker_pids(self):
        return server.worker_pids(self.gunicorn.pid)

    def served(self, source):
        """[(worker pid, status)] of every request from the address, from the access log."""
        lines = (self.work / "access.log").read_text().splitlines()
        return [
            (pid.strip("<>"), int(status))
            for pid, host, _method, status, _path in (line.split() for line in lines)
            if host == source
        ]

    def record(self, name, figures):
        """Keep a run's figures for the README (bench/results/reliability.json)."""
        self.results[name] = figures


def manage(env, *command, check=True):
    return subprocess.run(
        [sys.executable, "manage.py", *command],
        cwd=ROOT,
        env=env,
        check=check,
        capture_output=True,
        text=True,
    )


def deployment_env(server_url, smtp, gravatar, static_root):
    from django.conf import settings

    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "MAILLAGE_", "COMMENTS_", "PYTEST_", "EMAIL_"))
        and key not in ("REDIS_URL", "DEBUG", "DATABASE_URL")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="hub.settings.production",
        # The test signs comment forms' timestamps with it (comments.forms.signed_timestamp).
        SECRET_KEY=settings.SECRET_KEY,
        DATABASE_URL=database_url(server_url, SCRATCH),
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        SECURE_HSTS_SECONDS="0",
        CONN_MAX_AGE="600",
        LOG_LEVEL="WARNING",
        TASKS_BACKEND="database",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp.port),
        EMAIL_USE_TLS="0",
        COMMENTS_GRAVATAR_URL=gravatar.url,
        COMMENTS_MAIL_RETRY_DELAY="1",
        # Fixed windows of an hour (the default is 10 minutes): see fresh_window().
        COMMENTS_RATE_LIMIT=f"5/{RATE_WINDOW // 60}m",
        STATIC_ROOT=str(static_root),
    )
    # The shared cache: the database's (the embedded default, where counting at once from two
    # workers is the harder case) unless RELIABILITY_CACHE=redis asks for Redis.
    if os.environ.get("RELIABILITY_CACHE") == "redis":
        if not redis_answers():
            raise RuntimeError("RELIABILITY_CACHE=redis, but nothing answers on 127.0.0.1:6379")
        env["REDIS_URL"] = LOCAL_REDIS
    return env


def flush_redis():
    if os.environ.get("RELIABILITY_CACHE") == "redis":
        import redis

        redis.Redis.from_url(LOCAL_REDIS).flushdb()


@contextmanager
def deployment(server_url, work):
    """Build everything, yield the Deployment, tear everything down (and drop the database)."""
    work.mkdir(parents=True, exist_ok=True)
    smtp = SMTPSink()
    gravatar = HangingGravatar()
    env = deployment_env(server_url, smtp, gravatar, work / "static")
    psql(server_url, f'DROP DATABASE IF EXISTS "{SCRATCH}" WITH (FORCE)')
    psql(server_url, f'CREATE DATABASE "{SCRATCH}"')
    flush_redis()
    smtp.start()
    gravatar.start()
    worker = None
    try:
        manage(env, "migrate", "--no-input", "-v0")
        manage(env, "collectstatic", "--no-input", "-v0")
        spec_path = work / "spec.json"
        subprocess.run(
            [
                sys.executable,
                str(BENCH / "seed.py"),
                "--sites=3",
                "--posts=4",
                "--comments=2",
                f"--json={spec_path}",
            ],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
        spec = json.loads(spec_path.read_text())
        env["ALLOWED_HOSTS"] = ",".join(spec["sites"])
        worker = subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--interval=0.2",
                "--no-startup-delay",
            ],
            cwd=ROOT,
            env=env,
            stdout=open(work / "db_worker.log", "ab"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        # The access log names the worker (pid) that answered each client address.
        access_log = work / "access.log"
        gunicorn_env = {
            **env,
            "GUNICORN_CMD_ARGS": f"--access-logfile {access_log} "
            "--access-logformat '%(p)s %(h)s %(m)s %(s)s %(U)s'",
        }
        with server.gunicorn(
            "hub.wsgi:application",
            gunicorn_env,
            work / "gunicorn.log",
            spec["site"],
            "/healthz",
            ROOT,
        ) as (process, port):
            yield Deployment(server_url, env, spec, work, smtp, gravatar, port, process, worker)
    finally:
        if worker is not None:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(timeout=20)
        smtp.stop()
        gravatar.stop()
        flush_redis()
        psql(server_url, f'DROP DATABASE IF EXISTS "{SCRATCH}" WITH (FORCE)')
