"""A site's team neither sees nor touches another site's pages, images, documents, settings or
redirects; network administrators and superusers see everything. Each admin action of each role
on each site is tried by the isolation matrix (tests/security/test_isolation_matrix.py); here,
the listings, choosers, explorer, uploads, site switcher and redirect forms as a user sees them.

Everything goes over HTTP as in a browser. Wagtail answers a refused admin request with a
redirect to the dashboard and an error message (or a 403 for the choosers' AJAX requests); each
refusal also checks that nothing changed.
"""

import json

from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import resolve, reverse

from wagtail.contrib.redirects import urls as wagtail_redirect_urls
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.permissions import policy_registry

import pytest

from sites import roles
from sites.scoping import SiteScopedRedirectPermissionPolicy
from tests.support.forms import png, redirect_form
from tests.support.scoping_fixtures import *  # noqa: F403
from tests.support.scoping_fixtures import make_member

Image = get_image_model()
Document = get_document_model()
XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


# --- Helpers -----------------------------------------------------------------------------------


def assert_denied_by_wagtail(response):
    """Wagtail's admin turns PermissionDenied into a redirect to the dashboard with an error."""
    assert response.status_code == 302, response.status_code
    assert response["Location"] == reverse("wagtailadmin_home")
    levels = [message.level_tag for message in get_messages(response.wsgi_request)]
    assert "error" in levels


def html_of(response):
    """The HTML of an admin page, or of a chooser modal (JSON with the HTML inside)."""
    if response["Content-Type"].startswith("application/json"):
        return json.loads(response.content)["html"]
    return response.content.decode()


def titles_in(response, *titles):
    html = html_of(response)
    return {title for title in titles if title in html}


# --- Lists and choosers show only the user's site ------------------------------------------------

LISTINGS = {
    "images": (lambda: reverse("wagtailimages:index"), "Image de "),
    "image chooser": (lambda: reverse("wagtailimages_chooser:choose"), "Image de "),
    "documents": (lambda: reverse("wagtaildocs:index"), "Document de "),
    "document chooser": (lambda: reverse("wagtaildocs_chooser:choose"), "Document de "),
    "redirects": (lambda: reverse("wagtailredirects:index"), "/ancien-"),
    "page search": (lambda: reverse("wagtailadmin_pages:search") + "?q=Page", "Page de "),
    "page chooser search": (
        lambda: reverse("wagtailadmin_choose_page_search") + "?q=Page",
        "Page de ",
    ),
    "page chooser": (lambda: reverse("wagtailadmin_choose_page"), "Maillage "),
}


def labels(prefix):
    """How each site's objects show in a listing ("Image de Bretagne", "/ancien-bretagne")."""
    if prefix.endswith("-"):
        return prefix + "bretagne", prefix + "occitanie"
    return prefix + "Bretagne", prefix + "Occitanie"


@pytest.mark.parametrize("role", [roles.EDITOR, roles.ADMINISTRATOR])
@pytest.mark.parametrize("listing", list(LISTINGS))
def test_listings_and_choosers_show_only_the_users_site(
    client, site_objects, bretagne_people, english, role, listing
):
    # A translated home makes Wagtail's explorable root the tree's root, where every site's
    # home would sit side by side.
    site_objects["bretagne"]["home"].copy_for_translation(english)
    client.force_login(bretagne_people[role])
    url, prefix = LISTINGS[listing]
    bretagne, occitanie = labels(prefix)

    response = client.get(url())

    assert response.status_code == 200
    assert titles_in(response, bretagne, occitanie, "Réseau Maillage") == {bretagne}


@pytest.mark.parametrize("user_fixture", ["network_administrator", "superuser"])
@pytest.mark.parametrize("listing", list(LISTINGS))
def test_network_administrators_see_every_site(
    client, request, site_objects, user_fixture, listing
):
    client.force_login(request.getfixturevalue(user_fixture))
    url, prefix = LISTINGS[listing]

    response = client.get(url())

    assert response.status_code == 200
    assert titles_in(response, *labels(prefix)) == set(labels(prefix))


@pytest.mark.parametrize("listing", ["images", "documents", "redirects"])
def test_moderators_have_no_media_or_redirect_listing(
    client, site_objects, bretagne_moderator, listing
):
    client.force_login(bretagne_moderator)
    assert_denied_by_wagtail(client.get(LISTINGS[listing][0]()))


