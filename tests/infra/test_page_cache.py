"""The page cache for anonymous visitors (infra/page_cache.py; the rules in sites/page_cache.py and
blog/page_cache.py): what it serves, to whom, and that every change a visitor could see makes the
pages showing it fresh again, and only those."""

import time

from django.core import signing
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from wagtail.models import Page, PageViewRestriction

import pytest
import time_machine

from blog import syndication
from blog.models import BlogPostPage, NetworkNewsPage
from blog.syndication import ShareScope
from comments import moderation, personal_data
from comments.forms import TIMESTAMP_SALT
from comments.models import Comment, CommentStatus
from sites.models import ModerationPolicy, SiteSettings
from sites.page_cache import MANY_PAGES
from tests.support.blog import accept_all, blog_of, make_post, translate_blog
from tests.support.comments import make_comment, make_user, set_policy
from tests.support.page_cache import (
    BRETAGNE,
    OCCITANIE,
    TIMESTAMP,
    TOKEN,
    comment_through_the_page,
    form,
    publish,
    visit,
)

HEAD = "localhost"


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.MAILLAGE_PAGE_CACHE = True


@pytest.fixture
def post(bretagne_site):
    return make_post(blog_of(bretagne_site), "Habiter autrement", slug="habiter")


@pytest.fixture
def news(head_site):
    page = NetworkNewsPage(title="Actualités du réseau", slug="actualites")
    head_site.root_page.add_child(instance=page)
    return page


def cache_state(response):
    return response.headers.get("X-Page-Cache")


def cached(path, host=BRETAGNE):
    """Visit twice as two anonymous visitors: the second one must be served from the cache."""
    first, second = visit(path, host), visit(path, host)
    assert first.status_code == 200, path
    assert (cache_state(first), cache_state(second)) == ("miss", "hit"), path
    return second.content.decode()


def fresh(path, host=BRETAGNE):
    """The page as the next anonymous visitor gets it, which must not come from the cache."""
    response = visit(path, host)
    assert cache_state(response) == "miss", path
    return response


def still_cached(path, host=BRETAGNE):
    assert cache_state(visit(path, host)) == "hit", path


# --- what is cached, for whom -------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/", "/blog/", "/blog/habiter/", "/blog/feed/rss/", "/sitemap.xml", "/search/?q=habiter"],
)
def test_every_kind_of_public_page_is_served_from_the_cache(post, path):
    assert cache_state(visit(path)) == "miss"
    assert cache_state(visit(path)) == "hit"


def test_the_network_news_and_the_network_search_are_cached(post, news):
    cached("/actualites/", HEAD)
    cached("/search/?q=habiter&scope=network", HEAD)


def test_a_cached_page_is_never_served_on_another_site(post, occitanie_site):
    bretagne = cached("/blog/")
    occitanie = fresh("/blog/", OCCITANIE).content.decode()
    assert "Maillage Bretagne" in bretagne and "Maillage Bretagne" not in occitanie
    assert "Maillage Occitanie" in occitanie
    assert "Habiter autrement" not in occitanie


def test_a_cached_page_is_never_served_in_another_language(bretagne_site, english, post):
    translate_blog(bretagne_site, english, blog_title="Our blog")
    french = cached("/blog/")
    english_page = fresh("/en/blog/").content.decode()
    assert 'lang="fr"' in french and 'lang="en"' in english_page
    assert "Our blog" in english_page and "Our blog" not in french


def test_the_query_string_is_part_of_the_address(post):
    cached("/search/?q=habiter")
    assert "Habiter autrement" not in fresh("/search/?q=cooperative").content.decode()


def test_logged_in_users_are_never_served_nor_stored(client, post, bretagne_site):
    editor = make_user("editrice", bretagne_site.profile.editors)
    client.force_login(editor)
    for _ in range(2):
        response = visit("/blog/habiter/", client=client)
        assert response.status_code == 200 and cache_state(response) is None
    # What the editor saw (their userbar) was not kept for anonymous visitors either.
    anonymous = fresh("/blog/habiter/").content.decode()
    assert "wagtail-userbar" not in anonymous


