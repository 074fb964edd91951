"""Local anti-spam: rate limit, links, blocklists (site, network, settings), duplicates.

The form's own robot checks (honeypot, too fast, too old, forged timestamp) are tested in
test_form.py. Everything here goes through the posting view as a browser would.
"""

import datetime

from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest
from bs4 import BeautifulSoup

from comments.models import Comment, CommentStatus
from sites.models import ModerationPolicy, NetworkCommentSettings, SiteSettings
from sites.policy import comment_policy_for_page
from tests.support.blog import blog_of, make_post
from tests.support.comments import (
    BRETAGNE,
    bretagne_post,
    make_comment,
    post_path,
    send,
    set_policy,
)

OCCITANIE = "occitanie.localhost"
ADDRESS = {"REMOTE_ADDR": "203.0.113.7"}


@pytest.fixture
def post(bretagne_site):
    """A Bretagne post whose comments would appear at once: only spam checks hold them."""
    set_policy(bretagne_site, comment_moderation=ModerationPolicy.NONE)
    return bretagne_post(bretagne_site)


@pytest.fixture
def occitanie_post(occitanie_site):
    set_policy(occitanie_site, comment_moderation=ModerationPolicy.NONE)
    return make_post(blog_of(occitanie_site), "Toulouse solidaire")


def sent(client, page, host=BRETAGNE, address=ADDRESS, **fields):
    """Send a comment and return the stored one (None when nothing was stored)."""
    before = Comment.objects.order_by("pk").last()
    response = send(client, page, headers={"HTTP_HOST": host, **address}, **fields)
    assert response.status_code in (303, 429), response.status_code
    latest = Comment.objects.order_by("pk").last()
    return None if latest == before else latest


def assert_spam(comment, *reason_parts):
    assert comment.status == CommentStatus.SPAM
    for part in reason_parts:
        assert part in comment.spam_reason


def assert_not_spam(comment):
    assert comment.status == CommentStatus.APPROVED
    assert comment.spam_reason == ""


# --- Rate limit ---------------------------------------------------------------------------------


@pytest.fixture
def three_per_window(settings):
    settings.COMMENTS_RATE_LIMIT = "3/10m"
    settings.COMMENTS_RATE_LIMIT_ENABLED = True


def test_the_limit_holds_across_two_clients_of_one_address(three_per_window, post):
    """Two clients (two browsers, or two worker processes answering) share one counter."""
    first, second = Client(), Client()
    for number, client in enumerate([first, second, first]):
        response = send(client, post, headers=ADDRESS, body=f"Message {number}")
        assert response.status_code == 303

    response = send(second, post, headers=ADDRESS, body="Message de trop")

    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 600
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.find(id="unsent-comment").get_text() == "Message de trop"  # not lost
    assert soup.find("a", href=post.url)
    assert send(first, post, headers=ADDRESS).status_code == 429
    assert Comment.objects.count() == 3


def test_another_address_is_not_throttled(three_per_window, client, post):
    for number in range(4):
        send(client, post, headers=ADDRESS, body=f"Message {number}")
    other = send(Client(), post, headers={"REMOTE_ADDR": "198.51.100.20"})
    assert other.status_code == 303


def test_another_site_is_not_throttled_by_this_sites_counter(
    three_per_window, client, post, occitanie_post
):
    for number in range(4):
        send(client, post, headers=ADDRESS, body=f"Message {number}")
    assert send(client, post, headers=ADDRESS).status_code == 429
    elsewhere = send(client, occitanie_post, headers={"HTTP_HOST": OCCITANIE, **ADDRESS})
    assert elsewhere.status_code == 303
    assert Comment.objects.filter(page=occitanie_post).count() == 1


def test_every_submission_counts_but_reading_does_not(three_per_window, client, post):
    for _ in range(5):
        assert client.get(post_path(post), HTTP_HOST=BRETAGNE, **ADDRESS).status_code == 200
    assert send(client, post, headers=ADDRESS, name="").status_code == 400  # invalid: counted
    send(client, post, headers=ADDRESS, body="Un")
    send(client, post, headers=ADDRESS, body="Deux")
    assert send(client, post, headers=ADDRESS, body="Trois").status_code == 429


def test_clients_without_an_address_share_one_counter(three_per_window, post):
    for number in range(3):
        send(Client(), post, headers={"REMOTE_ADDR": ""}, body=f"Message {number}")
    assert send(Client(), post, headers={"REMOTE_ADDR": ""}).status_code == 429
    assert send(Client(), post, headers=ADDRESS).status_code == 303


def test_switched_off_everything_goes_through(settings, client, post):
    settings.COMMENTS_RATE_LIMIT = "1/1d"
    settings.COMMENTS_RATE_LIMIT_ENABLED = False
    for number in range(4):
        assert send(client, post, headers=ADDRESS, body=f"Message {number}").status_code == 303
    assert Comment.objects.count() == 4


