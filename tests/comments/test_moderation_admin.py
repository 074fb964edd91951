"""Moderation in Wagtail's admin: per-site scoping, the menu badge, filters, search, actions one
by one and in bulk, tombstones, and a list whose query count does not grow with its length."""

import datetime

from django.utils import timezone

import pytest
from bs4 import BeautifulSoup

from comments import notifications
from comments.models import Comment, CommentStatus, Subscription
from sites import roles
from tests.support.comments import (
    BRETAGNE,
    bretagne_post,
    logged_in,
    make_comment,
    make_user,
    post_path,
)
from tests.support.moderation import LIST, detail_url, listed, menu_item

PENDING = CommentStatus.PENDING


def status_url(comment):
    return f"{LIST}{comment.pk}/status/"


def delete_url(comment):
    return f"{LIST}{comment.pk}/delete/"


def bulk_url(action, *comments):
    ids = "&".join(f"id={comment.pk}" for comment in comments)
    return f"/admin/bulk/comments/comment/{action}/?{ids}"


@pytest.fixture
def post(bretagne_site):
    return bretagne_post(bretagne_site)


@pytest.fixture
def occitanie_post(occitanie_site):
    return bretagne_post(occitanie_site, "Les tiers-lieux d'Occitanie")


@pytest.fixture
def bretagne_moderator(bretagne_site):
    return make_user("modo-bzh", bretagne_site.profile.moderators)


@pytest.fixture
def moderator_client(client, bretagne_moderator):
    return logged_in(client, bretagne_moderator)


@pytest.fixture
def network_admin_client(client, network):
    return logged_in(client, make_user("head", roles.ensure_network_administrators()))


@pytest.fixture
def approvals(monkeypatch):
    """The comments announced as approved (notifications.comment_approved), in order."""
    announced = []
    monkeypatch.setattr(notifications, "comment_approved", announced.append)
    return announced


# --- Scoping -----------------------------------------------------------------------------------


def test_a_moderator_lists_only_the_comments_of_their_site(moderator_client, post, occitanie_post):
    mine = make_comment(post, status=PENDING, body="Breton")
    theirs = make_comment(occitanie_post, status=PENDING, body="Occitan")
    response = moderator_client.get(LIST)
    assert listed(response) == [mine.pk]
    assert "Occitan" not in response.content.decode()
    # Not even when asked for by the site or the post filter.
    other_site = occitanie_post.get_site()
    assert listed(moderator_client.get(LIST, {"site": other_site.pk})) == [mine.pk]
    assert theirs.pk not in listed(moderator_client.get(LIST, {"page": occitanie_post.pk}))


def test_a_site_administrator_moderates_their_site(client, bretagne_site, post, occitanie_post):
    logged_in(client, make_user("admin-bzh", bretagne_site.profile.administrators))
    mine = make_comment(post, status=PENDING)
    make_comment(occitanie_post, status=PENDING)
    assert listed(client.get(LIST)) == [mine.pk]


def test_comments_on_a_translation_of_the_site_are_the_sites(
    moderator_client, bretagne_site, english, post
):
    home = bretagne_site.root_page.specific
    english_home = home.copy_for_translation(english)
    english_home.save_revision().publish()
    comment = make_comment(english_home, status=PENDING)
    assert listed(moderator_client.get(LIST)) == [comment.pk]


def test_another_sites_comment_is_404_and_stays_unchanged(moderator_client, post, occitanie_post):
    theirs = make_comment(occitanie_post, status=PENDING)
    assert moderator_client.get(detail_url(theirs)).status_code == 404
    assert moderator_client.post(status_url(theirs), {"status": "approved"}).status_code == 404
    assert moderator_client.get(delete_url(theirs)).status_code == 404
    assert moderator_client.post(delete_url(theirs)).status_code == 404
    assert moderator_client.get(bulk_url("approve", theirs)).status_code == 404
    assert moderator_client.post(bulk_url("approve", theirs)).status_code == 404
    assert moderator_client.post(bulk_url("delete", theirs)).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == PENDING


