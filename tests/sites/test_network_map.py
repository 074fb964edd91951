"""One map of the network (issue 18, item 1), through HTTP: a bilingual site (a French home and
its English translation) is one site for the comment rate limit, the known-commenter rule, the
moderators' digest, the dashboard's counts, moderation scope and team permissions; a translated
home configured as its own Site is another site everywhere, permissions included."""

import io

from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from wagtail.models import Site

import pytest
from bs4 import BeautifulSoup

from comments import moderation
from comments.models import Comment, CommentStatus
from sites import roles
from sites.models import ModerationPolicy
from tests.support.blog import make_post, translate_blog
from tests.support.comments import bretagne_post, make_comment, make_user, send, set_policy

BRETAGNE = "bretagne.localhost"
BRITTANY = "brittany.localhost"
ADDRESS = {"REMOTE_ADDR": "203.0.113.9"}


@pytest.fixture
def bilingual(bretagne_site, english):
    """Bretagne in French and in English: a post in each language."""
    french_post = bretagne_post(bretagne_site)
    english_post = make_post(translate_blog(bretagne_site, english), "Living differently")
    return {"fr": french_post, "en": english_post}


@pytest.fixture
def brittany(bretagne_site, bilingual):
    """Bretagne's English home made a Site of its own."""
    english_home = bretagne_site.root_page.get_translation(bilingual["en"].locale)
    return Site.objects.create(
        hostname=BRITTANY, site_name="Maillage Brittany", root_page=english_home
    )


@pytest.fixture
def team(network):
    bretagne = network["bretagne"].profile
    return {
        "moderator": make_user("modo-bzh", bretagne.moderators),
        "editor": make_user("edit-bzh", bretagne.editors),
        "network": make_user("head", roles.ensure_network_administrators()),
    }


def post_comment(client, page, host=BRETAGNE, **fields):
    return send(client, page, headers={"HTTP_HOST": host, **ADDRESS}, **fields)


def one_per_window(settings):
    settings.COMMENTS_RATE_LIMIT = "1/10m"
    settings.COMMENTS_RATE_LIMIT_ENABLED = True


def moderation_list(client, user):
    client.force_login(user)
    response = client.get(reverse("comments_moderation:index") + "?status=all")
    assert response.status_code == 200
    return response.content.decode()


def pending_on_dashboard(client, user, site_name):
    client.force_login(user)
    response = client.get("/admin/network/sites/")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    table = soup.find("table", class_="listing")
    headers = [th.get_text(" ", strip=True) for th in table.find("tr").find_all(["th", "td"])]
    column = headers.index("Comments awaiting moderation")
    for row in table.find_all("tr")[1:]:
        cells = [cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])]
        if cells[0].startswith(site_name):
            return cells[column]
    raise AssertionError(f"{site_name} is not on the dashboard")


def may_edit(client, user, page):
    client.force_login(user)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    return response.status_code == 200


# --- One site in two languages ---------------------------------------------------------------


def test_the_rate_limit_is_one_budget_for_both_languages(settings, bilingual):
    one_per_window(settings)
    client = Client()
    assert post_comment(client, bilingual["fr"]).status_code == 303
    assert post_comment(client, bilingual["en"], body="Once more, in English.").status_code == 429


def test_approved_in_french_is_known_in_english(bretagne_site, bilingual):
    set_policy(bretagne_site, comment_moderation=ModerationPolicy.FIRST)
    client = Client()
    post_comment(client, bilingual["fr"], email="lena@example.org", name="Léna")
    first = Comment.objects.latest("pk")
    assert first.status == CommentStatus.PENDING
    moderation.approve(Comment.objects.filter(pk=first.pk))
    post_comment(client, bilingual["en"], email="lena@example.org", name="Léna", body="Hello.")
    assert Comment.objects.latest("pk").status == CommentStatus.APPROVED