def test_a_page_behind_a_password_is_never_stored(post):
    PageViewRestriction.objects.create(page=post, restriction_type="password", password="secret")
    for _ in range(2):
        response = visit("/blog/habiter/")
        assert response.status_code == 200 and cache_state(response) is None
        assert "Habiter autrement" not in response.content.decode().split("<main", 1)[-1]


def test_a_visitor_with_the_edit_window_cookie_sees_their_own_page(post, bretagne_site):
    set_policy(bretagne_site, comment_moderation=ModerationPolicy.NONE)
    cached("/blog/habiter/")
    author = comment_through_the_page(post)
    own = visit("/blog/habiter/", client=author)
    assert cache_state(own) is None
    assert "/comments/edit/" in own.content.decode()
    assert "/comments/edit/" not in fresh("/blog/habiter/").content.decode()


def test_answers_to_a_post_and_404s_are_not_stored(post):
    assert cache_state(Client().post(f"/comments/post/{post.pk}/", {}, HTTP_HOST=BRETAGNE)) is None
    for _ in range(2):
        missing = visit("/blog/nothing-here/")
        assert missing.status_code == 404 and cache_state(missing) is None
    assert cache_state(visit("/healthz")) is None


def test_nothing_is_cached_when_the_setting_is_off(settings, post):
    settings.MAILLAGE_PAGE_CACHE = False
    for _ in range(2):
        assert cache_state(visit("/blog/habiter/")) is None


# --- the comment form on a cached page ----------------------------------------------------------


def test_a_cached_page_gives_each_visitor_a_fresh_token_and_timestamp(post):
    first = visit("/blog/habiter/")
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=5)):
        second = visit("/blog/habiter/")
    assert cache_state(second) == "hit"
    assert "<!--comments:" not in second.content.decode()
    assert form(first)["csrfmiddlewaretoken"] != form(second)["csrfmiddlewaretoken"]
    assert "csrftoken" in second.cookies  # the token given matches a cookie set for it
    shown_at = signing.loads(form(second)["timestamp"], salt=TIMESTAMP_SALT)
    assert shown_at - signing.loads(form(first)["timestamp"], salt=TIMESTAMP_SALT) >= 299


def test_a_comment_posted_through_a_cached_page_is_accepted(post, bretagne_site):
    set_policy(bretagne_site, comment_moderation=ModerationPolicy.NONE)
    cached("/blog/habiter/")
    visitor = Client(enforce_csrf_checks=True)
    page = visit("/blog/habiter/", client=visitor)
    assert cache_state(page) == "hit"
    with time_machine.travel(time.time() + 30):
        sent = visitor.post(f"/comments/post/{post.pk}/", form(page), HTTP_HOST=BRETAGNE)
    assert sent.status_code == 303
    comment = Comment.objects.get()
    assert comment.status == CommentStatus.APPROVED
    # Approved at once: the next visitor reads it.
    assert "Très bel article." in fresh("/blog/habiter/").content.decode()


def test_the_form_shown_again_with_errors_keeps_its_fields_and_gets_a_token(post):
    visitor = Client(enforce_csrf_checks=True)
    page = visit("/blog/habiter/", client=visitor)
    with time_machine.travel(time.time() + 30):
        answer = visitor.post(
            f"/comments/post/{post.pk}/", form(page, email="not-an-address"), HTTP_HOST=BRETAGNE
        )
    assert answer.status_code == 400 and cache_state(answer) is None
    html = answer.content.decode()
    assert "Très bel article." in html and TOKEN.search(html) and TIMESTAMP.search(html)


# --- invalidation: each change makes the pages that show it fresh, and only those -----------------


