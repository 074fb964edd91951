"""Visiting pages as anonymous visitors, and posting a comment with a page's own form, for the tests
of the page and fragment caches."""

import re
import time

from django.test import Client

import time_machine

BRETAGNE = "bretagne.localhost"


OCCITANIE = "occitanie.localhost"


def visit(path, host=BRETAGNE, client=None, **headers):
    return (client or Client()).get(path, HTTP_HOST=host, **headers)


def publish(page):
    page.save_revision().publish()


TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


TIMESTAMP = re.compile(r'name="timestamp" value="([^"]+)"')


def form(response, **fields):
    html = response.content.decode()
    return {
        "csrfmiddlewaretoken": TOKEN.search(html).group(1),
        "timestamp": TIMESTAMP.search(html).group(1),
        "name": "Maël",
        "email": "mael@example.org",
        "body": "Très bel article.",
        "website_confirm": "",
        **fields,
    }


def comment_through_the_page(post):
    """A visitor posts a comment (approved at once) with the form of the post's page: their
    client, which now holds the edit-window cookie."""
    author = Client()
    data = form(visit("/blog/habiter/", client=author))
    with time_machine.travel(time.time() + 30):
        sent = author.post(f"/comments/post/{post.pk}/", data, HTTP_HOST=BRETAGNE)
    assert sent.status_code == 303
    return author
