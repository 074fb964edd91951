"""The comment data lifecycle under a controlled clock: the unpublication clock, anonymization by
`anonymize_comments` three calendar months after unpublication, and retention."""

import datetime
from io import StringIO

from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest
import time_machine

from comments.avatars import _cache_key
from comments.models import Comment, CommentStatus, ConfirmedEmail, Subscription, UnpublishedPage
from comments.notifications import hash_token
from tests.support.blog import blog_of, make_post
from tests.support.comments import BRETAGNE, make_comment

PARIS = datetime.timezone(datetime.timedelta(hours=1))
START = datetime.datetime(2026, 1, 31, 9, 0, tzinfo=PARIS)

PERSONAL = {
    "author_name": "Gwenaëlle Kervella",
    "email": "gwenaelle.kervella@example.org",
    "url": "https://kervella.example.org/",
    "ip_address": "198.51.100.23",
    "user_agent": "Mozilla/5.0 (X11; Linux x86_64) KervellaBrowser/9.1",
}


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def post(clock, bretagne_site):
    return make_post(blog_of(bretagne_site), "Habiter autrement")


@pytest.fixture
def other_post(clock, occitanie_site):
    return make_post(blog_of(occitanie_site), "Toulouse solidaire")


def personal_comment(page, **fields):
    return make_comment(page, **{**PERSONAL, **fields})


def run(*args):
    out = StringIO()
    call_command("anonymize_comments", *args, stdout=out)
    return out.getvalue()


def unpublish(page):
    page.refresh_from_db()
    page.specific.unpublish()


def republish(page):
    page.refresh_from_db()
    page.specific.save_revision().publish()


def test_three_months_minus_a_day_leaves_comments_untouched_three_months_anonymizes(
    clock, post, other_post
):
    comment = personal_comment(post)
    untouched = personal_comment(other_post)  # a live post on another site
    unpublish(post)

    clock.move_to(datetime.datetime(2026, 4, 29, 9, 0, tzinfo=PARIS))  # 3 months minus a day
    output = run()
    comment.refresh_from_db()
    assert comment.anonymized_at is None
    assert comment.email == PERSONAL["email"]
    assert "No comment to anonymize" in output

    clock.move_to(datetime.datetime(2026, 4, 30, 9, 0, tzinfo=PARIS))  # 31 Jan + 3 months
    output = run()
    comment.refresh_from_db()
    assert comment.anonymized_at is not None
    assert comment.author_name == "Anonyme"
    assert (comment.email, comment.url, comment.user_agent, comment.avatar_key) == ("",) * 4
    assert comment.ip_address is None
    assert "Maillage Bretagne: 1 comment were anonymized" in output
    untouched.refresh_from_db()
    assert untouched.anonymized_at is None
    assert untouched.email == PERSONAL["email"]


def test_republishing_stops_the_clock_and_a_later_unpublication_restarts_it(clock, post):
    comment = personal_comment(post)
    unpublish(post)
    clock.shift(datetime.timedelta(days=60))
    republish(post)
    assert not UnpublishedPage.objects.filter(page_id=post.pk).exists()
    clock.shift(datetime.timedelta(days=10))
    unpublish(post)

    clock.shift(datetime.timedelta(days=80))  # 150 days since the first unpublication
    run()
    comment.refresh_from_db()
    assert comment.anonymized_at is None

    clock.shift(datetime.timedelta(days=15))  # over three months since the second
    run()
    comment.refresh_from_db()
    assert comment.anonymized_at is not None


def test_expiry_starts_the_clock(clock, post):
    comment = personal_comment(post)
    post.expire_at = timezone.now() + datetime.timedelta(hours=1)
    post.save_revision().publish()
    clock.shift(datetime.timedelta(hours=2))
    call_command("publish_scheduled", stdout=StringIO())

    post.refresh_from_db()
    assert not post.live
    since = UnpublishedPage.objects.get(page_id=post.pk).unpublished_since
    assert since == timezone.now()

    clock.shift(datetime.timedelta(days=92))
    run()
    comment.refresh_from_db()
    assert comment.anonymized_at is not None


def test_unpublishing_an_ancestor_starts_the_clock(clock, admin_client, bretagne_site, post):
    comment = personal_comment(post)
    blog = blog_of(bretagne_site)
    response = admin_client.post(
        f"/admin/pages/{blog.pk}/unpublish/", {"include_descendants": "on"}, HTTP_HOST="localhost"
    )
    assert response.status_code == 302

    post.refresh_from_db()
    assert not post.live
    assert UnpublishedPage.objects.get(page_id=post.pk).unpublished_since == timezone.now()
    clock.shift(datetime.timedelta(days=92))
    run()
    comment.refresh_from_db()
    assert comment.anonymized_at is not None


