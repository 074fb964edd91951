"""Sharing in the admin: the "Where is this published" panel of a post's editor, the "Shared with
my site" view where a target site's editors hide or unhide what others share with it, and the
limits: nobody acts on a site they do not edit, and a target's editors cannot edit the origin.
"""

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from wagtail.models import Page

import pytest
from bs4 import BeautifulSoup

from blog.choices import ShareScope
from blog.models import BlogPostPage, HiddenSharedPost
from blog.syndication import PublicationState, hide, publication_states
from sites import lifecycle, roles
from sites.factory import SiteRequest, create_site
from tests.support.blog import blog_of, make_author, make_post, share

BRETAGNE = "bretagne.localhost"
OCCITANIE = "occitanie.localhost"
GROUP_FOR_ROLE = {
    roles.EDITOR: "editors",
    roles.MODERATOR: "moderators",
    roles.ADMINISTRATOR: "administrators",
}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def make_member(username, *memberships):
    """A user holding each (site, role) of `memberships`, through the factory's groups."""
    user = get_user_model().objects.create_user(username=username, password="x")
    for site, role in memberships:
        getattr(site.profile, GROUP_FOR_ROLE[role]).user_set.add(user)
    return user


@pytest.fixture
def emploi_site(network):
    site = create_site(
        SiteRequest(
            name="Maillage Emploi", hostname="emploi.localhost", kind="thematic", theme="Emploi"
        )
    )
    lifecycle.launch(site)  # a draft site is no sharing target
    return site


@pytest.fixture
def bretagne_editor(bretagne_site):
    return make_member("bretagne-editor", (bretagne_site, roles.EDITOR))


@pytest.fixture
def head_blog(head_site):
    return blog_of(head_site)


@pytest.fixture
def regional_post(head_blog):
    """A post of the head site shared with every regional site."""
    post = make_post(head_blog, "Un fonds pour les régions", authors=[make_author("Julien")])
    return share(post, scope=ShareScope.REGIONAL)


def logged_in(user, **kwargs):
    client = Client(**kwargs)
    client.force_login(user)
    return client


def shared_url(site):
    return reverse("blog_shared:site", args=[site.pk])


def action_url(action, site, post):
    return reverse(f"blog_shared:{action}", args=[site.pk, post.pk])


def rows(response):
    """{title: (origin, state value, action of its button)} of the "Shared with my site" table."""
    assert response.status_code == 200, response.status_code
    page = BeautifulSoup(response.content, "html.parser")
    return {
        row.select_one("td.title").get_text(strip=True): (
            row.select_one("td[data-origin]").get_text(strip=True),
            row["data-state"],
            row.select_one("form")["data-action"],
        )
        for row in page.select("tr[data-post]")
    }


def listed_on(client, host):
    page = BeautifulSoup(client.get("/blog/", HTTP_HOST=host).content, "html.parser")
    return [a.get_text(strip=True) for a in page.select(".post-card__title a")]


# --- "Shared with my site" -----------------------------------------------------------------------


def test_the_menu_item_shows_to_site_editors_only(bretagne_site):
    editor = make_member("editor", (bretagne_site, roles.EDITOR))
    moderator = make_member("moderator", (bretagne_site, roles.MODERATOR))
    url = reverse("blog_shared:index")
    assert url in logged_in(editor).get("/admin/").content.decode()
    assert url not in logged_in(moderator).get("/admin/").content.decode()


def test_an_editor_of_one_site_goes_straight_to_it(bretagne_editor, bretagne_site):
    response = logged_in(bretagne_editor).get(reverse("blog_shared:index"))
    assert response.status_code == 302
    assert response["Location"] == shared_url(bretagne_site)


def test_an_editor_of_several_sites_chooses_among_them(network):
    user = make_member(
        "two-sites",
        (network["bretagne"], roles.EDITOR),
        (network["occitanie"], roles.ADMINISTRATOR),
    )
    response = logged_in(user).get(reverse("blog_shared:index"))
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    links = {a.get_text(strip=True): a["href"] for a in page.select("tbody a")}
    assert links == {
        "Maillage Bretagne": shared_url(network["bretagne"]),
        "Maillage Occitanie": shared_url(network["occitanie"]),
    }


def test_someone_who_edits_no_site_is_refused(bretagne_site):
    moderator = make_member("moderator", (bretagne_site, roles.MODERATOR))
    client = logged_in(moderator)
    assert client.get(reverse("blog_shared:index")).status_code == 403
    assert client.get(shared_url(bretagne_site)).status_code == 403


