"""Comments on a post shared across the network are the origin's comments: one conversation, shown
at every address that serves the post, moderated on the origin site."""

from urllib.parse import urlsplit

from wagtail.models import Site

import pytest
from bs4 import BeautifulSoup

from comments.counts import pending_by_site
from comments.models import Comment, CommentStatus
from tests.support.blog import blog_of, make_post, share
from tests.support.comments import form_data, make_comment, make_user
from tests.support.moderation import detail_url, listed

HEAD = "localhost"
BRETAGNE = "bretagne.localhost"
OCCITANIE = "occitanie.localhost"


@pytest.fixture
def shared_post(head_site, bretagne_site, occitanie_site):
    """A head-site post shared with Bretagne only."""
    return share(make_post(blog_of(head_site), "Assemblée générale du réseau"), bretagne_site)


def shared_path(post):
    return f"/blog/{post.slug}/"


def comment_form(client, host, path):
    response = client.get(path, HTTP_HOST=host)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser").select_one("form#comment-form")


def test_the_form_on_the_target_posts_to_the_origin_page(client, shared_post):
    form = comment_form(client, BRETAGNE, shared_path(shared_post))

    assert form["action"] == f"/comments/post/{shared_post.pk}/"
    assert form.select_one('input[name="next"]')["value"] == shared_path(shared_post)


def test_a_comment_sent_from_the_target_attaches_to_the_origin_and_comes_back(client, shared_post):
    path = shared_path(shared_post)
    response = client.post(
        f"/comments/post/{shared_post.pk}/", form_data(next=path), HTTP_HOST=BRETAGNE
    )

    comment = Comment.objects.get()
    assert comment.page_id == shared_post.pk
    assert response.status_code == 303
    assert urlsplit(response["Location"]).path == path
    assert "comment=pending" in response["Location"]


def test_a_foreign_or_malformed_return_address_falls_back_to_the_post(client, shared_post):
    for next_url in ("https://evil.example/", "//evil.example/x", "/a\r\nSet-Cookie: x=1"):
        response = client.post(
            f"/comments/post/{shared_post.pk}/",
            form_data(next=next_url, body=f"Message {next_url!r}"),
            HTTP_HOST=BRETAGNE,
        )
        assert response.status_code == 303
        location = response["Location"]
        assert "evil.example" not in location
        assert "Set-Cookie" not in location
        assert urlsplit(location).path == f"/blog/{shared_post.slug}/"


def test_one_conversation_shown_at_the_origin_and_on_the_target(client, shared_post):
    first = make_comment(shared_post, author_name="Anne", body="Vu sur le site national.")
    make_comment(shared_post, parent=first, author_name="Youenn", body="Et relayé en Bretagne !")
    make_comment(shared_post, status=CommentStatus.PENDING, body="En attente de modération.")

    for host in (HEAD, BRETAGNE):
        html = client.get(shared_path(shared_post), HTTP_HOST=host).content.decode()
        assert "Vu sur le site national." in html, host
        assert "Et relayé en Bretagne !" in html, host
        assert "En attente de modération." not in html, host
        assert f'id="comment-{first.pk}"' in html, host
    # Not shared with Occitanie: neither the post nor its comments are served there.
    assert client.get(shared_path(shared_post), HTTP_HOST=OCCITANIE).status_code == 404


def test_pending_comments_of_a_shared_post_count_for_the_origin_site(
    head_site, bretagne_site, occitanie_site, shared_post
):
    make_comment(shared_post, status=CommentStatus.PENDING)
    make_comment(shared_post, status=CommentStatus.PENDING, email="b@example.org")

    counts = pending_by_site(Site.objects.all())

    assert counts[head_site.pk] == 2
    assert counts[bretagne_site.pk] == 0
    assert counts[occitanie_site.pk] == 0


def test_listings_show_each_posts_comment_count(client, head_site, bretagne_site, shared_post):
    own = make_post(blog_of(bretagne_site), "Fête régionale")
    for body in ("Un", "Deux", "Trois"):
        make_comment(own, body=body)
    make_comment(own, status=CommentStatus.PENDING, body="Pas encore")
    make_comment(shared_post, body="Bravo")

    page = BeautifulSoup(client.get("/blog/", HTTP_HOST=BRETAGNE).content, "html.parser")
    links = {a["href"]: a.get_text(" ", strip=True) for a in page.select(".post-card__comments")}

    assert links == {
        f"/blog/{own.slug}/#comments": "3 commentaires",
        f"/blog/{shared_post.slug}/#comments": "1 commentaire",
    }


def test_the_origin_sites_moderators_moderate_a_shared_posts_comments(
    client, head_site, bretagne_site, shared_post
):
    comment = make_comment(shared_post, status=CommentStatus.PENDING, body="Sur le site cible")
    head_moderator = make_user("modo-tete", head_site.profile.moderators)
    bretagne_moderator = make_user("modo-bzh", bretagne_site.profile.moderators)

    client.force_login(head_moderator)
    assert listed(client.get("/admin/comments/", HTTP_HOST=HEAD)) == [comment.pk]
    response = client.post(
        f"/admin/comments/{comment.pk}/status/", {"status": "approved"}, HTTP_HOST=HEAD
    )
    assert response.status_code in (200, 302)
    comment.refresh_from_db()
    assert comment.status == CommentStatus.APPROVED

    client.force_login(bretagne_moderator)
    assert listed(client.get("/admin/comments/?status=all", HTTP_HOST=HEAD)) == []
    assert client.get(detail_url(comment), HTTP_HOST=HEAD).status_code == 404