def test_a_live_posts_comments_are_never_anonymized(clock, post):
    comment = personal_comment(post)
    # A stray clock row (a page published without the signal) is reconciled away.
    UnpublishedPage.objects.create(
        page_id=post.pk, unpublished_since=timezone.now() - datetime.timedelta(days=400)
    )
    run()
    comment.refresh_from_db()
    assert comment.anonymized_at is None
    assert not UnpublishedPage.objects.exists()


def test_a_page_unpublished_without_signal_gets_a_clock_from_the_daily_run(clock, post):
    comment = personal_comment(post)
    type(post).objects.filter(pk=post.pk).update(live=False)
    run()
    assert UnpublishedPage.objects.get(page_id=post.pk).unpublished_since == timezone.now()
    clock.shift(datetime.timedelta(days=92))
    run()
    comment.refresh_from_db()
    assert comment.anonymized_at is not None


def test_anonymizing_is_idempotent_and_keeps_replies_and_redacts_the_body(clock, post):
    first = personal_comment(
        post, body="Écrivez-moi : gwen.k@example.net ou au 06 12 34 56 78. Merci !"
    )
    reply = make_comment(post, parent=first, author_name="Youenn", email="youenn@example.org")
    unpublish(post)
    clock.shift(datetime.timedelta(days=92))
    run()
    first.refresh_from_db()
    anonymized_at = first.anonymized_at
    assert "gwen.k@example.net" not in first.body
    assert "06 12 34 56 78" not in first.body
    assert first.body.startswith("Écrivez-moi : ") and first.body.endswith("Merci !")
    reply.refresh_from_db()
    assert reply.parent_id == first.pk
    assert reply.body == "Un commentaire."

    clock.shift(datetime.timedelta(days=1))
    output = run()
    first.refresh_from_db()
    assert first.anonymized_at == anonymized_at
    assert "No comment to anonymize" in output


def test_dry_run_changes_nothing_and_says_what_it_would_do(clock, post):
    comment = personal_comment(post)
    unpublish(post)
    clock.shift(datetime.timedelta(days=92))
    output = run("--dry-run")
    comment.refresh_from_db()
    assert comment.anonymized_at is None
    assert comment.email == PERSONAL["email"]
    assert "Maillage Bretagne: 1 comment would be anonymized" in output


def test_no_copy_of_any_removed_value_stays_in_any_table(clock, client, post, other_post):
    comment = personal_comment(post)
    Subscription.objects.create(
        comment=comment,
        email=PERSONAL["email"],
        token_hash=hash_token("secret-token"),
        confirmed_at=timezone.now(),
    )
    ConfirmedEmail.objects.create(email=PERSONAL["email"], confirmed_at=timezone.now())
    caches["default"].set(_cache_key(comment.avatar_key), (b"png", "image/png"))
    unpublish(post)
    clock.shift(datetime.timedelta(days=92))
    run()

    dump = database_dump()
    for value in PERSONAL.values():
        assert value.lower() not in dump, value
    assert caches["default"].get(_cache_key(comment.avatar_key)) is None
    assert not Subscription.objects.exists()
    assert not ConfirmedEmail.objects.exists()


def database_dump():
    """Every row of every table, as lower-case text."""
    rows = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            rows.extend(str(row) for row in cursor.fetchall())
    return "\n".join(rows).lower()


def test_an_old_notification_link_answers_that_nothing_is_left(clock, client, post):
    comment = personal_comment(post)
    Subscription.objects.create(
        comment=comment,
        email=PERSONAL["email"],
        token_hash=hash_token("secret-token"),
        confirmed_at=timezone.now(),
    )
    unpublish(post)
    clock.shift(datetime.timedelta(days=92))
    run()
    response = client.get("/comments/subscription/confirm/secret-token/", HTTP_HOST=BRETAGNE)
    assert 400 <= response.status_code < 500


def test_retention_erases_ip_addresses_deletes_old_spam_and_unconfirmed_subscriptions(clock, post):
    old = personal_comment(post)
    spam = make_comment(post, status=CommentStatus.SPAM, body="Achetez")
    rejected_with_reply = make_comment(post, status=CommentStatus.REJECTED, body="Hors sujet")
    replied = make_comment(post, parent=rejected_with_reply, body="Réponse")
    unconfirmed = Subscription.objects.create(comment=old, email=PERSONAL["email"])

    clock.shift(datetime.timedelta(days=29))
    recent = personal_comment(post, body="Récent")
    run()
    old.refresh_from_db()
    assert old.ip_address == PERSONAL["ip_address"]  # 29 days: kept
    assert Subscription.objects.filter(pk=unconfirmed.pk).exists() is False  # 7 days: gone

    clock.shift(datetime.timedelta(days=2))  # 31 days after the first comments
    output = run()
    old.refresh_from_db()
    assert old.ip_address is None and old.user_agent == ""
    assert old.email == PERSONAL["email"]  # retention erases the IP, not the comment
    recent.refresh_from_db()
    assert recent.ip_address == PERSONAL["ip_address"]
    assert not Comment.objects.filter(pk=spam.pk).exists()
    tombstone = Comment.objects.get(pk=rejected_with_reply.pk)
    assert tombstone.removed_at is not None and tombstone.body == ""
    assert Comment.objects.filter(pk=replied.pk).exists()
    assert "2 spam or rejected comments were deleted" in output