def test_publishing_an_edit_refreshes_the_post_its_blog_sitemap_feed_and_the_network_news(
    post, news, occitanie_site
):
    make_post(blog_of(occitanie_site), "Vivre ensemble", slug="vivre")
    news_path = "/actualites/"
    for path, host in [
        ("/blog/habiter/", BRETAGNE),
        ("/blog/", BRETAGNE),
        ("/blog/feed/rss/", BRETAGNE),
        ("/sitemap.xml", BRETAGNE),
        (news_path, HEAD),
        ("/blog/", OCCITANIE),
    ]:
        cached(path, host)
    post.title = "Habiter en commun"
    publish(post)
    for path, host in [
        ("/blog/habiter/", BRETAGNE),
        ("/blog/", BRETAGNE),
        ("/blog/feed/rss/", BRETAGNE),
        (news_path, HEAD),
    ]:
        assert "Habiter en commun" in fresh(path, host).content.decode(), path
    fresh("/sitemap.xml")
    still_cached("/blog/", OCCITANIE)  # another site's blog does not show it


def test_unpublishing_through_the_admin_removes_the_post_everywhere(admin_client, post, news):
    for path, host in [("/blog/habiter/", BRETAGNE), ("/blog/", BRETAGNE), ("/actualites/", HEAD)]:
        cached(path, host)
    cached("/sitemap.xml")
    response = admin_client.post(f"/admin/pages/{post.pk}/unpublish/", {"include_descendants": ""})
    assert response.status_code == 302
    assert visit("/blog/habiter/").status_code == 404
    assert "Habiter autrement" not in fresh("/blog/").content.decode()
    assert "Habiter autrement" not in fresh("/actualites/", HEAD).content.decode()
    assert "/blog/habiter/" not in fresh("/sitemap.xml").content.decode()


def test_deleting_through_the_admin_removes_the_post_everywhere(admin_client, post):
    cached("/blog/habiter/")
    cached("/blog/")
    response = admin_client.post(f"/admin/pages/{post.pk}/delete/")
    assert response.status_code == 302
    assert not BlogPostPage.objects.filter(pk=post.pk).exists()
    assert visit("/blog/habiter/").status_code == 404
    assert "Habiter autrement" not in fresh("/blog/").content.decode()


def test_moving_a_post_to_another_sites_blog_refreshes_both_blogs(
    admin_client, post, occitanie_site
):
    cached("/blog/")
    cached("/blog/", OCCITANIE)
    target = blog_of(occitanie_site)
    response = admin_client.post(f"/admin/pages/{post.pk}/move/{target.pk}/confirm/")
    assert response.status_code == 302
    assert Page.objects.get(pk=post.pk).get_parent().pk == target.pk
    assert "Habiter autrement" not in fresh("/blog/").content.decode()
    assert "Habiter autrement" in fresh("/blog/", OCCITANIE).content.decode()


def test_a_shared_post_is_refreshed_on_its_targets_and_taken_off_one_it_no_longer_goes_to(
    head_site, bretagne_site, occitanie_site
):
    shared = make_post(blog_of(head_site), "Assemblée générale", slug="ag")
    shared.share_scope = ShareScope.REGIONAL
    publish(shared)
    for host in (BRETAGNE, OCCITANIE):  # proposed, not accepted yet
        assert "Assemblée générale" not in cached("/blog/", host)
    accept_all(shared)  # accepting refreshes each target's pages
    for host in (BRETAGNE, OCCITANIE):
        assert "Assemblée générale" in fresh("/blog/", host).content.decode()
        cached("/blog/ag/", host)
    shared.title = "Assemblée générale 2027"
    publish(shared)
    for host in (BRETAGNE, OCCITANIE):
        assert "Assemblée générale 2027" in fresh("/blog/ag/", host).content.decode()
        cached("/blog/", host)
    # Now shared with Occitanie alone: Bretagne's listing drops it at once.
    shared.share_scope = ShareScope.NONE
    shared.shared_sites = [occitanie_site]
    publish(shared)
    assert "Assemblée générale" not in fresh("/blog/").content.decode()
    assert "Assemblée générale" in fresh("/blog/", OCCITANIE).content.decode()


def test_a_site_hiding_a_shared_post_refreshes_its_own_listing_only(head_site, occitanie_site):
    shared = make_post(blog_of(head_site), "Assemblée générale", slug="ag")
    shared.share_scope = ShareScope.REGIONAL
    publish(shared)
    accept_all(shared)
    cached("/blog/")
    cached("/blog/", OCCITANIE)
    syndication.hide(shared, SiteSettings.objects.get(site__hostname=BRETAGNE).site)
    assert "Assemblée générale" not in fresh("/blog/").content.decode()
    still_cached("/blog/", OCCITANIE)


