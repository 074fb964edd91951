"""The admin's "Add a site": network administrators only, same rules as `create_site`."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils.translation import override

from wagtail.models import Collection, Page, Site
from wagtail.users.models import UserProfile

import pytest

from sites import roles
from sites.models import SiteProfile

URL = "/admin/network/sites/add/"


def make_user(username, *groups, **extra):
    """A user who reads the admin in English (French catalogues come later; tests read English)."""
    user = get_user_model().objects.create_user(username=username, password="x", **extra)
    user.groups.add(*groups)
    UserProfile.objects.create(user=user, preferred_language="en")
    return user


@pytest.fixture
def superuser(network):
    return make_user("root", is_superuser=True, is_staff=True)


@pytest.fixture
def network_administrator(network):
    return make_user("network-admin", roles.ensure_network_administrators())


@pytest.fixture
def bretagne_editor(bretagne_site):
    return make_user("bretagne-editor", bretagne_site.profile.editors)


@pytest.fixture
def bretagne_administrator(bretagne_site):
    return make_user("bretagne-admin", bretagne_site.profile.administrators)


@pytest.fixture(params=["superuser", "network_administrator"])
def admin_client(request, client):
    client.force_login(request.getfixturevalue(request.param))
    return client


@pytest.fixture
def network_admin_client(client, network_administrator):
    client.force_login(network_administrator)
    return client


def footprint():
    return [model.objects.count() for model in (Page, Site, Group, Collection, SiteProfile)]


VALID = {
    "name": "Maillage Normandie",
    "hostname": "normandie.localhost",
    "port": "80",
    "kind": "regional",
    "region": "Normandie",
    "theme": "",
    "locale": "fr",
}


def field_errors(response):
    # Django's own messages are lazy: read them in the language the admin answered in.
    with override("en"):
        return {
            name: [str(error) for error in errors]
            for name, errors in response.context["form"].errors.items()
        }


def error_next_to_field(html, field, message):
    """The message is rendered inside the field's own wrapper (Wagtail's `w-field`)."""
    start = html.index(f'data-contentpath="{field}"')
    end = html.find("</li>", start)
    return message in html[start:end]


def test_network_administrators_get_the_form(admin_client):
    response = admin_client.get(URL)

    assert response.status_code == 200
    html = response.content.decode()
    for field in ("name", "hostname", "port", "kind", "region", "theme", "locale"):
        assert f'name="{field}"' in html
    assert 'value="80"' in html
    assert "wagtailadmin/generic/form.html" in [template.name for template in response.templates]


def test_posting_a_valid_form_creates_the_site_and_shows_its_checklist(admin_client):
    response = admin_client.post(URL, VALID)

    site = Site.objects.get(hostname="normandie.localhost")
    assert site.profile.kind == "regional"
    assert site.profile.region == "Normandie"
    assert site.root_page.live
    checklist_url = reverse("maillage_network:checklist", args=[site.pk])
    assert response.status_code == 302
    assert response["Location"] == checklist_url

    page = admin_client.get(checklist_url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "The site “Maillage Normandie” was created" in html
    assert "0 of 4" in html
    # A draft until launched from here (sites.lifecycle): visitors do not see it yet.
    assert site.profile.status == "draft"
    assert reverse("maillage_network:site_launch", args=[site.pk]) in html
    assert admin_client.get("/", HTTP_HOST="normandie.localhost").status_code == 200  # the team's
    assert Client().get("/", HTTP_HOST="normandie.localhost").status_code == 404


def test_the_port_defaults_to_80_and_another_port_is_kept(admin_client):
    admin_client.post(URL, {**VALID, "port": ""})
    admin_client.post(
        URL,
        {**VALID, "name": "Normandie test", "port": "8080", "kind": "thematic", "theme": "Eau"},
    )

    assert Site.objects.get(hostname="normandie.localhost", port=80).site_name == (
        "Maillage Normandie"
    )
    thematic = Site.objects.get(hostname="normandie.localhost", port=8080)
    assert (thematic.profile.kind, thematic.profile.theme) == ("thematic", "Eau")


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        pytest.param(
            {"hostname": "bretagne.localhost"},
            "hostname",
            "bretagne.localhost:80 is already used by the site “Maillage Bretagne”.",
            id="host-taken",
        ),
        pytest.param(
            {"region": ""}, "region", "A regional site needs a region.", id="region-missing"
        ),
        pytest.param(
            {"kind": "thematic", "theme": "  "},
            "theme",
            "A thematic site needs a theme.",
            id="theme-missing",
        ),
        pytest.param(
            {"hostname": "https://normandie.example.org/"},
            "hostname",
            "is not a valid host name",
            id="invalid-hostname",
        ),
        pytest.param(
            {"port": "99999"},
            "port",
            "The port must be a number between 1 and 65535.",
            id="port-out-of-range",
        ),
        pytest.param({"port": "eighty"}, "port", "Enter a whole number.", id="port-not-a-number"),
        pytest.param({"kind": "national"}, "kind", "Select a valid choice.", id="unknown-kind"),
        pytest.param({"locale": "de"}, "locale", "Select a valid choice.", id="unknown-locale"),
        pytest.param({"name": ""}, "name", "This field is required.", id="empty-name"),
        pytest.param(
            {"name": "Maillage Occitanie"},
            "name",
            "A site named “Maillage Occitanie” already exists",
            id="name-taken",
        ),
    ],
)
def test_errors_are_shown_next_to_their_field_and_nothing_is_created(
    network_admin_client, data, field, message
):
    before = footprint()

    response = network_admin_client.post(URL, {**VALID, **data})

    assert response.status_code == 200
    errors = field_errors(response)
    assert list(errors) == [field]
    assert any(message in error for error in errors[field])
    html = response.content.decode()
    assert error_next_to_field(html, field, message)
    assert "The site could not be created because of errors." in html
    assert footprint() == before


def test_every_problem_is_reported_at_once(network_admin_client):
    response = network_admin_client.post(
        URL, {**VALID, "name": "", "hostname": "not a host", "region": "", "port": "0"}
    )

    assert set(field_errors(response)) == {"name", "hostname", "region", "port"}
    # The form's own "required" message is not doubled by the factory's.
    assert field_errors(response)["name"] == ["This field is required."]


def test_a_host_name_taken_while_the_form_was_checked_is_reported_on_the_field(
    network_admin_client, monkeypatch
):
    """The factory validates again inside its transaction; its answer reaches the form."""
    from sites.forms import AddSiteForm

    original_clean = AddSiteForm.clean

    def clean_then_someone_else_creates_the_site(form):
        cleaned_data = original_clean(form)
        Site.objects.create(
            hostname="normandie.localhost", port=80, root_page=Page.get_first_root_node()
        )
        return cleaned_data

    monkeypatch.setattr(AddSiteForm, "clean", clean_then_someone_else_creates_the_site)
    sites_before = Site.objects.count()

    response = network_admin_client.post(URL, VALID)

    assert response.status_code == 200
    assert "hostname" in field_errors(response)
    assert Site.objects.count() == sites_before + 1  # only the other one
    assert not SiteProfile.objects.filter(site__hostname="normandie.localhost").exists()


@pytest.mark.parametrize("user", ["bretagne_editor", "bretagne_administrator"])
def test_site_teams_are_denied(client, request, user):
    client.force_login(request.getfixturevalue(user))
    before = footprint()

    assert client.get(URL).status_code == 403
    assert client.post(URL, VALID).status_code == 403
    assert footprint() == before


def test_anonymous_visitors_are_sent_to_the_login_page(client, network):
    before = footprint()

    for response in (client.get(URL), client.post(URL, VALID)):
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/?next=")
    assert footprint() == before


def test_users_without_admin_access_are_denied(client, network):
    client.force_login(make_user("visitor"))

    response = client.post(URL, VALID)

    # Wagtail itself turns away users without admin access, to the login page.
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert not Site.objects.filter(hostname="normandie.localhost").exists()
