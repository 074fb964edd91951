"""1,000 comment submissions at once, from 190 client addresses, against gunicorn (2 workers) on
PostgreSQL: every accepted one stored exactly once, every refused one a 429, no 5xx.

- 100 addresses send 5 comments each: within the rate limit (COMMENTS_RATE_LIMIT, 5 per
  10 minutes per address and site), all accepted;
- 40 addresses send 10 each: 5 accepted and 5 refused with 429, whichever worker counts them;
- 50 addresses send one form twice at the same moment (a double click on a slow connection):
  both answered with the comment, one stored.
"""

import random
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from . import harness

THREADS = 32
WITHIN_LIMIT, OVER_LIMIT, DOUBLED = 100, 40, 50
LIMIT = 5


def accepted(answer):
    return answer.status in (302, 303)


def test_a_flood_of_comments_is_stored_exactly_once_and_refused_cleanly(deployment):
    marker = f"flood-{uuid.uuid4().hex[:8]}"
    jobs = []
    for n in range(WITHIN_LIMIT + OVER_LIMIT):
        count = LIMIT if n < WITHIN_LIMIT else 2 * LIMIT
        ip = harness.client_address(n)
        for k in range(count):
            jobs.append(("single", ip, n, f"Commentaire {marker}-{n}-{k}"))
    for n in range(WITHIN_LIMIT + OVER_LIMIT, WITHIN_LIMIT + OVER_LIMIT + DOUBLED):
        jobs.append(("double", harness.client_address(n), n, f"Commentaire {marker}-{n}-double"))
    random.Random(10).shuffle(jobs)

    answers = []  # (ip, body, Answer)
    lock = threading.Lock()

    def send(ip, n, body):
        # One name and address per client: they are different people.
        answer = deployment.post_comment(
            body, source=ip, name=f"Visiteur {n}", email=f"visiteur{n}@example.org"
        )
        with lock:
            answers.append((ip, body, answer))

    def run(job):
        kind, ip, n, body = job
        if kind == "single":
            send(ip, n, body)
            return
        # The same form twice, sent together: the same fields, timestamp and token.
        data, headers = harness.comment_form(
            deployment.target, body, name=f"Visiteur {n}", email=f"visiteur{n}@example.org"
        )
        barrier = threading.Barrier(2)

        def twin():
            barrier.wait()
            answer = harness.request(
                deployment.port,
                deployment.host,
                "POST",
                f"/comments/post/{deployment.target['page_id']}/",
                data,
                headers,
                ip,
            )
            with lock:
                answers.append((ip, body, answer))

        other = threading.Thread(target=twin)
        other.start()
        twin()
        other.join()

    harness.fresh_window()
    started = time.monotonic()
    with ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(run, jobs))
    seconds = time.monotonic() - started

    statuses = Counter(answer.status for _ip, _body, answer in answers)
    stored = deployment.stored(marker)
    sent = len(answers)
    figures = {
        "sent": sent,
        "client_addresses": WITHIN_LIMIT + OVER_LIMIT + DOUBLED,
        "accepted": sum(1 for *_, a in answers if accepted(a)),
        "stored": sum(stored.values()),
        "refused": {str(s): c for s, c in statuses.items() if s not in (302, 303)},
        "errors_5xx": sum(c for s, c in statuses.items() if isinstance(s, int) and s >= 500),
        "seconds": round(seconds, 1),
    }
    deployment.record("flood", figures)
    print(figures)

    assert sent == 1000
    assert figures["errors_5xx"] == 0, statuses
    assert set(statuses) <= {302, 303, 429}, statuses
    # Every accepted submission stored exactly once; nothing refused was stored.
    for ip, body, answer in answers:
        if accepted(answer):
            assert stored.get(body) == 1, (ip, body, stored.get(body))
        else:
            assert body not in stored, (ip, body)
    # The rate limit held across both workers: exactly LIMIT accepted per address over it.
    by_ip = Counter(ip for ip, _body, answer in answers if accepted(answer))
    for n in range(WITHIN_LIMIT + OVER_LIMIT):
        assert by_ip[harness.client_address(n)] == LIMIT, harness.client_address(n)
    # The doubled forms: both copies answered with the comment, one stored.
    for n in range(WITHIN_LIMIT + OVER_LIMIT, WITHIN_LIMIT + OVER_LIMIT + DOUBLED):
        body = f"Commentaire {marker}-{n}-double"
        copies = [a for _ip, b, a in answers if b == body]
        assert [accepted(a) for a in copies] == [True, True], [a.status for a in copies]
        assert stored[body] == 1, body
    assert figures["accepted"] == (WITHIN_LIMIT + OVER_LIMIT) * LIMIT + 2 * DOUBLED
    assert figures["stored"] == (WITHIN_LIMIT + OVER_LIMIT) * LIMIT + DOUBLED


def test_a_rate_limited_address_stays_limited_on_both_workers(deployment):
    """Sequential requests on new connections land on either worker: all refused."""
    ip = harness.client_address(900)
    harness.fresh_window(60)
    marker = f"limited-{uuid.uuid4().hex[:8]}"
    first = [deployment.post_comment(f"{marker} {k}", source=ip) for k in range(LIMIT)]
    assert all(accepted(a) for a in first), [a.status for a in first]
    # Sent until both workers have answered (sequential connections go to either one).
    refusing = set()
    for k in range(40):
        answer = deployment.post_comment(f"{marker} more {k}", source=ip)
        assert answer.status == 429, (k, answer.status)
        time.sleep(0.05)  # the access log line is written after the response
        refusing = {pid for pid, status in deployment.served(ip) if status == 429}
        if len(refusing) == 2:
            break
    assert len(refusing) == 2, deployment.served(ip)
    assert sum(deployment.stored(marker).values()) == LIMIT
    # Another address is not affected.
    assert accepted(deployment.post_comment(f"{marker} other", source=harness.client_address(901)))
