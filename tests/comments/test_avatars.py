"""Avatars served by the site itself: a local SVG drawn from an opaque key, or a Gravatar that the
server (never the reader's browser) fetches, caches and replaces by the SVG when it fails.

Gravatar is a local stub HTTP server on 127.0.0.1 that records every request it receives.
"""

import hashlib
import threading
import xml.etree.ElementTree as ET
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from django.urls import reverse
from django.utils import timezone, translation

import pytest
from bs4 import BeautifulSoup

from comments.avatars import ANONYMOUS, site_key
from comments.avatars import avatar_key as keyed
from comments.models import CommentStatus
from tests.support.comments import (
    BRETAGNE,
    EMAIL,
    bretagne_post,
    consented,
    make_comment,
    post_path,
)

# A 1x1 transparent PNG: what the stub serves as the Gravatar.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63000100000500010d0a2db40000000049454e44ae426082"
)
NORMALIZED = "gwen.kerjean@example.org"
MD5 = hashlib.md5(NORMALIZED.encode(), usedforsecurity=False).hexdigest()


def avatar_key(email, page=None):
    """The key of `email`'s avatar on the Bretagne site (the `post` fixture's)."""
    from wagtail.models import Site

    site = f"site:{Site.objects.get(hostname=BRETAGNE).pk}" if page is None else site_key(page)
    return keyed(email, site)


class StubGravatar:
    """What the stub answers (changed by each test) and the paths it was asked for."""

    def __init__(self):
        self.status = 200
        self.content_type = "image/png"
        self.body = PNG
        self.hang = False  # keep the request waiting until the test ends
        self.released = threading.Event()
        self.paths = []


@pytest.fixture
def gravatar(settings):
    stub = StubGravatar()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            stub.paths.append(self.path)
            if stub.hang:
                stub.released.wait(10)
            try:
                self.send_response(stub.status)
                self.send_header("Content-Type", stub.content_type)
                self.send_header("Content-Length", str(len(stub.body)))
                self.end_headers()
                self.wfile.write(stub.body)
            except OSError:  # the server under test gave up waiting
                pass

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.COMMENTS_GRAVATAR_URL = f"http://127.0.0.1:{server.server_port}/avatar/"
    settings.COMMENTS_GRAVATAR_TIMEOUT = 5
    yield stub
    stub.released.set()
    server.shutdown()
    server.server_close()


@pytest.fixture
def post(bretagne_site):
    return bretagne_post(bretagne_site)


def avatar_src(client, page, comment):
    """The src of the comment's avatar on the public page."""
    response = client.get(post_path(page), HTTP_HOST=BRETAGNE)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    img = soup.select_one(f"#comment-{comment.pk} img.comment__avatar")
    assert img["alt"] == ""
    assert (img["width"], img["height"], img["loading"]) == ("48", "48", "lazy")
    return img["src"]


def get_avatar(client, path):
    return client.get(path, HTTP_HOST=BRETAGNE)


def avatar_path(key):
    return reverse("comments:avatar", args=[key])


