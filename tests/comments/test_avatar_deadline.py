"""A Gravatar that stalls cannot hold a request: COMMENTS_GRAVATAR_TIMEOUT bounds the whole fetch
(connection, headers, body), not each read, and the public page never waits for Gravatar at all.

The stub below holds every answer for up to HOLD seconds, in a different way per test; the
bounds asserted are generous (shared CI cores) but far below HOLD.
"""

import threading
import time
import xml.etree.ElementTree as ET
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from django.urls import reverse

import pytest

from tests.support.comments import BRETAGNE, bretagne_post, consented, make_comment, post_path

TIMEOUT = 0.5
MARGIN = 1.5
HOLD = 10  # what the stub would make the server wait without the deadline
DRIP = 0.25  # seconds between two bytes: shorter than TIMEOUT, so no single read times out
EMAIL = "gwen.kerjean@example.org"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63000100000500010d0a2db40000000049454e44ae426082"
)


class Stub:
    def __init__(self):
        self.mode = "silent"
        self.paths = []
        self.released = threading.Event()

    def drip(self, wfile, data):
        """One byte every DRIP seconds, until HOLD has passed or the test ends."""
        end = time.monotonic() + HOLD
        for byte in data:
            if self.released.wait(DRIP) or time.monotonic() > end:
                return
            wfile.write(bytes([byte]))


@pytest.fixture
def gravatar(settings):
    stub = Stub()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            stub.paths.append(self.path)
            status = b"HTTP/1.1 200 OK\r\n"
            headers = b"Content-Type: image/png\r\nContent-Length: %d\r\n\r\n" % len(PNG)
            try:
                if stub.mode == "silent":  # connected, then nothing
                    stub.released.wait(HOLD)
                elif stub.mode == "slow headers":
                    self.wfile.write(status)
                    stub.drip(self.wfile, headers)
                elif stub.mode == "slow body":
                    self.wfile.write(status + headers)
                    stub.drip(self.wfile, PNG)
                elif stub.mode == "slow body, no length":  # ends when the connection closes
                    self.wfile.write(status + b"Content-Type: image/png\r\n\r\n")
                    stub.drip(self.wfile, PNG)
                self.close_connection = True
            except OSError:  # the server under test hung up
                pass

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.COMMENTS_GRAVATAR_URL = f"http://127.0.0.1:{server.server_port}/avatar/"
    settings.COMMENTS_GRAVATAR_TIMEOUT = TIMEOUT
    yield stub
    stub.released.set()
    server.shutdown()
    server.server_close()


@pytest.fixture
def post(bretagne_site):
    return bretagne_post(bretagne_site)


def assert_local_svg(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    root = ET.fromstring(response.content)  # noqa: S314 — our own SVG, in a test
    assert root.tag == "{http://www.w3.org/2000/svg}svg"


def timed_get(client, path):
    started = time.monotonic()
    response = client.get(path, HTTP_HOST=BRETAGNE)
    return response, time.monotonic() - started


@pytest.mark.parametrize("mode", ["silent", "slow headers", "slow body", "slow body, no length"])
def test_a_stalling_gravatar_costs_the_timeout_then_the_local_avatar_is_served(
    client, post, gravatar, mode
):
    gravatar.mode = mode
    consented(EMAIL)  # the owner's consent (a mailed link: test_trust.py)
    key = make_comment(post, email=EMAIL, use_gravatar=True).avatar_key
    response, elapsed = timed_get(client, reverse("comments:avatar", args=[key]))
    assert len(gravatar.paths) == 1  # Gravatar was asked
    assert elapsed < TIMEOUT + MARGIN
    assert_local_svg(response)  # never a truncated image

    again, elapsed = timed_get(client, reverse("comments:avatar", args=[key]))
    assert_local_svg(again)
    assert len(gravatar.paths) == 1  # the failure is remembered for a while
    assert elapsed < MARGIN


def test_the_page_never_waits_for_gravatar(client, post, gravatar):
    gravatar.mode = "silent"
    comment = make_comment(post, email=EMAIL, use_gravatar=True)
    response, elapsed = timed_get(client, post_path(post))
    assert response.status_code == 200
    assert reverse("comments:avatar", args=[comment.avatar_key]).encode() in response.content
    assert gravatar.paths == []  # the page only links the avatar, served by its own URL
    assert elapsed < HOLD / 2