def test_the_limit_holds_in_the_database_cache(settings, client, post):
    """The production default when there is no Redis: counters survive across processes."""
    settings.CACHES = {
        **settings.CACHES,
        "shared": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "comments_test_cache",
        },
    }
    settings.COMMENTS_THROTTLE_CACHE = "shared"
    settings.COMMENTS_RATE_LIMIT = "2/1h"
    call_command("createcachetable", "comments_test_cache", verbosity=0)
    assert send(client, post, headers=ADDRESS, body="Un").status_code == 303
    assert send(Client(), post, headers=ADDRESS, body="Deux").status_code == 303
    response = send(client, post, headers=ADDRESS, body="Trois")
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 3600


# --- Links ---------------------------------------------------------------------------------------


def test_more_links_than_allowed_is_spam(settings, client, post):
    settings.COMMENTS_MAX_LINKS = 2
    comment = sent(
        client, post, body="Voir www.un.example, https://deux.example et http://trois.fr"
    )
    assert_spam(comment, "3", "2")


def test_links_up_to_the_limit_pass(settings, client, post):
    settings.COMMENTS_MAX_LINKS = 2
    assert_not_spam(sent(client, post, body="Voir https://www.un.example/ et www.deux.example"))


# --- Blocklists ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("blocked", "body"),
    [
        ("Viagra", "Achetez du VIAGRA pas cher"),
        ("casino en ligne", "Le meilleur Casino  en\nligne"),
        ("crédit", "Un CRÉDIT rapide"),
        ("straße", "Rue: STRASSE 5"),
    ],
)
def test_a_word_of_the_site_list_is_spam(client, bretagne_site, post, blocked, body):
    set_policy(bretagne_site, blocked_words=f"\n  {blocked}  \n\nautre\n")
    assert_spam(sent(client, post, body=body), blocked.lower())


@pytest.mark.parametrize(
    "body", ["Des casinos ici", "Une accréditation", "Credit sans accent", "xviagra"]
)
def test_words_match_whole_words_only(client, bretagne_site, post, body):
    set_policy(bretagne_site, blocked_words="casino\ncrédit\nviagra")
    assert_not_spam(sent(client, post, body=body))


def test_a_word_in_the_name_is_spam(client, bretagne_site, post):
    set_policy(bretagne_site, blocked_words="casino")
    assert_spam(sent(client, post, name="Casino Royal"), "casino")


@pytest.mark.parametrize(
    "body",
    [
        "Allez sur https://spam.example/offre",
        "Allez sur http://boutique.SPAM.example:8080/x",
        "Allez sur www.spam.example.",
        "(voir https://spam.example)",
    ],
)
def test_a_link_to_a_domain_of_the_site_list_is_spam(client, bretagne_site, post, body):
    set_policy(bretagne_site, blocked_domains="https://Spam.example/")
    assert_spam(sent(client, post, body=body), "spam.example")


def test_a_similar_domain_is_not_blocked(client, bretagne_site, post):
    set_policy(bretagne_site, blocked_domains="spam.example")
    assert_not_spam(sent(client, post, body="Lisez https://nospam.example/", url=""))


def test_a_website_on_a_blocked_domain_is_spam(client, bretagne_site, post):
    set_policy(bretagne_site, blocked_domains="spam.example")
    assert_spam(sent(client, post, url="https://www.spam.example/moi"), "spam.example")


@pytest.mark.parametrize("email", ["bot@jetable.example", "Bot@Mail.Jetable.Example"])
def test_an_email_on_a_blocked_domain_or_subdomain_is_spam(client, bretagne_site, post, email):
    set_policy(bretagne_site, blocked_email_domains="@jetable.example")
    assert_spam(sent(client, post, email=email), "jetable.example")


def test_an_email_on_a_similar_domain_is_not_blocked(client, bretagne_site, post):
    set_policy(bretagne_site, blocked_email_domains="jetable.example")
    assert_not_spam(sent(client, post, email="mael@pasjetable.example"))


def test_the_network_setting_applies_on_every_site(client, post, occitanie_post):
    NetworkCommentSettings.objects.create(
        blocked_words="loterie", blocked_domains="spam.example", blocked_email_domains="bot.example"
    )
    assert_spam(sent(client, post, body="Gagnez à la loterie"), "loterie")
    assert_spam(sent(client, occitanie_post, host=OCCITANIE, body="Loterie !"), "loterie")
    assert_spam(sent(client, occitanie_post, host=OCCITANIE, url="https://spam.example/"))
    assert_spam(sent(client, post, email="x@bot.example"), "bot.example")


