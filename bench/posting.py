"""The comment POST scenario: a valid form (fresh signed timestamp, empty honeypot, CSRF cookie and
token) sent by wrk for a rate, then by a Python client for an exact count of accepted responses
against the comments stored.

Needs Django set up in this process with the server's SECRET_KEY and database (bench/run.py does
it): the timestamp is signed here and the stored comments are counted here.
"""

import http.client
import secrets
import string
import threading
import time
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlencode

import load
import server

LUA_SCRIPT = Path(__file__).resolve().parent / "comment_post.lua"
CLIENT_THREADS = 8


def csrf_token():
    """32 letters and digits: Django accepts the unmasked secret as the form's token."""
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(32))


def form_fields(target, token):
    """Every field but the body, url-encoded: the timestamp signed a minute ago (past the
    minimum delay, far from the expiry), the honeypot empty."""
    from comments.forms import signed_timestamp

    return urlencode(
        {
            "name": "Lectrice de charge",
            "email": "charge@example.org",
            "url": "",
            "website_confirm": "",
            "timestamp": signed_timestamp(now=time.time() - 60),
            "next": target["path"],
            "csrfmiddlewaretoken": token,
        }
    )


def new_marker(label):
    return f"bench-{label}-{uuid.uuid4().hex[:8]}"


def stored(page_id, marker):
    """Comments stored on the page by one phase (the marker is in every body it sent)."""
    from comments.models import Comment

    return Comment.objects.filter(page_id=page_id, body__contains=f"{marker}-").count()


@dataclass
class PostRun:
    sent: int
    accepted: int  # 2xx or 3xx
    refused: dict  # {status: count}
    stored: int
    seconds: float

    @property
    def accepted_per_second(self):
        return round(self.accepted / self.seconds, 1) if self.seconds else 0.0

    def as_dict(self):
        return {**asdict(self), "accepted_per_second": self.accepted_per_second}


def wrk_phase(wrk, port, host, target, seconds, label):
    """(WrkResult, comments stored by the run)."""
    token = csrf_token()
    marker = new_marker(label)
    args = (f"/comments/post/{target['page_id']}/", form_fields(target, token), token, marker)
    result = load.run(wrk, port, host, args[0], seconds, script=LUA_SCRIPT, script_args=args)
    server.drain(port, host)  # the POSTs still queued when wrk stopped are stored too
    return result, stored(target["page_id"], marker)


def _post(port, host, path, body, cookie):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(
            "POST",
            path,
            body=body,
            headers={
                "Host": host,
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": cookie,
            },
        )
        response = connection.getresponse()
        response.read()
        return response.status
    except OSError:
        return "connection error"
    finally:
        connection.close()


def client_phase(port, host, target, count, label):
    """`count` POSTs from CLIENT_THREADS threads; every response is counted."""
    token = csrf_token()
    marker = new_marker(label)
    fields = form_fields(target, token)
    path = f"/comments/post/{target['page_id']}/"
    statuses = []
    lock = threading.Lock()

    def worker(thread):
        for n in range(thread, count, CLIENT_THREADS):
            body = f"{fields}&body=Commentaire+de+charge+{marker}-{thread}-{n}"
            status = _post(port, host, path, body, f"csrftoken={token}")
            with lock:
                statuses.append(status)

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(CLIENT_THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    accepted = sum(1 for s in statuses if isinstance(s, int) and 200 <= s < 400)
    refused = {}
    for status in statuses:
        if not (isinstance(status, int) and 200 <= status < 400):
            refused[str(status)] = refused.get(str(status), 0) + 1
    return PostRun(
        sent=len(statuses),
        accepted=accepted,
        refused=refused,
        stored=stored(target["page_id"], marker),
        seconds=round(elapsed, 2),
    )