# --- Pages -------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [roles.EDITOR, roles.ADMINISTRATOR])
def test_explorer_root_lists_only_the_users_homes(
    client, site_objects, bretagne_people, english, role
):
    translated = site_objects["bretagne"]["home"].copy_for_translation(english)
    client.force_login(bretagne_people[role])

    response = client.get(reverse("wagtailadmin_explore_root"))

    assert response.status_code == 200
    listed = {page.pk for page in response.context["object_list"]}
    assert listed == {site_objects["bretagne"]["home"].pk, translated.pk}


def test_explorer_does_not_list_another_sites_pages(client, site_objects, bretagne_editor, english):
    site_objects["bretagne"]["home"].copy_for_translation(english)
    client.force_login(bretagne_editor)
    occitanie_home = site_objects["occitanie"]["home"]

    response = client.get(reverse("wagtailadmin_explore", args=[occitanie_home.pk]))

    # Wagtail opens the page (the tree's root is this editor's explorable root) but lists none
    # of its children.
    assert response.status_code == 200
    assert "Page de Occitanie" not in response.content.decode()
    assert list(response.context["object_list"]) == []


def test_explorer_without_translations_sends_the_editor_home(client, site_objects, bretagne_editor):
    client.force_login(bretagne_editor)
    occitanie_home = site_objects["occitanie"]["home"]

    response = client.get(reverse("wagtailadmin_explore", args=[occitanie_home.pk]))

    bretagne_home = site_objects["bretagne"]["home"]
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_explore", args=[bretagne_home.pk])


def test_page_chooser_refuses_to_open_another_sites_page(client, site_objects, bretagne_editor):
    client.force_login(bretagne_editor)
    occitanie_home = site_objects["occitanie"]["home"]
    url = reverse("wagtailadmin_choose_page_child", args=[occitanie_home.pk])

    assert client.get(url, **XHR).status_code == 403  # the chooser modal's request
    assert_denied_by_wagtail(client.get(url))


def test_page_chooser_opens_the_users_own_pages(client, site_objects, bretagne_editor):
    client.force_login(bretagne_editor)
    bretagne_home = site_objects["bretagne"]["home"]

    response = client.get(reverse("wagtailadmin_choose_page_child", args=[bretagne_home.pk]), **XHR)

    assert response.status_code == 200
    assert titles_in(response, "Page de Bretagne", "Page de Occitanie") == {"Page de Bretagne"}


def test_page_chooser_of_an_editor_of_two_sites_shows_both(client, site_objects, network):
    user = make_member(network["bretagne"], roles.EDITOR, "deux-sites")
    network["head"].profile.editors.user_set.add(user)
    client.force_login(user)

    response = client.get(reverse("wagtailadmin_choose_page"))

    names = ("Maillage Bretagne", "Maillage Occitanie", "Réseau Maillage")
    assert titles_in(response, *names) == {"Maillage Bretagne", "Réseau Maillage"}


# --- Images and documents: the upload form files into the user's collection only -----------------


def test_image_upload_goes_to_the_users_collection(
    client, site_objects, bretagne_site, occitanie_site, bretagne_editor
):
    client.force_login(bretagne_editor)
    assert "collection" not in client.get(reverse("wagtailimages:add")).context["form"].fields

    response = client.post(
        reverse("wagtailimages:add"),
        {"title": "Envoyée", "file": png(), "collection": occitanie_site.profile.collection.pk},
    )

    assert response.status_code == 302
    assert Image.objects.get(title="Envoyée").collection == bretagne_site.profile.collection


def test_document_upload_goes_to_the_users_collection(
    client, site_objects, bretagne_site, occitanie_site, bretagne_editor
):
    client.force_login(bretagne_editor)
    assert "collection" not in client.get(reverse("wagtaildocs:add")).context["form"].fields

    upload = SimpleUploadedFile("note.txt", b"Bonjour", content_type="text/plain")
    response = client.post(
        reverse("wagtaildocs:add"),
        {"title": "Envoyé", "file": upload, "collection": occitanie_site.profile.collection.pk},
    )

    assert response.status_code == 302
    assert Document.objects.get(title="Envoyé").collection == bretagne_site.profile.collection