def test_the_settings_lists_apply_everywhere(settings, client, post, occitanie_post):
    settings.COMMENTS_BLOCKED_WORDS = ["Loterie"]
    settings.COMMENTS_BLOCKED_DOMAINS = ["spam.example"]
    settings.COMMENTS_BLOCKED_EMAIL_DOMAINS = ["bot.example"]
    assert_spam(sent(client, post, body="La loterie"), "Loterie")
    assert_spam(sent(client, occitanie_post, host=OCCITANIE, body="Voir https://spam.example"))
    assert_spam(sent(client, occitanie_post, host=OCCITANIE, email="a@b.bot.example"))


def test_one_sites_list_does_not_apply_on_another(
    client, bretagne_site, occitanie_site, post, occitanie_post
):
    set_policy(occitanie_site, blocked_words="galette", blocked_domains="crepes.example")
    body = "Une galette, voir https://crepes.example/"
    assert_not_spam(sent(client, post, body=body))
    assert_spam(sent(client, occitanie_post, host=OCCITANIE, body=body), "galette")


def test_the_policy_reads_the_site_and_network_lists_in_one_query(
    bretagne_site, occitanie_site, post
):
    set_policy(bretagne_site, blocked_words="Viagra\n\n  Casino \nviagra")
    set_policy(occitanie_site, blocked_words="galette")
    NetworkCommentSettings.objects.create(blocked_words="casino\nLoterie", blocked_domains="a.fr")
    with CaptureQueriesContext(connection) as queries:
        policy = comment_policy_for_page(post)
    assert policy.blocked_words == ("viagra", "casino", "loterie")
    assert policy.blocked_domains == ("a.fr",)
    assert policy.blocked_email_domains == ()
    reads = [q["sql"] for q in queries if "blocked_words" in q["sql"]]
    assert len(reads) == 1  # every post page asks: the network's lists cost no query


def test_a_site_without_saved_settings_still_gets_the_network_lists(bretagne_site, post):
    SiteSettings.objects.filter(site=bretagne_site).delete()
    NetworkCommentSettings.objects.create(blocked_email_domains="Bot.example")
    assert comment_policy_for_page(post).blocked_email_domains == ("bot.example",)


def test_without_network_settings_the_policy_saves_nothing(bretagne_site, post):
    set_policy(bretagne_site, blocked_email_domains="bot.example")
    assert comment_policy_for_page(post).blocked_email_domains == ("bot.example",)
    assert not NetworkCommentSettings.objects.exists()


# --- Where flagged comments go -------------------------------------------------------------------


def test_spam_is_stored_for_moderators_and_never_shown(client, bretagne_site, post):
    set_policy(bretagne_site, blocked_words="viagra")
    response = send(client, post, body="Du viagra ici", headers=ADDRESS)
    comment = Comment.objects.get()
    assert comment.status == CommentStatus.SPAM
    assert comment.spam_reason
    assert response["Location"] == f"{post_path(post)}?comment=pending#comments"
    html = client.get(response["Location"], HTTP_HOST=BRETAGNE).content.decode()
    assert "Du viagra ici" not in html
    assert f"comment-{comment.pk}" not in html


def test_a_clean_comment_keeps_no_reason(client, post):
    assert_not_spam(sent(client, post))


# --- Duplicates ----------------------------------------------------------------------------------


def test_the_same_comment_sent_twice_is_stored_once(client, post):
    first = send(client, post, headers=ADDRESS)
    second = send(Client(), post, headers=ADDRESS, email="MAEL@example.org")
    comment = Comment.objects.get()
    assert first.status_code == second.status_code == 303
    assert second["Location"] == first["Location"] == f"{post_path(post)}#comment-{comment.pk}"


def test_a_duplicate_of_a_held_comment_leads_to_the_pending_notice(client, bretagne_site, post):
    set_policy(bretagne_site, comment_moderation=ModerationPolicy.ALL)
    send(client, post)
    second = send(client, post)
    assert Comment.objects.count() == 1
    assert second["Location"] == f"{post_path(post)}?comment=pending#comments"


@pytest.mark.parametrize(
    "change",
    [
        {"body": "Un autre message."},
        {"email": "autre@example.org"},
        {"parent": "reply"},
    ],
)
def test_a_different_comment_is_not_a_duplicate(client, post, change):
    if change.get("parent"):
        change = {"parent": str(make_comment(post, email="anne@example.org").pk)}
    send(client, post)
    send(client, post, **change)
    assert Comment.objects.filter(author_name="Maël Le Bihan").count() == 2


def test_the_same_comment_on_another_post_is_not_a_duplicate(client, bretagne_site, post):
    send(client, post)
    send(client, bretagne_post(bretagne_site, "Un autre article"))
    assert Comment.objects.count() == 2


def test_the_same_comment_after_the_window_is_stored(settings, client, post):
    settings.COMMENTS_DUPLICATE_MINUTES = 10
    send(client, post)
    Comment.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=11))
    send(client, post)
    assert Comment.objects.count() == 2