def assert_local_svg(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    root = ET.fromstring(response.content)  # noqa: S314 — our own SVG, in a test
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert not any(element.tag.endswith("script") for element in root.iter())


# --- the local SVG ------------------------------------------------------------------------------


def test_the_page_shows_an_avatar_served_by_the_site_from_the_opaque_key(client, post):
    comment = make_comment(post, email=EMAIL)
    src = avatar_src(client, post, comment)
    assert src == f"/comments/avatar/{avatar_key(EMAIL, post)}/"
    assert comment.avatar_key == avatar_key(NORMALIZED, post)
    assert MD5 not in src and hashlib.sha256(NORMALIZED.encode()).hexdigest() not in src


def test_the_avatar_url_does_not_depend_on_the_language(post):
    key = avatar_key(EMAIL, post)
    with translation.override("en"):
        english = avatar_path(key)
    with translation.override("fr"):
        assert avatar_path(key) == english == f"/comments/avatar/{key}/"


def test_the_svg_avatar_is_served_with_safe_headers(client, post):
    comment = make_comment(post, email=EMAIL)
    response = get_avatar(client, avatar_src(client, post, comment))
    assert_local_svg(response)
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert "public" in cache_control
    max_age = next(int(p.split("=")[1]) for p in cache_control if p.startswith("max-age="))
    assert max_age >= 24 * 60 * 60
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert "sandbox" in response["Content-Security-Policy"]
    assert "Set-Cookie" not in response


def test_the_svg_is_the_same_for_a_key_and_differs_between_keys(client, post):
    first = get_avatar(client, avatar_path(avatar_key("a@example.org"))).content
    again = get_avatar(client, avatar_path(avatar_key("A@Example.org "))).content
    other = get_avatar(client, avatar_path(avatar_key("b@example.org"))).content
    assert first == again
    assert first != other


def test_a_comment_without_key_has_the_generic_avatar(client, post):
    anonymized = make_comment(post, email="", author_name="Anonyme", anonymized_at=timezone.now())
    assert anonymized.avatar_key == ""
    src = avatar_src(client, post, anonymized)
    assert src == avatar_path(ANONYMOUS)
    assert_local_svg(get_avatar(client, src))


@pytest.mark.parametrize(
    "key",
    [
        "xyz",
        "ANONYMOUS",
        MD5,  # 32 hex digits: the shape of a Gravatar hash, never of our keys
        "A" * 64,  # upper case
        "0" * 63,
        "0" * 65,
        "g" * 64,
    ],
)
def test_an_invalid_key_is_not_found(client, post, key):
    assert get_avatar(client, f"/comments/avatar/{key}/").status_code == 404


def test_only_get_and_head_are_answered(client, post):
    path = avatar_path(avatar_key(EMAIL))
    assert client.head(path, HTTP_HOST=BRETAGNE).status_code == 200
    assert client.post(path, HTTP_HOST=BRETAGNE).status_code in (403, 405)


# --- Gravatar, through the server -------------------------------------------------------------


def test_a_ticked_gravatar_is_fetched_by_the_server_and_cached(client, post, gravatar):
    consented()
    comment = make_comment(post, email=EMAIL, use_gravatar=True)
    src = avatar_src(client, post, comment)
    assert gravatar.paths == []  # rendering the page asks Gravatar nothing
    response = get_avatar(client, src)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response.content == PNG
    assert response["X-Content-Type-Options"] == "nosniff"
    # Only the server knows the MD5, and it sends it to Gravatar only.
    assert gravatar.paths == [f"/avatar/{MD5}?s=80&d=404"]

    gravatar.body = b"changed"
    again = get_avatar(client, src)
    assert again.content == PNG
    assert len(gravatar.paths) == 1  # served from the cache


def test_a_gravatar_404_falls_back_to_the_svg_and_is_remembered(client, post, gravatar):
    consented()
    gravatar.status = 404
    comment = make_comment(post, email=EMAIL, use_gravatar=True)
    src = avatar_src(client, post, comment)
    assert_local_svg(get_avatar(client, src))
    assert_local_svg(get_avatar(client, src))
    assert len(gravatar.paths) == 1


def test_a_gravatar_that_does_not_answer_in_time_falls_back_to_the_svg(
    client, post, gravatar, settings
):
    consented()
    settings.COMMENTS_GRAVATAR_TIMEOUT = 0.3
    gravatar.hang = True
    comment = make_comment(post, email=EMAIL, use_gravatar=True)
    response = get_avatar(client, avatar_src(client, post, comment))
    assert_local_svg(response)
    assert gravatar.paths == [f"/avatar/{MD5}?s=80&d=404"]


def test_a_gravatar_server_that_is_down_falls_back_to_the_svg(client, post, gravatar, settings):
    consented()
    settings.COMMENTS_GRAVATAR_URL = "http://127.0.0.1:1/avatar/"  # nothing listens there
    comment = make_comment(post, email=EMAIL, use_gravatar=True)
    assert_local_svg(get_avatar(client, avatar_src(client, post, comment)))


@pytest.mark.parametrize("content_type", ["text/html", "image/svg+xml", "application/javascript"])
def test_an_answer_that_is_not_a_bitmap_image_falls_back_to_the_svg(
    client, post, gravatar, content_type
):
    consented()
    gravatar.content_type = content_type
    gravatar.body = b"<script>alert(1)</script>"
    comment = make_comment(post, email=EMAIL, use_gravatar=True)
    response = get_avatar(client, avatar_src(client, post, comment))
    assert_local_svg(response)
    assert b"alert" not in response.content


def test_an_unticked_gravatar_is_never_fetched(client, post, gravatar):
    comment = make_comment(post, email=EMAIL, use_gravatar=False)
    response = get_avatar(client, avatar_src(client, post, comment))
    assert_local_svg(response)
    assert gravatar.paths == []


@pytest.mark.parametrize(
    "status", [CommentStatus.PENDING, CommentStatus.SPAM, CommentStatus.REJECTED]
)
def test_an_unapproved_comment_never_triggers_a_fetch(client, post, gravatar, status):
    consented()
    make_comment(post, email=EMAIL, use_gravatar=True, status=status)
    assert_local_svg(get_avatar(client, avatar_path(avatar_key(EMAIL))))
    assert gravatar.paths == []


def test_a_ticked_box_without_the_owners_consent_fetches_nothing(client, post, gravatar):
    """Was "the latest comment's choice wins": anyone who typed her address could switch her
    Gravatar on for all her comments. Only the owner's consent (a mailed link) counts now."""
    make_comment(post, email=EMAIL, use_gravatar=False)
    make_comment(post, email=EMAIL.lower(), use_gravatar=True, body="Un inconnu coche la case.")
    assert_local_svg(get_avatar(client, avatar_path(avatar_key(EMAIL))))
    assert gravatar.paths == []


def test_an_unticked_later_comment_does_not_withdraw_the_owners_consent(client, post, gravatar):
    consented()
    make_comment(post, email=EMAIL, use_gravatar=True)
    path = avatar_path(avatar_key(EMAIL))
    assert get_avatar(client, path).content == PNG
    make_comment(post, email=EMAIL.lower(), use_gravatar=False, body="Sans la case.")
    assert get_avatar(client, path).content == PNG
    assert len(gravatar.paths) == 1


def test_a_removed_comment_shows_the_generic_avatar_and_fetches_nothing(client, post, gravatar):
    consented()
    parent = make_comment(post, email=EMAIL, use_gravatar=True, removed_at=timezone.now())
    reply = make_comment(post, parent=parent, email="other@example.org")
    response = client.get(post_path(post), HTTP_HOST=BRETAGNE)
    soup = BeautifulSoup(response.content, "html.parser")
    sources = [img["src"] for img in soup.select("img.comment__avatar")]
    assert avatar_path(avatar_key(EMAIL)) not in sources  # the tombstone is nobody's
    assert soup.select_one(f"#comment-{reply.pk} img.comment__avatar")["src"] == avatar_path(
        avatar_key("other@example.org")
    )
    assert_local_svg(get_avatar(client, avatar_path(avatar_key(EMAIL))))
    assert gravatar.paths == []