def test_bulk_actions_ignore_the_ids_of_other_sites(moderator_client, post, occitanie_post):
    mine = make_comment(post, status=PENDING)
    theirs = make_comment(occitanie_post, status=PENDING)
    confirmation = moderator_client.get(bulk_url("approve", mine, theirs))
    assert confirmation.status_code == 200
    soup = BeautifulSoup(confirmation.content, "html.parser")
    linked = {a["href"] for a in soup.select(".comment-moderation__bulk-items a")}
    assert linked == {detail_url(mine)}
    response = moderator_client.post(bulk_url("approve", mine, theirs))
    assert response.status_code == 302
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.status, theirs.status) == (CommentStatus.APPROVED, PENDING)


def test_a_network_administrator_sees_every_site(network_admin_client, post, occitanie_post):
    breton = make_comment(post, status=PENDING)
    occitan = make_comment(occitanie_post, status=PENDING)
    assert set(listed(network_admin_client.get(LIST))) == {breton.pk, occitan.pk}
    assert network_admin_client.get(detail_url(occitan)).status_code == 200


def test_an_editor_without_the_moderator_role_is_refused(client, bretagne_site, post):
    logged_in(client, make_user("editor", bretagne_site.profile.editors))
    comment = make_comment(post, status=PENDING)
    response = client.get(LIST)
    assert response.status_code == 302  # Wagtail's refusal: back to the dashboard, with a message
    assert client.get(detail_url(comment)).status_code == 404
    assert client.post(status_url(comment), {"status": "approved"}).status_code == 404
    assert client.post(bulk_url("approve", comment)).status_code == 404
    assert menu_item(client.get("/admin/")) is None
    comment.refresh_from_db()
    assert comment.status == PENDING


# --- The menu ----------------------------------------------------------------------------------


def test_the_menu_badge_counts_the_pending_comments_each_user_moderates(
    client, bretagne_moderator, post, occitanie_post
):
    make_comment(post, status=PENDING)
    make_comment(post, status=PENDING)
    make_comment(post, status=CommentStatus.SPAM)
    make_comment(post)  # approved
    make_comment(occitanie_post, status=PENDING)

    logged_in(client, bretagne_moderator)
    item = menu_item(client.get("/admin/"))
    assert item["label"] == "Comments (2)"
    assert item["url"] == LIST

    logged_in(client, make_user("head", roles.ensure_network_administrators()))
    assert menu_item(client.get("/admin/"))["label"] == "Comments (3)"

    logged_in(client, make_user("modo-oc", occitanie_post.get_site().profile.moderators))
    Comment.objects.filter(page=occitanie_post).update(status=CommentStatus.APPROVED)
    assert menu_item(client.get("/admin/"))["label"] == "Comments"


# --- The list: filters, search, thread context ---------------------------------------------


def test_the_list_shows_pending_comments_newest_first_by_default(moderator_client, post):
    old = make_comment(post, status=PENDING, body="ancien")
    new = make_comment(post, status=PENDING, body="récent")
    make_comment(post, status=CommentStatus.SPAM)
    make_comment(post)
    Comment.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(1))
    assert listed(moderator_client.get(LIST)) == [new.pk, old.pk]


def test_the_status_filter(moderator_client, post):
    pending = make_comment(post, status=PENDING)
    spam = make_comment(post, status=CommentStatus.SPAM, spam_reason="Trop de liens")
    approved = make_comment(post)
    rejected = make_comment(post, status=CommentStatus.REJECTED)
    assert listed(moderator_client.get(LIST, {"status": "spam"})) == [spam.pk]
    assert listed(moderator_client.get(LIST, {"status": "approved"})) == [approved.pk]
    assert listed(moderator_client.get(LIST, {"status": "rejected"})) == [rejected.pk]
    every = moderator_client.get(LIST, {"status": "all"})
    assert set(listed(every)) == {pending.pk, spam.pk, approved.pk, rejected.pk}
    assert "Trop de liens" in every.content.decode()  # why it was held


