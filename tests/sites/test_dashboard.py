"""The network dashboard: right counts, filters, ordering, pagination, scoping, and a query count
that does not grow with the number of sites."""

import re
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from wagtail.models import Site
from wagtail.users.models import UserProfile

import pytest

from blog.models import BlogIndexPage, BlogPostPage
from sites import roles
from sites.factory import SiteRequest, create_site
from sites.models import SiteSettings, StandardPage
from tests.support.dashboard import table

URL = "/admin/network/sites/"
# Whatever the number of sites: the admin's own furniture (about 13 queries; the home page's
# Wagtail panels about 10 more) plus one query per metric.
# The dashboard 25, plus 1 since the Comments menu item asks which sites the user moderates.
QUERY_BUDGET = {URL: 26, "/admin/": 35}


def make_user(username, *groups, **extra):
    """A user who reads the admin in English (French catalogues come later; tests read English)."""
    user = get_user_model().objects.create_user(username=username, password="x", **extra)
    user.groups.add(*groups)
    UserProfile.objects.create(user=user, preferred_language="en")
    return user


@pytest.fixture
def network_admin_client(client, network):
    client.force_login(make_user("network-admin", roles.ensure_network_administrators()))
    return client


def blog_of(site):
    return BlogIndexPage.objects.descendant_of(site.root_page).get()


def add_post(site, slug, live=True, days_ago=0, **extra):
    post = BlogPostPage(
        title=slug,
        slug=slug,
        live=live,
        first_published_at=timezone.now() - timedelta(days=days_ago) if live else None,
        last_published_at=timezone.now() - timedelta(days=days_ago) if live else None,
        **extra,
    )
    blog_of(site).add_child(instance=post)
    return post


def add_page(site, slug, live=True, parent=None, **extra):
    page = StandardPage(title=slug, slug=slug, live=live, **extra)
    (parent or site.root_page).add_child(instance=page)
    return page


@pytest.fixture
def bretagne_activity(bretagne_site):
    """Bretagne: 4 pages from the factory, 1 more live page and 1 draft, 2 recent posts, 1 old
    post, 1 draft post: 4 + 1 + 3 = 8 live pages, 2 posts in the last 30 days."""
    add_page(bretagne_site, "projets")
    add_page(bretagne_site, "brouillon", live=False)
    add_post(bretagne_site, "recent-1", days_ago=2)
    add_post(bretagne_site, "recent-2", days_ago=29)
    add_post(bretagne_site, "old", days_ago=45)
    add_post(bretagne_site, "draft", live=False)
    return bretagne_site


def test_counts_per_site(network_admin_client, network, bretagne_activity):
    result = table(network_admin_client.get(URL))

    assert result["names"] == ["Maillage Bretagne", "Maillage Occitanie", "Réseau Maillage"]
    bretagne = result["rows"]["Maillage Bretagne"]
    assert bretagne["Kind"] == "Regional site"
    assert bretagne["Host name"] == "bretagne.localhost"
    assert bretagne["Live pages"] == "8"
    assert bretagne["Posts, last 30 days"] == "2"
    assert bretagne["Launch checklist"] == "1 of 4"
    occitanie = result["rows"]["Maillage Occitanie"]
    assert (occitanie["Live pages"], occitanie["Posts, last 30 days"]) == ("4", "0")
    assert occitanie["Launch checklist"] == "0 of 4"
    assert result["rows"]["Réseau Maillage"]["Kind"] == "Head site"


def test_a_posts_own_date_decides_whether_it_is_recent(network_admin_client, bretagne_site):
    today = timezone.localdate()
    add_post(bretagne_site, "backdated", days_ago=1, date=today - timedelta(days=60))
    add_post(bretagne_site, "imported-recently", days_ago=90, date=today - timedelta(days=3))

    bretagne = table(network_admin_client.get(URL))["rows"]["Maillage Bretagne"]

    assert bretagne["Posts, last 30 days"] == "1"


