"""Fragments kept between renders (infra.page_cache.fragment; sites/templatetags/site_fragments.py):
with the whole-page cache off, a post's comments, its head and body, a blog's sidebar and a site's
menu and footer are read from the cache, never shown on another site or in another language, never
to a visitor with a page of their own, and fresh again as soon as what they show changes."""

import time

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import Page

import pytest
import time_machine

from blog.models import BlogCategory
from comments import moderation, personal_data
from comments.models import Comment, CommentStatus
from sites.models import ModerationPolicy, SiteSettings
from tests.support.blog import blog_of, make_category, make_post, translate_blog
from tests.support.comments import make_comment, make_user, set_policy
from tests.support.page_cache import (
    BRETAGNE,
    OCCITANIE,
    comment_through_the_page,
    form,
    publish,
    visit,
)


@pytest.fixture(autouse=True)
def fragments_only(settings):
    settings.MAILLAGE_PAGE_CACHE = False
    settings.MAILLAGE_FRAGMENT_CACHE = True


@pytest.fixture
def post(bretagne_site):
    return make_post(blog_of(bretagne_site), "Habiter autrement", slug="habiter")


def queries(path, host=BRETAGNE, client=None):
    """(the page's HTML, the SQL of its queries)."""
    with CaptureQueriesContext(connection) as captured:
        response = visit(path, host, client=client)
    assert response.status_code == 200, path
    assert response.headers.get("X-Page-Cache") is None  # the whole-page cache is off
    return response.content.decode(), [query["sql"] for query in captured.captured_queries]


def reading(table):
    return lambda sql: f'"{table}"' in sql


def menu(sql):
    """The query for the pages shown in the site's menu."""
    return '"show_in_menus"' in sql.partition(" WHERE ")[2]


def sidebar(sql):
    """The query counting the posts of the blog's categories."""
    return '"blog_blogcategory"' in sql and "COUNT(" in sql


def reads(matches, path, host=BRETAGNE, client=None):
    """How many of the page's queries `matches`."""
    return sum(map(matches, queries(path, host, client)[1]))


def shown(path, host=BRETAGNE, client=None):
    return visit(path, host, client=client).content.decode()


# --- what is kept -------------------------------------------------------------------------------


def test_a_posts_comments_are_read_once_then_served_from_the_cache(post):
    make_comment(post, body="Premier avis.")
    first, first_sql = queries("/blog/habiter/")
    second, second_sql = queries("/blog/habiter/")
    comments = reading("comments_comment")
    assert sum(map(comments, first_sql)) == 1 and sum(map(comments, second_sql)) == 0
    assert "Premier avis." in first and "Premier avis." in second


def test_a_posts_authors_categories_and_related_posts_are_not_read_again(post):
    assert reads(reading("blog_blogcategory"), "/blog/habiter/") == 1
    assert reads(reading("blog_blogcategory"), "/blog/habiter/") == 0


def test_the_site_menu_and_the_blog_sidebar_are_kept_across_pages(post):
    _html, sql = queries("/blog/")
    assert sum(map(menu, sql)) == 1 and sum(map(sidebar, sql)) == 1
    assert reads(menu, "/") == 0
    assert reads(sidebar, "/blog/?page=1") == 0


def test_a_blogs_cards_are_read_once_then_served_from_the_cache(post):
    first, first_sql = queries("/blog/")
    second, second_sql = queries("/blog/")
    posts = reading("blog_blogpostpage")
    assert sum(map(posts, first_sql)) >= 1 and sum(map(posts, second_sql)) == 0
    assert "Habiter autrement" in first and "Habiter autrement" in second


def test_a_page_of_a_blog_past_its_end_is_still_a_404(post):
    for _ in range(2):
        assert visit("/blog/?page=99").status_code == 404
    assert visit("/blog/?page=1").status_code == 200


def test_each_visitor_still_gets_a_fresh_form_token(post):
    first = visit("/blog/habiter/")
    with time_machine.travel(time.time() + 300):
        second = visit("/blog/habiter/")
    assert "<!--comments:" not in second.content.decode()
    assert form(first)["csrfmiddlewaretoken"] != form(second)["csrfmiddlewaretoken"]
    assert form(first)["timestamp"] != form(second)["timestamp"]


def test_nothing_is_kept_when_the_setting_is_off(settings, post):
    settings.MAILLAGE_FRAGMENT_CACHE = False
    make_comment(post)
    for _ in range(2):
        assert reads(reading("comments_comment"), "/blog/habiter/") == 1
        _html, sql = queries("/blog/")
        assert sum(map(menu, sql)) == 1 and sum(map(sidebar, sql)) == 1


# --- for whom -----------------------------------------------------------------------------------


def test_a_fragment_is_never_shown_on_another_site(bretagne_site, occitanie_site):
    for site, city in ((bretagne_site, "Brest"), (occitanie_site, "Toulouse")):
        page = make_post(blog_of(site), f"Vivre à {city}", slug="vivre")
        make_comment(page, body=f"Bonjour de {city}.")
    assert "Bonjour de Brest." in shown("/blog/vivre/")
    occitanie = shown("/blog/vivre/", OCCITANIE)
    assert "Bonjour de Toulouse." in occitanie and "Brest" not in occitanie
    assert "Maillage Occitanie" in occitanie.split("<footer", 1)[1]