def test_a_site_settings_change_refreshes_that_site_only(post, bretagne_site, occitanie_site):
    for host in (BRETAGNE, OCCITANIE):
        cached("/", host)
        cached("/blog/habiter/" if host == BRETAGNE else "/blog/", host)
    settings_ = SiteSettings.for_site(bretagne_site)
    settings_.contact_email = "bonjour@bretagne.example"
    settings_.save()
    assert "bonjour@bretagne.example" in fresh("/").content.decode()
    fresh("/blog/habiter/")
    still_cached("/", OCCITANIE)
    still_cached("/blog/", OCCITANIE)


def test_approving_a_comment_refreshes_the_post_and_the_counts_but_not_other_pages(
    post, occitanie_site
):
    make_post(blog_of(occitanie_site), "Vivre ensemble", slug="vivre")
    waiting = make_comment(post, status=CommentStatus.PENDING, body="Merci pour ce texte.")
    assert "Merci pour ce texte." not in cached("/blog/habiter/")
    cached("/blog/")
    cached("/")
    cached("/blog/", OCCITANIE)
    moderation.approve(Comment.objects.filter(pk=waiting.pk))
    assert "Merci pour ce texte." in fresh("/blog/habiter/").content.decode()
    fresh("/blog/")  # its card counts the comment
    still_cached("/")
    still_cached("/blog/", OCCITANIE)


def test_approving_a_comment_through_the_moderation_admin_refreshes_the_post(admin_client, post):
    waiting = make_comment(post, status=CommentStatus.PENDING, body="Merci pour ce texte.")
    cached("/blog/habiter/")
    response = admin_client.post(f"/admin/bulk/comments/comment/approve/?id={waiting.pk}")
    assert response.status_code == 302
    assert Comment.objects.get(pk=waiting.pk).status == CommentStatus.APPROVED
    assert "Merci pour ce texte." in fresh("/blog/habiter/").content.decode()


def test_anonymizing_a_commenters_comments_refreshes_the_post(post):
    make_comment(post, author_name="Maël Le Bihan", email="mael@example.org")
    assert "Maël Le Bihan" in cached("/blog/habiter/")
    personal_data.erase("mael@example.org", personal_data.ANONYMIZE)
    assert "Maël Le Bihan" not in fresh("/blog/habiter/").content.decode()


def test_a_commented_post_is_anonymized_by_the_daily_job_and_shown_so_once_republished(post):
    make_comment(post, author_name="Maël Le Bihan", email="mael@example.org")
    assert "Maël Le Bihan" in cached("/blog/habiter/")
    post.unpublish()
    with time_machine.travel(timezone.now() + timezone.timedelta(days=100)):
        call_command("anonymize_comments", verbosity=0)
    assert Comment.objects.get().anonymized_at is not None
    publish(BlogPostPage.objects.get(pk=post.pk))
    assert "Maël Le Bihan" not in fresh("/blog/habiter/").content.decode()


def test_publishing_on_one_site_leaves_another_sites_pages_cached(post, occitanie_site):
    cached("/", OCCITANIE)
    cached("/blog/", OCCITANIE)
    post.title = "Habiter en commun"
    publish(post)
    still_cached("/", OCCITANIE)
    still_cached("/blog/", OCCITANIE)


def test_anonymizing_comments_on_many_pages_at_once_refreshes_them_all(post, occitanie_site):
    """Past sites.page_cache.MANY_PAGES pages, one version for everything is bumped instead."""
    others = [make_post(blog_of(occitanie_site), f"Article {n}") for n in range(MANY_PAGES)]
    for page in [post, *others]:
        make_comment(page, author_name="Maël Le Bihan", email="mael@example.org")
    assert "Maël Le Bihan" in cached("/blog/habiter/")
    cached("/", OCCITANIE)
    personal_data.erase("mael@example.org", personal_data.ANONYMIZE)
    assert "Maël Le Bihan" not in fresh("/blog/habiter/").content.decode()
    fresh("/", OCCITANIE)
