"""Approved comments under a post: threads, safe rendering, private e-mails, fixed queries."""

import datetime
import hashlib
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest
from bs4 import BeautifulSoup

from comments.models import Comment, CommentStatus
from tests.support.comments import BRETAGNE, bretagne_post, make_comment, post_path


@pytest.fixture
def post(bretagne_site):
    return bretagne_post(bretagne_site)


def get_soup(client, page, query=""):
    response = client.get(post_path(page) + query, HTTP_HOST=BRETAGNE)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser"), response.content.decode()


def test_only_approved_comments_are_shown_with_their_count(client, post):
    make_comment(post, body="Visible un")
    make_comment(post, body="Visible deux")
    for status in (CommentStatus.PENDING, CommentStatus.SPAM, CommentStatus.REJECTED):
        make_comment(post, status=status, body=f"Caché {status}")
    soup, html = get_soup(client, post)
    section = soup.find(id="comments")
    assert "2" in section.find("h2").get_text()
    bodies = [b.get_text() for b in section.select(".comment__body")]
    assert bodies == ["Visible un", "Visible deux"]
    assert "Caché" not in html


def test_replies_are_threaded_and_nesting_stops_at_depth_three(client, post):
    first = make_comment(post, body="niveau 1")
    second = make_comment(post, parent=first, body="niveau 2")
    third = make_comment(post, parent=second, body="niveau 3")
    fourth = make_comment(post, parent=third, body="niveau 4")
    fifth = make_comment(post, parent=fourth, body="niveau 5")
    soup, _ = get_soup(client, post)

    def shown_parent(comment):
        return soup.find(id=f"comment-{comment.pk}").find_parent("li", class_="comment")

    assert shown_parent(first) is None
    assert shown_parent(second)["id"] == f"comment-{first.pk}"
    assert shown_parent(third)["id"] == f"comment-{second.pk}"
    # Deeper replies are listed among the replies of their depth-3 ancestor.
    assert shown_parent(fourth)["id"] == f"comment-{third.pk}"
    assert shown_parent(fifth)["id"] == f"comment-{third.pk}"
    assert len(soup.find(id=f"comment-{third.pk}").find_all("li", class_="comment")) == 2


def test_a_reply_whose_parent_is_no_longer_public_is_shown_at_the_top(client, post):
    parent = make_comment(post, status=CommentStatus.REJECTED)
    reply = make_comment(post, parent=parent, body="Orpheline")
    soup, _ = get_soup(client, post)
    assert soup.find(id=f"comment-{reply.pk}").find_parent("li", class_="comment") is None


def test_body_keeps_line_breaks_and_links_bare_urls(client, post):
    make_comment(post, body="Ligne un\nVoir https://example.org/page?a=1&b=2.\nwww.example.com")
    soup, _ = get_soup(client, post)
    body = soup.select_one(".comment__body")
    assert len(body.find_all("br")) == 2
    links = body.find_all("a")
    assert [link["href"] for link in links] == ["https://example.org/page?a=1&b=2"]
    assert links[0]["rel"] == ["nofollow", "ugc", "noopener"]


def test_name_links_to_the_website_with_nofollow(client, post):
    make_comment(post, author_name="Maël", url="https://mael.example.org/")
    soup, _ = get_soup(client, post)
    link = soup.select_one(".comment__author a")
    assert link["href"] == "https://mael.example.org/"
    assert link["rel"] == ["nofollow", "ugc", "noopener"]
    assert link.get_text() == "Maël"


def test_the_avatar_is_served_by_the_site(client, post):
    make_comment(post, author_name="maël le bihan")
    soup, _ = get_soup(client, post)
    avatar = soup.select_one(".comment img.comment__avatar")
    assert avatar["src"].startswith("/comments/avatar/")
    assert avatar["alt"] == ""  # decorative: the name follows


def test_dates_are_in_the_page_language(client, post):
    comment = make_comment(post)
    Comment.objects.filter(pk=comment.pk).update(
        created_at=timezone.make_aware(datetime.datetime(2026, 8, 14, 15, 30))
    )
    soup, _ = get_soup(client, post)
    assert "août 2026" in soup.select_one(".comment__date").get_text()


XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '"><svg onload=alert(1)>',
    "<a href='javascript:alert(1)'>x</a>",
    "javascript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "<b>broken <i markup",
    "</li></ol></section><script>alert(1)</script>",
    'https://example.org/"onmouseover="alert(1)',
]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_xss_payloads_are_rendered_inert(client, post, payload):
    make_comment(post, author_name=payload[:100], url=payload, body=payload)
    make_comment(
        post, author_name="Lien", url=payload if payload.startswith("http") else "", body="ok"
    )
    soup, html = get_soup(client, post)
    section = soup.find(id="comments")
    assert section.find("script") is None
    assert section.find("svg") is None
    # The only images are the avatars, served by the site.
    for img in section.find_all("img"):
        assert img["class"] == ["comment__avatar"], img
        assert img["src"].startswith("/comments/avatar/"), img
    assert section.find("b") is None
    for element in section.find_all(True):
        assert not any(name.startswith("on") for name in element.attrs), element
    for link in section.find_all("a"):
        href = link["href"]
        assert href.startswith(("http://", "https://", "?", "#", "/")), href
    assert "<script>alert(1)" not in html


def test_no_email_nor_its_hashes_in_the_html(client, bretagne_site, post):
    email = "Secret.Person@Example.org"
    parent = make_comment(post, email=email)
    make_comment(post, parent=parent, email="other@example.org")
    make_comment(post, status=CommentStatus.PENDING, email="pending@example.org")
    _, html = get_soup(client, post)
    _, reply_html = get_soup(client, post, f"?reply={parent.pk}")
    for page_html in (html, reply_html):
        lowered = page_html.lower()
        for address in (email, "other@example.org", "pending@example.org"):
            for form in (address, address.lower(), address.strip().lower()):
                assert form.lower() not in lowered
                assert hashlib.md5(form.encode()).hexdigest() not in lowered  # noqa: S324
                assert hashlib.sha256(form.encode()).hexdigest() not in lowered


def test_reply_link_fills_the_parent_without_javascript(client, post):
    comment = make_comment(post, author_name="Anne")
    soup, _ = get_soup(client, post)
    link = soup.select_one(f"#comment-{comment.pk} .comment__reply a")
    assert link["href"] == f"?reply={comment.pk}#comment-form"
    soup, _ = get_soup(client, post, f"?reply={comment.pk}")
    form = soup.find("form", id="comment-form")
    assert form.find(attrs={"name": "parent"})["value"] == str(comment.pk)
    assert "Anne" in form.find("h3").get_text()


@pytest.mark.parametrize("reply", ["abc", "999999", "-3"])
def test_a_bad_reply_parameter_is_ignored(client, post, reply):
    soup, _ = get_soup(client, post, f"?reply={reply}")
    assert soup.find("form", id="comment-form").find(attrs={"name": "parent"}).get("value") is None


def test_the_privacy_notice_links_to_the_policy_page(client, post):
    soup, _ = get_soup(client, post)
    link = soup.select_one(".comment-form__privacy a")
    assert link["href"].endswith("/politique-de-confidentialite/")


def make_threads(page, count):
    """`count` approved comments, in threads of up to five levels."""
    previous = None
    for n in range(count):
        parent = previous if n % 5 else None
        previous = make_comment(page, parent=parent, body=f"Commentaire {n}")


def count_queries(client, page):
    client.get(post_path(page), HTTP_HOST=BRETAGNE)  # warm-up
    with CaptureQueriesContext(connection) as queries:
        response = client.get(post_path(page), HTTP_HOST=BRETAGNE)
    assert response.status_code == 200
    return len(queries)


def test_queries_do_not_grow_with_the_number_of_comments(
    client, bretagne_site, django_assert_max_num_queries
):
    few = bretagne_post(bretagne_site, "Peu de commentaires")
    many = bretagne_post(bretagne_site, "Beaucoup de commentaires")
    make_threads(few, 5)
    make_threads(many, 500)
    budget = count_queries(client, few)
    with django_assert_max_num_queries(budget):
        response = client.get(post_path(many), HTTP_HOST=BRETAGNE)
    assert response.content.decode().count('class="comment comment--depth') == 500


def test_a_comments_time_is_a_valid_html_datetime(client, post):
    """Django's ISO format ("c") writes microseconds, which HTML's datetime refuses (the Nu
    checker said so): seconds and the offset only."""
    make_comment(post, created_at=timezone.now().replace(microsecond=123456))
    soup, _html = get_soup(client, post)
    [time] = soup.select(".comment__date time")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}", time["datetime"])