def test_a_fragment_is_never_shown_in_another_language(bretagne_site, english, post):
    translate_blog(bretagne_site, english, home_title="Home", blog_title="Our blog")
    french = shown("/blog/")
    english_page = shown("/en/blog/")
    assert 'lang="en"' in english_page and "Manage my comments" in english_page
    assert "Manage my comments" not in french


def test_a_logged_in_editor_is_never_served_a_kept_fragment(client, post, bretagne_site):
    make_comment(post)
    visit("/blog/habiter/")
    client.force_login(make_user("editrice", bretagne_site.profile.editors))
    assert reads(reading("comments_comment"), "/blog/habiter/", client=client) == 1


def test_a_commenter_in_their_edit_window_sees_their_edit_links(post, bretagne_site):
    set_policy(bretagne_site, comment_moderation=ModerationPolicy.NONE)
    visit("/blog/habiter/")
    author = comment_through_the_page(post)
    assert "/comments/edit/" in shown("/blog/habiter/", client=author)
    anonymous = shown("/blog/habiter/")
    assert "Très bel article." in anonymous and "/comments/edit/" not in anonymous


# --- fresh again when what they show changes ------------------------------------------------------


def test_an_approved_comment_is_shown_at_once_and_other_posts_stay_kept(post):
    other = make_post(blog_of(post.get_site()), "Vivre ensemble", slug="vivre")
    make_comment(other)
    waiting = make_comment(post, status=CommentStatus.PENDING, body="Merci pour ce texte.")
    assert "Merci pour ce texte." not in shown("/blog/habiter/")
    visit("/blog/vivre/")
    moderation.approve(Comment.objects.filter(pk=waiting.pk))
    assert "Merci pour ce texte." in shown("/blog/habiter/")
    assert reads(reading("comments_comment"), "/blog/vivre/") == 0


def test_an_anonymized_commenter_disappears_at_once(post):
    make_comment(post, author_name="Maël Le Bihan", email="mael@example.org")
    assert "Maël Le Bihan" in shown("/blog/habiter/")
    personal_data.erase("mael@example.org", personal_data.ANONYMIZE)
    assert "Maël Le Bihan" not in shown("/blog/habiter/")


def test_a_published_edit_is_shown_at_once(post):
    assert "Habiter autrement" in shown("/blog/habiter/")
    post.title = "Habiter en commun"
    post.intro = "Une nouvelle introduction."
    publish(post)
    html = shown("/blog/habiter/")
    assert "Habiter en commun" in html and "Une nouvelle introduction." in html


def test_closing_comments_in_the_site_settings_removes_the_form_at_once(post, bretagne_site):
    assert 'id="comment-form"' in shown("/blog/habiter/")
    set_policy(bretagne_site, comments_enabled=False)
    assert 'id="comment-form"' not in shown("/blog/habiter/")


def test_a_site_settings_change_refreshes_that_sites_footer_only(bretagne_site, occitanie_site):
    shown("/", OCCITANIE)
    assert "bonjour@bretagne.example" not in shown("/")
    settings_ = SiteSettings.for_site(bretagne_site)
    settings_.contact_email = "bonjour@bretagne.example"
    settings_.save()
    assert "bonjour@bretagne.example" in shown("/")
    assert reads(menu, "/", OCCITANIE) == 0


def test_a_page_published_in_the_menu_appears_in_it_at_once(bretagne_site):
    assert "Nous rejoindre" not in shown("/")
    home = bretagne_site.root_page
    page = Page(title="Nous rejoindre", slug="rejoindre", show_in_menus=True)
    home.add_child(instance=page)
    publish(page)
    assert "Nous rejoindre" in shown("/blog/").split("</header>", 1)[0]
    page.unpublish()
    assert "Nous rejoindre" not in shown("/")


def test_a_comment_approved_on_a_listed_post_updates_its_card_at_once(post):
    waiting = make_comment(post, status=CommentStatus.PENDING)
    assert "1 comment" not in shown("/blog/")
    moderation.approve(Comment.objects.filter(pk=waiting.pk))
    assert "1 comment" in shown("/blog/")


def test_a_page_around_kept_cards_still_depends_on_their_posts(settings, post):
    """The page cache stores a page whose cards came from the fragment cache: with the tags of the
    posts on them, so that a comment approved on one of them still makes the page stale."""
    waiting = make_comment(post, status=CommentStatus.PENDING)
    shown("/blog/")  # the cards kept, the page cache off
    settings.MAILLAGE_PAGE_CACHE = True
    assert visit("/blog/").headers["X-Page-Cache"] == "miss"
    assert visit("/blog/").headers["X-Page-Cache"] == "hit"
    moderation.approve(Comment.objects.filter(pk=waiting.pk))
    refreshed = visit("/blog/")
    assert refreshed.headers["X-Page-Cache"] == "miss"
    assert "1 comment" in refreshed.content.decode()


def test_a_new_category_appears_in_the_blog_sidebar_at_once(bretagne_site):
    make_post(blog_of(bretagne_site), "Premier", slug="premier")
    assert "Énergie citoyenne" not in shown("/blog/")
    category = make_category("Énergie citoyenne")
    post = make_post(blog_of(bretagne_site), "Second", slug="second", categories=[category])
    publish(post)
    assert "Énergie citoyenne" in shown("/blog/").split("blog__aside", 1)[1]
    BlogCategory.objects.filter(pk=category.pk).update(name="Énergies citoyennes")
    category = BlogCategory.objects.get(pk=category.pk)
    category.save()  # a category edited in the admin: shown everywhere
    assert "Énergies citoyennes" in shown("/blog/").split("blog__aside", 1)[1]
