"""Outages, while the deployment keeps serving: PostgreSQL stopped for a few seconds under load,
the SMTP server refusing mail, Gravatar hanging. Nothing is lost or half-written, and everything
recovers without restarting the application."""

import re
import threading
import time
import uuid
from collections import Counter

import pytest

from . import harness

OUTAGE_SECONDS = 5


def accepted(answer):
    return answer.status in (302, 303)


class Load:
    """Visitors reading pages and posting comments in a loop, until stopped."""

    def __init__(self, deployment, marker):
        self.deployment = deployment
        self.marker = marker
        self.answers = []  # (time, kind, body or path, Answer)
        self.running = True
        self.threads = [threading.Thread(target=self.read, args=(n,)) for n in range(3)]
        self.threads.append(threading.Thread(target=self.post))

    def read(self, n):
        pages = list(self.deployment.pages())
        k = 0
        while self.running:
            host, path = pages[(n + k) % len(pages)]
            answer = self.deployment.get(path, host=host, timeout=30)
            self.answers.append((time.monotonic(), "page", path, answer))
            k += 1
            time.sleep(0.02)

    def post(self):
        k = 0
        while self.running:
            body = f"Commentaire {self.marker}-{k}"
            answer = self.deployment.post_comment(
                body, source=harness.client_address(2000 + k // 4), email=f"charge{k}@example.org"
            )
            self.answers.append((time.monotonic(), "post", body, answer))
            k += 1
            time.sleep(0.05)

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.running = False
        for thread in self.threads:
            thread.join()


def wait_for(predicate, timeout, interval=0.25):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


@pytest.fixture
def postgres_cluster(deployment):
    if harness.postgres_cluster() is None:
        pytest.skip("no local PostgreSQL cluster that pg_ctlcluster can stop and start")
    yield
    # Whatever happened in the test, the server runs again afterwards.
    if not wait_for(lambda: deployment.get("/healthz").status == 200, 1, 0.5):
        harness.pg_ctl("start")
        harness.wait_for_postgres(deployment.server_url)


def test_postgresql_outage_answers_503_loses_nothing_and_recovers_by_itself(
    deployment, postgres_cluster
):
    marker = f"outage-{uuid.uuid4().hex[:8]}"
    workers_before = deployment.worker_pids()
    during = []  # /healthz and an uncached page while the database is down
    static_during = []  # the stylesheet those pages link to
    with Load(deployment, marker) as load:
        time.sleep(2)
        stopped_at = time.monotonic()
        harness.pg_ctl("stop")
        try:
            while time.monotonic() - stopped_at < OUTAGE_SECONDS:
                during.append(("healthz", deployment.get("/healthz")))
                page = deployment.get(f"/?outage={uuid.uuid4().hex}", timeout=30)
                during.append(("page", page))
                found = re.search(rb'href="(/static/css/[^"]+)"', page.body)
                if found:
                    static_during.append(deployment.get(found.group(1).decode()).status)
                time.sleep(0.2)
        finally:
            harness.pg_ctl("start")
            started_at = time.monotonic()
        harness.wait_for_postgres(deployment.server_url)
        recovered = wait_for(lambda: deployment.get("/healthz").status == 200, 30)
        recovery_seconds = time.monotonic() - started_at
        time.sleep(2)  # the load goes on after recovery
    answers = load.answers

    # While down: /healthz says 503, pages answer the error page (never a hang or a reset).
    health = Counter(a.status for kind, a in during if kind == "healthz")
    pages_down = [a for kind, a in during if kind == "page"]
    assert health[503] >= 3, health
    assert set(health) <= {200, 503}, health  # 200: answered just before the stop took effect
    stylesheets = set()
    for answer in pages_down:
        assert answer.status in (200, 503), answer.status
        if answer.status == 503:
            html = answer.body.decode()
            assert "Service momentanément indisponible" in html, html[:300]
            stylesheet = re.search(r'href="(/static/css/maillage[^"]*\.css)"', html)
            assert stylesheet, html[:500]  # the network's stylesheet, served without the database
            stylesheets.add(stylesheet.group(1))
    assert any(a.status == 503 for a in pages_down)
    assert all(status == 200 for status in static_during), static_during
    # Every answer under load was a page, a 503 or a redirect after a comment: no 500, no reset.
    statuses = Counter(a.status for _t, _kind, _what, a in answers)
    assert set(statuses) <= {200, 302, 303, 503}, statuses
    # Recovery without restarting the application: same workers, everything answers again.
    assert recovered, "the application did not recover within 30 s of PostgreSQL's start"
    assert deployment.worker_pids() == workers_before
    assert deployment.worker.poll() is None, "the task worker exited during the outage"
    for host, path in deployment.pages():
        assert deployment.get(path, host=host).status == 200, (host, path)
    after = f"Après la panne {uuid.uuid4().hex}"
    answer = deployment.post_comment(after, source=harness.client_address(3000))
    assert accepted(answer), answer.status
    assert deployment.stored(after) == {after: 1}
    # No partial data: each accepted comment stored once, each refused one not at all.
    stored = deployment.stored(marker)
    posts = [(body, a) for _t, kind, body, a in answers if kind == "post"]
    for body, answer in posts:
        expected = 1 if accepted(answer) else None
        assert stored.get(body) == expected, (body, answer.status, stored.get(body))
    orphans = deployment.sql(
        "SELECT count(*) FROM comments_comment WHERE body LIKE %s "
        "AND (author_name = '' OR email = '' OR page_id IS NULL)",
        f"%{marker}%",
    )[0][0]
    assert orphans == 0

    deployment.record(
        "postgresql_outage",
        {
            "outage_seconds": OUTAGE_SECONDS,
            "requests": len(answers) + len(during),
            "answers_under_load": {str(s): c for s, c in sorted(statuses.items(), key=str)},
            "healthz_while_down": {str(s): c for s, c in health.items()},
            "comments_sent": len(posts),
            "comments_accepted": sum(1 for _b, a in posts if accepted(a)),
            "comments_stored": sum(stored.values()),
            "comments_refused_503": sum(1 for _b, a in posts if a.status == 503),
            "errors_500": statuses.get(500, 0),
            "seconds_from_start_to_healthy": round(recovery_seconds, 1),
            "workers_restarted": 0,
        },
    )


def test_mail_outage_leaves_comments_alone_and_the_notification_is_delivered_later(deployment):
    address = f"abonnee-{uuid.uuid4().hex[:8]}@example.org"
    deployment.smtp.stop()
    try:
        answer = deployment.post_comment(
            f"Prévenez-moi {address}",
            source=harness.client_address(4000),
            email=address,
            notify="on",
        )
        assert accepted(answer), answer.status
        assert sum(deployment.stored(address).values()) == 1

        # The worker tries, fails and schedules a retry.
        def retries():
            rows = deployment.sql(
                "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE task_path LIKE %s",
                "%send_confirmation%",
            )
            return rows[0][0] >= 2  # the first attempt, and the retry it enqueued

        assert wait_for(retries, 30), "no retry was scheduled"
        assert deployment.smtp.to(address) == []
    finally:
        deployment.smtp.start()
    assert wait_for(lambda: deployment.smtp.to(address), 60), "never delivered"
    time.sleep(3)  # no second copy follows
    assert len(deployment.smtp.to(address)) == 1
    deployment.record("smtp_outage", {"comments_stored": 1, "mails_delivered_after_restart": 1})


def test_a_hanging_gravatar_does_not_hold_the_page_or_the_avatar(deployment):
    marker = f"gravatar-{uuid.uuid4().hex[:8]}"
    answer = deployment.post_comment(
        f"Avec Gravatar {marker}",
        source=harness.client_address(5000),
        email=f"{marker}@example.org",
        use_gravatar="on",
    )
    assert accepted(answer), answer.status
    deployment.sql(
        "UPDATE comments_comment SET status = 'approved' WHERE body LIKE %s RETURNING id",
        f"%{marker}%",
    )
    # Her consent, as the link mailed to her address gives it (the ticked box alone does not).
    deployment.sql(
        "INSERT INTO comments_confirmedemail (email, confirmed_at, gravatar_since) "
        "VALUES (%s, now(), now()) RETURNING id",
        f"{marker}@example.org",
    )
    page = deployment.get(f"{deployment.target['path']}?v={marker}")
    assert page.status == 200
    html = page.body.decode()
    avatars = re.findall(r'src="(/comments/avatar/[^"]+)"', html)
    assert avatars, "no avatar on the page"
    timeout = 2.0  # COMMENTS_GRAVATAR_TIMEOUT's default
    slowest = 0.0
    for src in set(avatars):
        avatar = deployment.get(src.replace("&amp;", "&"), timeout=30)
        assert avatar.status == 200, (src, avatar.status)
        slowest = max(slowest, avatar.seconds)
    assert slowest < timeout + 1.0, slowest
    assert slowest >= timeout - 0.5, slowest  # the server did try Gravatar, and gave up in time
    assert page.seconds < 2.0, page.seconds
    deployment.record(
        "gravatar_hanging",
        {
            "stub_hangs_seconds": 30,
            "page_seconds": round(page.seconds, 2),
            "slowest_avatar_seconds": round(slowest, 2),
        },
    )