def test_the_list_shows_what_others_share_with_the_site(
    bretagne_editor, bretagne_site, occitanie_site, head_blog, regional_post
):
    bretagne_blog = blog_of(bretagne_site)
    make_post(bretagne_blog, "Un article breton")  # the site's own: not in the list
    share(make_post(head_blog, "Pour l'Occitanie seule"), occitanie_site)
    from_occitanie = share(
        make_post(blog_of(occitanie_site), "Depuis Toulouse"), scope=ShareScope.ALL
    )
    hide(from_occitanie, bretagne_site)

    listed = rows(logged_in(bretagne_editor).get(shared_url(bretagne_site)))

    assert listed == {
        regional_post.title: ("Réseau Maillage", PublicationState.LISTED, "hide"),
        from_occitanie.title: ("Maillage Occitanie", PublicationState.HIDDEN, "unhide"),
    }


def test_a_target_editor_hides_a_shared_post_then_unhides_it(
    client, bretagne_editor, bretagne_site, regional_post
):
    assert regional_post.title in listed_on(client, BRETAGNE)
    admin = logged_in(bretagne_editor, enforce_csrf_checks=True)
    page = BeautifulSoup(admin.get(shared_url(bretagne_site)).content, "html.parser")
    form = page.select_one(f'form[action="{action_url("hide", bretagne_site, regional_post)}"]')
    token = form.select_one('input[name="csrfmiddlewaretoken"]')["value"]

    # without the CSRF token: refused, nothing hidden
    assert admin.post(action_url("hide", bretagne_site, regional_post)).status_code == 403
    assert not HiddenSharedPost.objects.exists()

    response = admin.post(form["action"], {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert response["Location"] == shared_url(bretagne_site)
    hidden = HiddenSharedPost.objects.get()
    assert (hidden.post_id, hidden.site, hidden.hidden_by) == (
        regional_post.pk,
        bretagne_site,
        bretagne_editor,
    )
    # gone from Bretagne only
    assert regional_post.title not in listed_on(client, BRETAGNE)
    assert client.get(f"/blog/{regional_post.slug}/", HTTP_HOST=BRETAGNE).status_code == 404
    assert (
        regional_post.title
        not in client.get("/blog/feed/rss/", HTTP_HOST=BRETAGNE).content.decode()
    )
    assert regional_post.title in listed_on(client, OCCITANIE)
    assert client.get(f"/blog/{regional_post.slug}/", HTTP_HOST=OCCITANIE).status_code == 200
    assert rows(admin.get(shared_url(bretagne_site)))[regional_post.title][1:] == (
        PublicationState.HIDDEN,
        "unhide",
    )

    response = admin.post(
        action_url("unhide", bretagne_site, regional_post), {"csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    assert not HiddenSharedPost.objects.exists()
    assert regional_post.title in listed_on(client, BRETAGNE)
    assert client.get(f"/blog/{regional_post.slug}/", HTTP_HOST=BRETAGNE).status_code == 200


def test_a_bretagne_editor_cannot_hide_on_occitanie(
    client, bretagne_editor, occitanie_site, regional_post
):
    admin = logged_in(bretagne_editor)
    assert admin.get(shared_url(occitanie_site)).status_code == 403
    assert admin.post(action_url("hide", occitanie_site, regional_post)).status_code == 403
    assert not HiddenSharedPost.objects.exists()

    hide(regional_post, occitanie_site)
    assert admin.post(action_url("unhide", occitanie_site, regional_post)).status_code == 403
    assert HiddenSharedPost.objects.filter(site=occitanie_site).exists()
    assert regional_post.title not in listed_on(client, OCCITANIE)


def test_a_user_without_admin_access_changes_nothing(bretagne_site, regional_post):
    user = get_user_model().objects.create_user(username="reader", password="x")
    response = logged_in(user).post(action_url("hide", bretagne_site, regional_post))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))
    assert not HiddenSharedPost.objects.exists()


def test_only_posts_shared_with_the_site_can_be_hidden(bretagne_editor, bretagne_site, head_blog):
    not_shared = make_post(head_blog, "Pas partagé")
    own = make_post(blog_of(bretagne_site), "Le nôtre")
    admin = logged_in(bretagne_editor)
    for post in (not_shared, own):
        assert admin.post(action_url("hide", bretagne_site, post)).status_code == 404
    assert not HiddenSharedPost.objects.exists()


def test_hiding_is_a_post(bretagne_editor, bretagne_site, regional_post):
    admin = logged_in(bretagne_editor)
    assert admin.get(action_url("hide", bretagne_site, regional_post)).status_code == 405
    assert not HiddenSharedPost.objects.exists()


@pytest.mark.parametrize("role", [roles.ADMINISTRATOR, "network"])
def test_site_and_network_administrators_may_hide(role, bretagne_site, regional_post):
    if role == "network":
        user = make_member("network-admin")
        user.groups.add(roles.ensure_network_administrators())
    else:
        user = make_member("bretagne-admin", (bretagne_site, role))
    response = logged_in(user).post(action_url("hide", bretagne_site, regional_post))
    assert response.status_code == 302
    assert HiddenSharedPost.objects.filter(site=bretagne_site, post=regional_post).exists()


# --- a target's editors cannot edit the origin post ----------------------------------------------


def test_a_target_editor_cannot_edit_the_origin_post(client, bretagne_editor, regional_post):
    admin = logged_in(bretagne_editor)
    edit_url = reverse("wagtailadmin_pages:edit", args=[regional_post.pk])
    revisions = regional_post.revisions.count()

    response = admin.get(edit_url)
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")

    response = admin.post(
        edit_url,
        {"title": "Détourné", "slug": regional_post.slug, "action-publish": "action-publish"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")

    post = BlogPostPage.objects.get(pk=regional_post.pk)
    assert (post.title, post.share_scope) == (regional_post.title, ShareScope.REGIONAL)
    assert post.revisions.count() == revisions
    assert regional_post.title in listed_on(client, BRETAGNE)
    # nor unpublish or delete it
    for name in ("wagtailadmin_pages:unpublish", "wagtailadmin_pages:delete"):
        assert admin.post(reverse(name, args=[regional_post.pk])).status_code == 302
    assert Page.objects.get(pk=regional_post.pk).live


# --- "Where is this published" ----------------------------------------------------------------


def panel(admin_client, post):
    """(the origin's name, whether it is live) and {site name: state value}, from the post's
    editor panel."""
    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[post.pk]))
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    box = page.select_one("[data-where-published]")
    assert box is not None
    states = {
        row.select_one("td").get_text(strip=True): row["data-state"]
        for row in box.select("tr[data-site]")
    }
    origin = box.select_one("[data-origin]")
    return (origin.select_one("[data-site-name]").get_text(strip=True), origin["data-live"]), states


def test_the_editor_shows_where_the_post_is_published(
    admin_client, regional_post, emploi_site, bretagne_site, occitanie_site
):
    share(regional_post, emploi_site, scope=ShareScope.REGIONAL)
    hide(regional_post, occitanie_site)

    origin, states = panel(admin_client, regional_post)
    assert origin == ("Réseau Maillage", "yes")
    assert states == {
        "Maillage Bretagne": PublicationState.LISTED,
        "Maillage Emploi": PublicationState.LISTED,
        "Maillage Occitanie": PublicationState.HIDDEN,
    }

    regional_post.unpublish()
    origin, states = panel(admin_client, regional_post)
    assert origin == ("Réseau Maillage", "no")
    assert set(states.values()) == {PublicationState.NOT_PUBLISHED}


def test_the_panel_of_an_unshared_post(admin_client, head_blog):
    post = make_post(head_blog, "Pour nous seuls", authors=[make_author("Julien")])
    origin, states = panel(admin_client, post)
    assert origin == ("Réseau Maillage", "yes")
    assert states == {}


def test_the_panel_follows_the_published_post_not_a_draft(admin_client, regional_post):
    draft = BlogPostPage.objects.get(pk=regional_post.pk)
    draft.share_scope = ShareScope.NONE
    draft.save_revision()

    _origin, states = panel(admin_client, regional_post)
    assert set(states) == {"Maillage Bretagne", "Maillage Occitanie"}


def test_states_say_why_a_target_does_not_list_the_post(
    network, regional_post, bretagne_site, occitanie_site
):
    make_post(blog_of(bretagne_site), "La nôtre", slug=regional_post.slug)
    blog_of(occitanie_site).unpublish()

    states = {site.hostname: state for site, state in publication_states(regional_post)}
    assert states == {
        BRETAGNE: PublicationState.SHADOWED,
        OCCITANIE: PublicationState.NO_BLOG,
    }