def test_the_last_publication_is_the_latest_in_the_sites_tree(network_admin_client, network):
    bretagne = network["bretagne"]
    page = add_page(bretagne, "ancienne")
    long_ago = timezone.now() - timedelta(days=3650)
    bretagne.root_page.get_descendants(inclusive=True).update(last_published_at=long_ago)
    StandardPage.objects.filter(pk=page.pk).update(last_published_at=long_ago + timedelta(days=1))

    response = network_admin_client.get(URL + "?ordering=last_published_at")
    rows = [row.last_published_at for row in response.context["object_list"]]

    by_name = {row.name: row for row in response.context["object_list"]}
    assert by_name["Maillage Bretagne"].last_published_at == long_ago + timedelta(days=1)
    assert response.context["object_list"][0].name == "Maillage Bretagne"
    assert rows == sorted(rows)


def test_translations_of_the_home_page_are_part_of_the_site(
    network_admin_client, bretagne_site, english
):
    home = bretagne_site.root_page.specific
    english_home = home.copy_for_translation(english)
    english_home.save_revision().publish()
    add_page(bretagne_site, "about", parent=english_home, locale=english)

    bretagne = table(network_admin_client.get(URL))["rows"]["Maillage Bretagne"]

    # 4 French; the English home, its privacy policy and legal notice (made when it is
    # published), and its page
    assert bretagne["Live pages"] == "8"


def test_a_translation_that_is_another_sites_root_belongs_to_that_site(
    network_admin_client, bretagne_site, english
):
    english_home = bretagne_site.root_page.specific.copy_for_translation(english)
    english_home.save_revision().publish()
    add_page(bretagne_site, "about", parent=english_home, locale=english)
    Site.objects.create(
        hostname="brittany.localhost", site_name="Maillage Brittany", root_page=english_home
    )

    rows = table(network_admin_client.get(URL))["rows"]

    assert rows["Maillage Bretagne"]["Live pages"] == "4"
    assert rows["Maillage Brittany"]["Live pages"] == "4"  # home, its policy pages, about
    assert rows["Maillage Brittany"]["Launch checklist"] == "0 of 4"  # no settings yet


def test_each_row_links_to_the_sites_pages_settings_and_checklist(network_admin_client, network):
    links = table(network_admin_client.get(URL))["links"]

    for site in network.values():
        row_links = links[site.site_name]
        assert reverse("wagtailadmin_explore", args=[site.root_page_id]) in row_links
        assert (
            reverse("wagtailsettings:edit", args=["maillage_sites", "sitesettings", site.pk])
            in row_links
        )
        assert reverse("maillage_network:checklist", args=[site.pk]) in row_links


def test_a_port_other_than_80_is_shown(network_admin_client, network):
    Site.objects.filter(pk=network["occitanie"].pk).update(port=8080)

    result = table(network_admin_client.get(URL))

    assert result["rows"]["Maillage Occitanie"]["Host name"] == "occitanie.localhost:8080"
    assert result["rows"]["Maillage Bretagne"]["Host name"] == "bretagne.localhost"


# --- Comments awaiting moderation ----------------------------------------------------------


def count_pending_comments(sites):
    """Stands in for the comments app's counter: 3 for Bretagne."""
    return {site.pk: 3 for site in sites if site.hostname == "bretagne.localhost"}


def test_the_pending_comments_column_is_hidden_without_a_counter(network_admin_client, settings):
    settings.MAILLAGE_PENDING_COMMENTS_COUNTER = None

    result = table(network_admin_client.get(URL))

    assert "Comments awaiting moderation" not in result["headers"]


def test_the_pending_comments_column_shows_the_counters_answer(
    network_admin_client, network, settings
):
    settings.MAILLAGE_PENDING_COMMENTS_COUNTER = f"{__name__}.count_pending_comments"

    result = table(network_admin_client.get(URL + "?ordering=-pending_comments"))

    assert "Comments awaiting moderation" in result["headers"]
    assert result["rows"]["Maillage Bretagne"]["Comments awaiting moderation"] == "3"
    assert result["rows"]["Maillage Occitanie"]["Comments awaiting moderation"] == "0"
    assert result["names"][0] == "Maillage Bretagne"


# --- Filter, ordering, pagination ---------------------------------------------------------


def test_filter_by_kind(network_admin_client, network):
    regional = table(network_admin_client.get(URL + "?kind=regional"))["names"]
    head = table(network_admin_client.get(URL + "?kind=head"))["names"]
    thematic = network_admin_client.get(URL + "?kind=thematic")

    assert regional == ["Maillage Bretagne", "Maillage Occitanie"]
    assert head == ["Réseau Maillage"]
    assert thematic.status_code == 200
    assert list(thematic.context["object_list"]) == []