def test_upload_form_of_an_editor_of_two_sites_offers_their_two_collections(
    client, network, media_root
):
    user = make_member(network["bretagne"], roles.EDITOR, "deux-sites")
    network["head"].profile.editors.user_set.add(user)
    client.force_login(user)

    form = client.get(reverse("wagtailimages:add")).context["form"]

    offered = set(form.fields["collection"].queryset)
    assert offered == {network["bretagne"].profile.collection, network["head"].profile.collection}


# --- Site settings -------------------------------------------------------------------------------


def test_settings_menu_opens_the_users_own_site(client, network, bretagne_editor):
    client.force_login(bretagne_editor)

    # Even asked from Occitanie's host, the settings menu leads to Bretagne's settings.
    response = client.get(
        reverse("wagtailsettings:edit", args=["maillage_sites", "sitesettings"]),
        HTTP_HOST="occitanie.localhost",
    )

    expected = reverse(
        "wagtailsettings:edit", args=["maillage_sites", "sitesettings", network["bretagne"].pk]
    )
    assert response.status_code == 302
    assert response["Location"] == expected


def test_site_switcher_lists_only_permitted_sites(client, network):
    user = make_member(network["bretagne"], roles.EDITOR, "deux-sites")
    network["head"].profile.editors.user_set.add(user)
    client.force_login(user)

    response = client.get(
        reverse(
            "wagtailsettings:edit", args=["maillage_sites", "sitesettings", network["bretagne"].pk]
        )
    )

    switcher = response.context["site_switcher"]
    offered = {str(value) for value, _label in switcher.fields["site"].choices}
    assert offered == {
        reverse("wagtailsettings:edit", args=["maillage_sites", "sitesettings", site.pk])
        for site in (network["bretagne"], network["head"])
    }
    assert "Maillage Occitanie" not in response.content.decode()


def test_single_site_editor_gets_no_site_switcher(client, network, bretagne_editor):
    client.force_login(bretagne_editor)

    response = client.get(
        reverse(
            "wagtailsettings:edit", args=["maillage_sites", "sitesettings", network["bretagne"].pk]
        )
    )

    assert response.context["site_switcher"] is None
    assert response.context["site_for_header"] == network["bretagne"]


# --- Redirects: Wagtail's global admin, made per site --------------------------------------------


def test_our_redirect_permission_policy_is_the_one_in_use(db):
    from wagtail.contrib.redirects.views import permission_checker

    assert isinstance(policy_registry.get_by_type(Redirect), SiteScopedRedirectPermissionPolicy)
    assert isinstance(permission_checker.policy, SiteScopedRedirectPermissionPolicy)


@pytest.mark.parametrize("pattern", wagtail_redirect_urls.urlpatterns, ids=lambda p: p.name)
def test_every_wagtail_redirect_url_resolves_to_our_views(pattern):
    args = [1] if "redirect_id" in str(pattern.pattern) else []
    match = resolve(reverse(f"wagtailredirects:{pattern.name}", args=args))
    assert match.namespace == "maillage_redirects"
    assert match.url_name == pattern.name


def test_redirect_policy_names_who_may_manage_a_redirect(
    site_objects, bretagne_people, occitanie_administrator, network_administrator, superuser
):
    policy = policy_registry.get_by_type(Redirect)
    bretagne_redirect = site_objects["bretagne"]["redirect"]

    users = set(policy.users_with_permission_for_instance("change", bretagne_redirect))

    assert users == {
        bretagne_people[roles.EDITOR],
        bretagne_people[roles.ADMINISTRATOR],
        network_administrator,
        superuser,
    }


@pytest.mark.parametrize("role", [roles.EDITOR, roles.ADMINISTRATOR])
def test_redirect_form_offers_only_the_users_sites_and_requires_one(
    client, network, bretagne_people, role
):
    client.force_login(bretagne_people[role])

    response = client.get(reverse("wagtailredirects:add"))

    field = response.context["form"].fields["site"]
    assert list(field.queryset) == [network["bretagne"]]
    assert field.required
    assert [str(value) for value, _label in field.choices] == [str(network["bretagne"].pk)]