def test_one_digest_for_both_languages(
    bretagne_site, bilingual, team, django_capture_on_commit_callbacks
):
    set_policy(bretagne_site, comment_moderation=ModerationPolicy.ALL)
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(Client(), bilingual["fr"], body="En français.")
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(Client(), bilingual["en"], body="In English.", email="bob@example.org")
    call_command("send_comment_digests", stdout=io.StringIO())
    to_moderator = [m for m in mail.outbox if team["moderator"].email in m.to]
    assert len(to_moderator) == 1  # the second comment waits for the same site's window


def test_the_dashboard_counts_both_languages(client, bilingual, team):
    make_comment(bilingual["fr"], status=CommentStatus.PENDING)
    make_comment(bilingual["en"], status=CommentStatus.PENDING)
    assert pending_on_dashboard(client, team["network"], "Maillage Bretagne") == "2"


def test_a_moderator_sees_both_languages_and_no_other_site(client, bilingual, team, network):
    make_comment(bilingual["fr"], body="Commentaire en français.")
    make_comment(bilingual["en"], body="A comment in English.")
    make_comment(bretagne_post(network["occitanie"], "Ailleurs"), body="Commentaire occitan.")
    html = moderation_list(client, team["moderator"])
    assert "Commentaire en français." in html
    assert "A comment in English." in html
    assert "Commentaire occitan." not in html


def test_the_team_edits_both_languages(client, bilingual, team, network):
    assert may_edit(client, team["editor"], bilingual["fr"])
    assert may_edit(client, team["editor"], bilingual["en"])
    assert not may_edit(client, team["editor"], network["occitanie"].root_page)


# --- A translated home that is its own Site --------------------------------------------------


def test_a_translated_home_made_its_own_site_is_another_site(
    settings, client, bretagne_site, bilingual, brittany, team
):
    english = bilingual["en"]
    english_home = brittany.root_page
    # Permissions: Bretagne's team has no rights on Brittany's pages any more.
    assert may_edit(client, team["editor"], bilingual["fr"])
    assert not may_edit(client, team["editor"], english)
    assert not may_edit(client, team["editor"], english_home)
    # Moderation scope and counts: Brittany's comments are not Bretagne's.
    make_comment(bilingual["fr"], status=CommentStatus.PENDING, body="Commentaire breton.")
    make_comment(english, status=CommentStatus.PENDING, body="A Brittany comment.")
    html = moderation_list(client, team["moderator"])
    assert "Commentaire breton." in html
    assert "A Brittany comment." not in html
    assert pending_on_dashboard(client, team["network"], "Maillage Bretagne") == "1"
    assert pending_on_dashboard(client, team["network"], "Maillage Brittany") == "1"
    # The rate limit: two budgets.
    Comment.objects.all().delete()
    one_per_window(settings)
    visitor = Client()
    assert post_comment(visitor, bilingual["fr"]).status_code == 303
    assert post_comment(visitor, english, host=BRITTANY, body="Other site.").status_code == 303
    # Known commenter: approved on Bretagne is not known on Brittany.
    settings.COMMENTS_RATE_LIMIT_ENABLED = False
    set_policy(bretagne_site, comment_moderation=ModerationPolicy.FIRST)
    set_policy(brittany, comment_moderation=ModerationPolicy.FIRST)
    Comment.objects.update(status=CommentStatus.APPROVED)
    moderation.approve(Comment.objects.all())
    post_comment(visitor, english, host=BRITTANY, body="Again.")
    assert Comment.objects.latest("pk").status == CommentStatus.APPROVED  # approved there before
    other = Client()
    post_comment(other, bilingual["fr"], email="zoe@example.org", body="Bonjour.")
    moderation.approve(Comment.objects.filter(pk=Comment.objects.latest("pk").pk))
    post_comment(other, english, host=BRITTANY, email="zoe@example.org", body="Hi.")
    assert Comment.objects.latest("pk").status == CommentStatus.PENDING
    # Digests, counts and filters go by the comments' site keys: one per site.
    assert set(Comment.objects.filter(page=bilingual["fr"]).values_list("site_key", flat=True)) == {
        f"site:{bretagne_site.pk}"
    }
    assert set(Comment.objects.filter(page=english).values_list("site_key", flat=True)) == {
        f"site:{brittany.pk}"
    }