def test_the_site_and_post_filters(network_admin_client, post, occitanie_post, bretagne_site):
    other_post = bretagne_post(bretagne_site, "Un autre article")
    on_post = make_comment(post, status=PENDING)
    on_other_post = make_comment(other_post, status=PENDING)
    in_occitanie = make_comment(occitanie_post, status=PENDING)
    by_site = listed(network_admin_client.get(LIST, {"site": bretagne_site.pk}))
    assert set(by_site) == {on_post.pk, on_other_post.pk}
    occitanie_site = occitanie_post.get_site()
    assert listed(network_admin_client.get(LIST, {"site": occitanie_site.pk})) == [in_occitanie.pk]
    assert listed(network_admin_client.get(LIST, {"page": other_post.pk})) == [on_other_post.pk]


def test_the_date_filter(moderator_client, post):
    recent = make_comment(post, status=PENDING)
    old = make_comment(post, status=PENDING)
    Comment.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=40)
    )
    since = (timezone.localdate() - datetime.timedelta(days=7)).isoformat()
    until = (timezone.localdate() - datetime.timedelta(days=30)).isoformat()
    assert listed(moderator_client.get(LIST, {"created_at_from": since})) == [recent.pk]
    assert listed(moderator_client.get(LIST, {"created_at_to": until})) == [old.pk]


def test_search_by_message_name_and_e_mail(moderator_client, post):
    by_body = make_comment(post, status=PENDING, body="Les coopératives agricoles")
    by_name = make_comment(post, status=PENDING, author_name="Gwenaëlle Coopérative")
    by_email = make_comment(post, status=PENDING, email="jean@cooperative.example")
    make_comment(post, status=PENDING, body="Rien à voir", email="x@example.org")
    assert set(listed(moderator_client.get(LIST, {"q": "coopérati"}))) == {
        by_body.pk,
        by_name.pk,
    }
    assert listed(moderator_client.get(LIST, {"q": "cooperative.example"})) == [by_email.pk]


def test_each_row_gives_post_links_ip_and_thread_context(moderator_client, post):
    parent = make_comment(post, author_name="Anne", body="La question de départ")
    reply = make_comment(
        post, status=PENDING, parent=parent, body="Une réponse", ip_address="192.0.2.7"
    )
    make_comment(post, status=PENDING, parent=reply, body="Et une réponse à la réponse")
    response = moderator_client.get(LIST)
    soup = BeautifulSoup(response.content, "html.parser")
    row = soup.find("input", attrs={"data-object-id": str(reply.pk)}).find_parent("tr")
    text = " ".join(row.get_text(" ").split())
    assert "In reply to Anne" in text
    assert "La question de départ" in text
    assert "1 reply" in text
    assert "192.0.2.7" in text
    assert "anne@example.org" in text  # moderators see e-mails
    hrefs = {a["href"] for a in row.find_all("a")}
    assert post.full_url in hrefs
    assert detail_url(reply) in hrefs


def test_the_detail_view_shows_the_whole_thread(moderator_client, post):
    parent = make_comment(post, author_name="Anne", body="Départ")
    reply = make_comment(post, status=PENDING, parent=parent, author_name="Brieuc", body="Suite")
    answer = make_comment(post, status=PENDING, parent=reply, author_name="Cécile", body="Fin")
    make_comment(post, author_name="Dana", body="Un autre fil")
    response = moderator_client.get(detail_url(reply))
    soup = BeautifulSoup(response.content, "html.parser")
    thread = soup.find(id="thread")
    names = [a.get_text() for a in thread.find_all("a")]
    assert names == ["Anne", "Brieuc", "Cécile"]
    assert thread.find(attrs={"aria-current": "true"}).find("a")["href"] == detail_url(reply)
    assert detail_url(answer) in {a["href"] for a in thread.find_all("a")}


def test_the_list_is_paginated(moderator_client, post):
    Comment.objects.bulk_create(
        Comment(page=post, author_name="N", email="n@example.org", body=f"n° {n}", status=PENDING)
        for n in range(55)
    )
    first = listed(moderator_client.get(LIST))
    second = listed(moderator_client.get(LIST, {"p": 2}))
    assert (len(first), len(second)) == (50, 5)
    assert not set(first) & set(second)