@pytest.mark.parametrize(
    ("site_key", "accepted"), [("bretagne", True), ("occitanie", False), (None, False)]
)
def test_site_team_creates_redirects_on_its_own_site_only(
    client, network, bretagne_editor, site_key, accepted
):
    client.force_login(bretagne_editor)
    site = network[site_key] if site_key else None

    response = client.post(reverse("wagtailredirects:add"), redirect_form(site))

    created = Redirect.objects.filter(old_path="/nouveau")
    if accepted:
        assert response.status_code == 302
        assert list(created.values_list("site", flat=True)) == [network["bretagne"].pk]
    else:
        assert response.status_code == 200
        assert response.context["form"].errors["site"]
        assert not created.exists()


def test_network_administrators_create_redirects_for_every_site(
    client, network, network_administrator
):
    client.force_login(network_administrator)

    response = client.post(reverse("wagtailredirects:add"), redirect_form(None))

    assert response.status_code == 302
    assert Redirect.objects.get(old_path="/nouveau").site is None


def test_site_team_cannot_move_its_redirect_to_another_site(
    client, site_objects, network, bretagne_editor
):
    client.force_login(bretagne_editor)
    redirect = site_objects["bretagne"]["redirect"]

    response = client.post(
        reverse("wagtailredirects:edit", args=[redirect.pk]), redirect_form(network["occitanie"])
    )

    assert response.status_code == 200
    assert response.context["form"].errors["site"]
    redirect.refresh_from_db()
    assert redirect.site == network["bretagne"]


REDIRECT_REQUESTS = {
    "view": ("get", "wagtailredirects:edit", None),
    "edit": (
        "post",
        "wagtailredirects:edit",
        lambda own: redirect_form(own["settings"], old_path="/modifie"),
    ),
    "delete": ("post", "wagtailredirects:delete", lambda own: {}),
}


@pytest.mark.parametrize("action", list(REDIRECT_REQUESTS))
def test_network_wide_redirects_are_for_network_administrators(
    client, site_objects, bretagne_administrator, network_wide_redirect, action
):
    client.force_login(bretagne_administrator)
    method, url_name, data = REDIRECT_REQUESTS[action]
    url = reverse(url_name, args=[network_wide_redirect.pk])

    if method == "get":
        response = client.get(url)
    else:
        response = client.post(url, data(site_objects["bretagne"]))

    assert_denied_by_wagtail(response)
    network_wide_redirect.refresh_from_db()
    assert network_wide_redirect.old_path == "/partout"
    assert network_wide_redirect.site is None


def test_redirect_listing_hides_network_wide_redirects_from_site_teams(
    client, site_objects, bretagne_editor, network_wide_redirect
):
    client.force_login(bretagne_editor)

    response = client.get(reverse("wagtailredirects:index"))

    assert list(response.context["object_list"]) == [site_objects["bretagne"]["redirect"]]


def test_redirect_site_filter_offers_only_the_users_sites(client, network, bretagne_editor):
    client.force_login(bretagne_editor)

    response = client.get(reverse("wagtailredirects:index"))

    assert list(response.context["filters"].form.fields["site"].queryset) == [network["bretagne"]]


def test_filtering_redirects_on_another_site_shows_nothing(
    client, site_objects, network, bretagne_editor
):
    client.force_login(bretagne_editor)

    response = client.get(reverse("wagtailredirects:index") + f"?site={network['occitanie'].pk}")

    assert "/ancien-occitanie" not in response.content.decode()


@pytest.mark.parametrize("url_name", ["start_import", "process_import"])
def test_redirect_import_is_for_network_administrators(
    client, network, bretagne_administrator, url_name
):
    client.force_login(bretagne_administrator)
    url = reverse(f"wagtailredirects:{url_name}")

    response = client.get(url) if url_name == "start_import" else client.post(url, {})

    assert_denied_by_wagtail(response)
    index = client.get(reverse("wagtailredirects:index")).content.decode()
    assert reverse("wagtailredirects:start_import") not in index


def test_network_administrators_can_import_redirects(client, network, network_administrator):
    client.force_login(network_administrator)

    assert client.get(reverse("wagtailredirects:start_import")).status_code == 200
    index = client.get(reverse("wagtailredirects:index")).content.decode()
    assert reverse("wagtailredirects:start_import") in index