def test_retention_leaves_no_empty_tombstone_of_a_spam_thread(clock, post):
    """A spam comment whose only replies are spam too goes with them, as when a moderator
    deletes such a thread (comments.moderation.remove): no tombstone is left without replies."""
    spam = make_comment(post, status=CommentStatus.SPAM, body="Achetez")
    make_comment(post, parent=spam, status=CommentStatus.SPAM, body="Achetez encore")
    clock.shift(datetime.timedelta(days=31))
    run()
    assert not Comment.objects.exists()


def test_retention_removes_a_tombstone_once_its_last_reply_goes(clock, post):
    """The spam parent is due first and stays as a tombstone while its reply waits; when the
    reply's turn comes, the tombstone goes with it."""
    spam = make_comment(post, status=CommentStatus.SPAM, body="Achetez")
    clock.shift(datetime.timedelta(days=20))
    make_comment(post, parent=spam, status=CommentStatus.REJECTED, body="Achetez encore")
    clock.shift(datetime.timedelta(days=11))
    run()
    tombstone = Comment.objects.get(pk=spam.pk)
    assert tombstone.removed_at is not None and tombstone.body == ""
    clock.shift(datetime.timedelta(days=20))
    run()
    assert not Comment.objects.exists()


def test_deleting_a_post_deletes_its_comments_at_once(clock, post, other_post):
    personal_comment(post)
    kept = personal_comment(other_post)
    post.delete()
    assert list(Comment.objects.all()) == [kept]


def test_queries_grow_with_batches_not_with_comments(clock, post, other_post):
    def eligible(page, count):
        Comment.objects.bulk_create(
            Comment(page=page, author_name="A", email=f"a{n}@example.org", body="x")
            for n in range(count)
        )
        unpublish(page)

    eligible(post, 100)
    eligible(other_post, 900)
    clock.shift(datetime.timedelta(days=92))

    def queries(*args):
        with CaptureQueriesContext(connection) as captured:
            run(*args)
        return len(captured)

    Comment.objects.filter(page=other_post).update(anonymized_at=timezone.now())
    with_100 = queries("--batch-size", "1000")
    Comment.objects.filter(page=other_post).update(anonymized_at=None)
    with_900 = queries("--batch-size", "1000")
    assert Comment.objects.filter(anonymized_at__isnull=True).count() == 0
    assert with_900 == with_100


@pytest.mark.parametrize(
    ("now", "latest_due"),
    [
        # On the last day of a month, every later day of the earlier month is due (clamping).
        ("2026-04-30 10:00", "2026-01-31 10:00"),
        ("2026-04-29 10:00", "2026-01-29 10:00"),
        ("2026-02-28 10:00", "2025-11-30 10:00"),
        ("2026-05-31 10:00", "2026-02-28 10:00"),
        ("2028-05-31 10:00", "2028-02-29 10:00"),
        ("2026-03-15 10:00", "2025-12-15 10:00"),
    ],
)
def test_three_calendar_months(settings, now, latest_due):
    from comments.lifecycle import unpublished_before

    settings.TIME_ZONE = "Europe/Paris"
    local = timezone.get_default_timezone()
    parse = lambda text: datetime.datetime.fromisoformat(text).replace(tzinfo=local)  # noqa: E731
    assert unpublished_before(parse(now), 3) == parse(latest_due)


def test_deleting_a_live_commented_post_in_the_admin_leaves_no_clock_behind(
    admin_client, bretagne_site
):
    """Wagtail unpublishes a live page before deleting it, which starts its clock after Django
    has collected what the deletion cascades to: the row must not outlive its page (on
    PostgreSQL the foreign key is checked when the test's transaction is checked, at teardown)."""
    post = make_post(blog_of(bretagne_site), "Habiter autrement")
    make_comment(post)
    response = admin_client.post(f"/admin/pages/{post.pk}/delete/")
    assert response.status_code == 302
    assert not Comment.objects.exists()
    assert not UnpublishedPage.objects.filter(page_id=post.pk).exists()