def test_the_filtered_results_fragment_answers_too(network_admin_client, network):
    response = network_admin_client.get(URL + "results/?kind=head")

    assert table(response)["names"] == ["Réseau Maillage"]
    assert "<html" not in response.content.decode()


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("name", ["Maillage Bretagne", "Maillage Occitanie", "Réseau Maillage"]),
        ("-name", ["Réseau Maillage", "Maillage Occitanie", "Maillage Bretagne"]),
        ("-live_pages", ["Maillage Bretagne", "Maillage Occitanie", "Réseau Maillage"]),
        ("live_pages", ["Maillage Occitanie", "Réseau Maillage", "Maillage Bretagne"]),
        ("-recent_posts", ["Maillage Bretagne", "Maillage Occitanie", "Réseau Maillage"]),
        ("kind", ["Réseau Maillage", "Maillage Bretagne", "Maillage Occitanie"]),
        ("-hostname", ["Maillage Occitanie", "Réseau Maillage", "Maillage Bretagne"]),
        ("-checklist", ["Maillage Bretagne", "Maillage Occitanie", "Réseau Maillage"]),
        ("not-a-column", ["Maillage Bretagne", "Maillage Occitanie", "Réseau Maillage"]),
    ],
)
def test_ordering(network_admin_client, bretagne_activity, ordering, expected):
    assert table(network_admin_client.get(f"{URL}?ordering={ordering}"))["names"] == expected


def test_column_headers_sort_the_table(network_admin_client, network):
    html = network_admin_client.get(URL + "?ordering=live_pages").content.decode()

    assert "?ordering=-live_pages" in html
    assert "?ordering=recent_posts" in html
    assert "?ordering=checklist" in html


def test_fifty_sites_per_page(network_admin_client, network):
    for number in range(48):  # 51 sites in all
        create_site(
            SiteRequest(
                name=f"Plateforme {number:02d}",
                hostname=f"plateforme-{number:02d}.localhost",
                kind="thematic",
                theme=f"Thème {number}",
            )
        )

    first = network_admin_client.get(URL)
    second = network_admin_client.get(URL + "?p=2")
    regional_only = network_admin_client.get(URL + "?kind=regional&p=2")

    assert len(table(first)["names"]) == 50
    assert table(second)["names"] == ["Réseau Maillage"]
    assert first.context["paginator"].count == 51
    assert table(regional_only)["names"] == ["Maillage Bretagne", "Maillage Occitanie"]


# --- Who sees what ------------------------------------------------------------------------


def test_a_bretagne_editor_sees_only_bretagne(client, network, bretagne_activity):
    client.force_login(make_user("bzh", network["bretagne"].profile.editors))

    response = client.get(URL)
    result = table(response)

    assert result["names"] == ["Maillage Bretagne"]
    assert result["rows"]["Maillage Bretagne"]["Live pages"] == "8"
    html = response.content.decode()
    assert "Occitanie" not in html
    assert "occitanie.localhost" not in html
    assert reverse("maillage_network:add_site") not in html


def test_someone_on_no_site_is_denied(client, network):
    nobody = make_user("nobody")
    nobody.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(nobody)

    assert client.get("/admin/").status_code == 200  # in the admin, but on no site
    assert client.get(URL).status_code == 403


def test_a_moderator_is_not_an_editor(client, bretagne_site):
    client.force_login(make_user("modo", bretagne_site.profile.moderators))

    assert client.get(URL).status_code == 403


def test_anonymous_visitors_are_sent_to_the_login_page(client, network):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_network_administrators_can_add_a_site_from_the_dashboard(network_admin_client, network):
    html = network_admin_client.get(URL).content.decode()

    assert reverse("maillage_network:add_site") in html


# --- The admin home page ------------------------------------------------------------------