# The admin's furniture (session, user, menu, filters' choices, site root paths) plus a fixed
# number of queries for the rows, whatever their number.
LIST_QUERY_BUDGET = 23


@pytest.mark.parametrize("count", [5, 50])
def test_the_list_costs_the_same_queries_for_5_or_50_comments(
    moderator_client, post, occitanie_post, bretagne_site, count, django_assert_max_num_queries
):
    posts = [post, bretagne_post(bretagne_site, "Troisième")]
    statuses = [PENDING, CommentStatus.APPROVED, CommentStatus.SPAM]
    comments = []
    for n in range(count):
        page = posts[n % 2]
        parent = comments[n - 2] if n >= 2 and n % 3 == 0 else None  # same post, two back
        comments.append(make_comment(page, parent=parent, status=statuses[n % 3]))
        make_comment(occitanie_post, status=PENDING)  # another site's: not listed
    moderator_client.get(LIST)  # fills Wagtail's cache of site root paths
    with django_assert_max_num_queries(LIST_QUERY_BUDGET):
        response = moderator_client.get(LIST, {"status": "all"})
    assert sorted(listed(response)) == [comment.pk for comment in comments]


# --- Actions, one by one and in bulk -------------------------------------------------------


def test_approve_spam_and_reject_one_comment(moderator_client, post, approvals):
    comment = make_comment(post, status=PENDING)
    response = moderator_client.post(
        status_url(comment), {"status": "approved", "next": f"{LIST}?status=pending"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{LIST}?status=pending"
    comment.refresh_from_db()
    assert comment.status == CommentStatus.APPROVED
    assert [c.pk for c in approvals] == [comment.pk]

    moderator_client.post(status_url(comment), {"status": "spam"})
    comment.refresh_from_db()
    assert comment.status == CommentStatus.SPAM
    moderator_client.post(status_url(comment), {"status": "rejected"})
    comment.refresh_from_db()
    assert comment.status == CommentStatus.REJECTED
    assert moderator_client.post(status_url(comment), {"status": "deleted"}).status_code == 404
    assert moderator_client.get(status_url(comment)).status_code == 405
    assert len(approvals) == 1


def test_an_unsafe_next_url_is_ignored(moderator_client, post):
    comment = make_comment(post, status=PENDING)
    response = moderator_client.post(
        status_url(comment), {"status": "approved", "next": "https://evil.example/"}
    )
    assert response["Location"] == LIST


def test_the_row_buttons_post_to_the_status_view(moderator_client, post):
    comment = make_comment(post, status=PENDING)
    soup = BeautifulSoup(moderator_client.get(LIST).content, "html.parser")
    form = soup.find("form", attrs={"action": status_url(comment)})
    assert form["method"] == "post"
    assert form.find("input", attrs={"name": "csrfmiddlewaretoken"})
    values = {button["value"] for button in form.find_all("button")}
    assert values == {"approved", "spam", "rejected"}


def test_bulk_approve_announces_only_the_comments_that_became_public(
    moderator_client, post, approvals
):
    first = make_comment(post, status=PENDING)
    second = make_comment(post, status=CommentStatus.SPAM)
    already = make_comment(post)
    response = moderator_client.post(bulk_url("approve", first, second, already))
    assert response.status_code == 302
    statuses = set(Comment.objects.values_list("status", flat=True))
    assert statuses == {CommentStatus.APPROVED}
    assert [c.pk for c in approvals] == [first.pk, second.pk]


@pytest.mark.parametrize(
    ("action", "status"), [("spam", CommentStatus.SPAM), ("reject", CommentStatus.REJECTED)]
)
def test_bulk_spam_and_reject(moderator_client, post, action, status, approvals):
    comments = [make_comment(post, status=PENDING) for _ in range(3)]
    assert moderator_client.get(bulk_url(action, *comments[:2])).status_code == 200
    moderator_client.post(bulk_url(action, *comments[:2]))
    assert [c.status for c in Comment.objects.order_by("pk")] == [status, status, PENDING]
    assert approvals == []


def test_bulk_on_all_the_listing_follows_its_filters(moderator_client, post, occitanie_post):
    spam = [make_comment(post, status=CommentStatus.SPAM) for _ in range(2)]
    pending = make_comment(post, status=PENDING)
    theirs = make_comment(occitanie_post, status=CommentStatus.SPAM)
    moderator_client.post("/admin/bulk/comments/comment/reject/?status=spam&id=all")
    statuses = dict(Comment.objects.values_list("pk", "status"))
    assert [statuses[c.pk] for c in spam] == [CommentStatus.REJECTED] * 2
    assert statuses[pending.pk] == PENDING
    assert statuses[theirs.pk] == CommentStatus.SPAM


# --- Deleting and tombstones ----------------------------------------------------------------


def test_deleting_a_comment_without_replies_removes_it(moderator_client, post):
    comment = make_comment(post, status=CommentStatus.SPAM)
    assert moderator_client.get(delete_url(comment)).status_code == 200
    response = moderator_client.post(delete_url(comment))
    assert response.status_code == 302
    assert not Comment.objects.filter(pk=comment.pk).exists()


def test_deleting_a_comment_with_a_reply_leaves_a_tombstone(client, moderator_client, post):
    parent = make_comment(
        post,
        author_name="Yann Kervella",
        email="yann@example.org",
        url="https://yann.example.org/",
        body="Un message à effacer",
        ip_address="198.51.100.4",
        user_agent="Firefox",
        use_gravatar=True,
    )
    Subscription.objects.create(comment=parent, email=parent.email)
    reply = make_comment(post, parent=parent, author_name="Nolwenn", body="Une réponse qui reste")
    assert parent.avatar_key

    moderator_client.post(delete_url(parent))

    parent.refresh_from_db()
    assert parent.removed_at is not None
    assert (parent.body, parent.author_name, parent.email, parent.url) == ("", "", "", "")
    assert (parent.ip_address, parent.user_agent, parent.avatar_key) == (None, "", "")
    assert not parent.use_gravatar
    assert not Subscription.objects.filter(comment=parent).exists()
    assert Comment.objects.filter(pk=reply.pk).exists()

    client.logout()
    response = client.get(post_path(post), HTTP_HOST=BRETAGNE)
    soup = BeautifulSoup(response.content, "html.parser")
    tombstone = soup.find(id=f"comment-{parent.pk}")
    assert tombstone.article.find(class_="comment__removed") is not None
    assert tombstone.article.find(class_="comment__body") is None
    html = response.content.decode()
    assert "Yann Kervella" not in html
    assert "Un message à effacer" not in html
    # The reply stays, under the tombstone.
    shown_reply = soup.find(id=f"comment-{reply.pk}")
    assert shown_reply.find_parent("li", class_="comment")["id"] == f"comment-{parent.pk}"
    assert "Une réponse qui reste" in shown_reply.get_text()


def test_deleting_the_last_reply_of_a_tombstone_removes_the_tombstone(moderator_client, post):
    parent = make_comment(post)
    reply = make_comment(post, parent=parent)
    moderator_client.post(delete_url(parent))
    assert Comment.objects.get(pk=parent.pk).removed_at is not None
    moderator_client.post(delete_url(reply))
    assert not Comment.objects.exists()


def test_bulk_delete_of_a_comment_and_its_replies_leaves_nothing(moderator_client, post):
    parent = make_comment(post)
    reply = make_comment(post, parent=parent, status=PENDING)
    kept_parent = make_comment(post)
    kept_reply = make_comment(post, parent=kept_parent)
    response = moderator_client.post(bulk_url("delete", parent, reply, kept_parent))
    assert response.status_code == 302
    assert set(Comment.objects.values_list("pk", flat=True)) == {kept_parent.pk, kept_reply.pk}
    assert Comment.objects.get(pk=kept_parent.pk).removed_at is not None