def test_the_home_page_shows_the_network_panel_to_network_administrators(
    network_admin_client, bretagne_activity
):
    SiteSettings.objects.filter(site=bretagne_activity).update(contact_email="a@example.org")

    html = network_admin_client.get("/admin/").content.decode()

    assert 'id="maillage-network-section"' in html
    summary = html[html.index('id="maillage-network-summary"') :]
    summary = re.sub(r">\s+<", "><", summary[: summary.index("</table>")])
    for label, value in [
        ("Sites", 3),
        ("Ready for launch", 0),
        ("Live pages", 16),
        ("Posts, last 30 days", 2),
        ("Comments awaiting moderation", 0),
    ]:
        assert f'<th scope="row">{label}</th><td>{value}</td>' in summary
    assert reverse("maillage_network:checklist", args=[bretagne_activity.pk]) in html
    assert reverse("maillage_network:sites") in html


def test_the_home_page_has_no_network_panel_for_site_teams(client, bretagne_site):
    client.force_login(make_user("bzh", bretagne_site.profile.editors))

    response = client.get("/admin/")

    assert response.status_code == 200
    assert 'id="maillage-network-section"' not in response.content.decode()


# --- Query budget -------------------------------------------------------------------------


def add_sites(count, start=0):
    for number in range(start, start + count):
        site = create_site(
            SiteRequest(
                name=f"Maillage {number:02d}",
                hostname=f"region-{number:02d}.localhost",
                kind="regional",
                region=f"Région {number}",
            )
        )
        add_post(site, f"post-{number}", days_ago=number % 40)
        add_page(site, f"page-{number}")


def dashboard_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


PAGES = [URL, URL + "?ordering=-live_pages&kind=regional&p=1", "/admin/"]


def test_the_number_of_queries_does_not_grow_with_the_number_of_sites(
    network_admin_client, network, django_assert_max_num_queries
):
    add_post(network["bretagne"], "hello", days_ago=1)
    with_3_sites = {}
    for url in PAGES:
        network_admin_client.get(url)  # warm caches that are not per request
        with django_assert_max_num_queries(QUERY_BUDGET[url.split("?")[0]]):
            assert network_admin_client.get(url).status_code == 200
        with_3_sites[url] = dashboard_queries(network_admin_client, url)

    add_sites(27)
    assert Site.objects.count() == 30

    for url in PAGES:
        # Wagtail caches its site root paths (one query per site to rebuild after a change).
        network_admin_client.get(url)
        with django_assert_max_num_queries(QUERY_BUDGET[url.split("?")[0]]):
            response = network_admin_client.get(url)
        assert response.status_code == 200
        assert dashboard_queries(network_admin_client, url) == with_3_sites[url], url
    assert len(network_admin_client.get(URL).context["object_list"]) == 30


def test_a_scoped_users_dashboard_does_not_grow_either(
    client, network, django_assert_max_num_queries
):
    editor = make_user("editor", *(site.profile.editors for site in network.values()))
    client.force_login(editor)
    client.get(URL)
    with_3_sites = dashboard_queries(client, URL)

    add_sites(27)
    for site in Site.objects.filter(hostname__startswith="region-"):
        editor.groups.add(site.profile.editors)
    client.get(URL)

    with django_assert_max_num_queries(QUERY_BUDGET[URL]):
        response = client.get(URL)
    assert len(response.context["object_list"]) == 30
    assert dashboard_queries(client, URL) == with_3_sites


def test_sites_without_moderators_are_flagged_in_words(network_admin_client, network):
    """Bretagne has a moderator; Occitanie only an administrator (who gets its digest); the head
    site nobody (its digest goes to the network administrators). A user without an address or
    inactive does not count: the digest cannot reach them."""
    make_user("modo-bzh", network["bretagne"].profile.moderators, email="modo@example.org")
    make_user("admin-oc", network["occitanie"].profile.administrators, email="adm@example.org")
    make_user("silent", network["occitanie"].profile.moderators)  # no e-mail address
    make_user("gone", network["head"].profile.moderators, email="g@example.org", is_active=False)

    rows = table(network_admin_client.get(URL))["rows"]

    assert rows["Maillage Bretagne"]["Moderators"] == "1"
    assert rows["Maillage Occitanie"]["Moderators"] == (
        "No moderator: pending comments go to the site's administrators."
    )
    assert rows["Réseau Maillage"]["Moderators"] == (
        "No moderator nor administrator: pending comments go to the network administrators."
    )
