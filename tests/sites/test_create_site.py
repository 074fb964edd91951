"""`manage.py create_site`: a complete site, or nothing at all with a message naming the problem."""

from io import StringIO

from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.utils.translation import override

from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    GroupSitePermission,
    Locale,
    Page,
    Site,
)

import pytest

from blog.models import BlogIndexPage
from sites import roles
from sites.models import HomePage, SiteProfile, SiteSettings, StandardPage
from sites.signals import site_created


def create_site(*args):
    out = StringIO()
    call_command("create_site", *args, stdout=out)
    return out.getvalue()


def footprint():
    """How much of everything a site is made of exists."""
    return {
        model.__name__: model.objects.count()
        for model in (
            Page,
            Site,
            Group,
            Collection,
            SiteProfile,
            SiteSettings,
            Locale,
            GroupPagePermission,
            GroupCollectionPermission,
            GroupSitePermission,
        )
    }


def page_permissions(group, page):
    return set(
        GroupPagePermission.objects.filter(group=group, page=page).values_list(
            "permission__codename", flat=True
        )
    )


def test_create_site_builds_a_complete_regional_site(network):
    output = create_site(
        "--name=Maillage Normandie",
        "--hostname=normandie.localhost",
        "--kind=regional",
        "--region=Normandie",
    )

    site = Site.objects.get(hostname="normandie.localhost", port=80)
    assert site.site_name == "Maillage Normandie"
    assert not site.is_default_site
    assert "Maillage Normandie créé à l'adresse http://normandie.localhost:80/" in output
    # A new site is a draft (sites.lifecycle), and the command says how to launch it.
    assert site.profile.status == "draft"
    assert "brouillon" in output and "--launch" in output

    home = site.root_page.specific
    assert isinstance(home, HomePage)
    assert home.live
    assert home.title == "Maillage Normandie"
    assert home.locale.language_code == "fr"
    assert home.depth == 2

    profile = site.profile
    assert (profile.kind, profile.region, profile.theme) == ("regional", "Normandie", "")

    site_settings = SiteSettings.objects.get(site=site)
    for page in (site_settings.privacy_page, site_settings.legal_notice_page):
        assert page is not None
        assert page.live
        assert page.get_parent().pk == home.pk
    assert site_settings.privacy_page.title == "Politique de confidentialité"
    assert not site_settings.privacy_page_reviewed

    blog = BlogIndexPage.objects.child_of(home).get()
    assert blog.live

    assert profile.collection.name == "Maillage Normandie"
    assert profile.collection.get_parent() == Collection.get_first_root_node()

    assert [group.name for group in profile.groups] == [
        "Maillage Normandie editors",
        "Maillage Normandie moderators",
        "Maillage Normandie administrators",
    ]
    for group in profile.groups:
        assert group.name in output
        assert group.permissions.filter(codename="access_admin").exists()
    assert page_permissions(profile.editors, home) == {"add_page", "change_page", "publish_page"}
    assert page_permissions(profile.administrators, home) == {
        "add_page",
        "change_page",
        "publish_page",
        "lock_page",
        "unlock_page",
    }
    assert page_permissions(profile.moderators, home) == set()

    for group in (profile.editors, profile.administrators):
        assert GroupCollectionPermission.objects.filter(
            group=group, collection=profile.collection, permission__codename="add_image"
        ).exists()
    # Every team opens the site's settings; what each changes is sites.settings_roles'.
    for group in (profile.editors, profile.moderators, profile.administrators):
        assert GroupSitePermission.objects.filter(
            group=group, site=site, permission__codename="change_sitesettings"
        ).exists()
    assert GroupSitePermission.objects.filter(group=profile.moderators).count() == 1
    assert GroupSitePermission.objects.filter(
        group__name=roles.NETWORK_ADMINISTRATORS, site=site
    ).exists()

    # Nothing was granted on the other sites
    bretagne = network["bretagne"]
    assert page_permissions(profile.editors, bretagne.root_page) == set()
    assert not GroupSitePermission.objects.filter(group=profile.editors, site=bretagne).exists()


def test_create_site_launch_opens_the_site_at_once(client, network):
    output = create_site(
        "--name=Maillage Normandie",
        "--hostname=normandie.localhost",
        "--kind=regional",
        "--region=Normandie",
        "--launch",
    )
    site = Site.objects.get(hostname="normandie.localhost", port=80)
    assert site.profile.status == "live"
    assert "--launch" not in output
    assert client.get("/", HTTP_HOST="normandie.localhost").status_code == 200


def test_create_site_builds_an_english_thematic_site_on_another_port(network):
    create_site(
        "--name=Maillage Habitat",
        "--hostname=bretagne.localhost",
        "--port=8080",
        "--kind=thematic",
        "--theme=Habitat",
        "--region=ignored",
        "--locale=en",
    )

    site = Site.objects.get(hostname="bretagne.localhost", port=8080)
    profile = site.profile
    assert (profile.kind, profile.region, profile.theme) == ("thematic", "", "Habitat")
    assert site.root_page.locale.language_code == "en"
    privacy = SiteSettings.objects.get(site=site).privacy_page
    assert privacy.title == "Privacy policy"
    assert privacy.locale.language_code == "en"


def test_create_site_can_make_the_default_site(network):
    create_site("--name=Nouvelle tête", "--hostname=tete.localhost", "--kind=head", "--default")

    assert Site.objects.get(is_default_site=True).hostname == "tete.localhost"
    assert Site.objects.filter(is_default_site=True).count() == 1


@pytest.mark.parametrize(
    ("arguments", "problem"),
    [
        pytest.param(
            ["--name=Doublon", "--hostname=bretagne.localhost", "--kind=head"],
            "--hostname: bretagne.localhost:80 is already used by the site “Maillage Bretagne”",
            id="host-and-port-taken",
        ),
        pytest.param(
            ["--name=Doublon", "--hostname=Bretagne.Localhost.", "--kind=head"],
            "--hostname: bretagne.localhost:80 is already used",
            id="host-taken-whatever-the-case",
        ),
        pytest.param(
            ["--name=Maillage Bretagne", "--hostname=autre.localhost", "--kind=head"],
            "--name: A site named “Maillage Bretagne” already exists",
            id="name-taken",
        ),
        pytest.param(
            ["--name=Nationale", "--hostname=nat.localhost", "--kind=national"],
            "--kind: Unknown kind “national”",
            id="unknown-kind",
        ),
        pytest.param(
            ["--name=Normandie", "--hostname=normandie.localhost", "--kind=regional"],
            "--region: A regional site needs a region.",
            id="regional-without-region",
        ),
        pytest.param(
            ["--name=Habitat", "--hostname=habitat.localhost", "--kind=thematic", "--region=X"],
            "--theme: A thematic site needs a theme.",
            id="thematic-without-theme",
        ),
        pytest.param(
            ["--name=   ", "--hostname=vide.localhost", "--kind=head"],
            "--name: Give the site a name.",
            id="empty-name",
        ),
        pytest.param(
            ["--name=Invalide", "--hostname=http://invalide.example.org", "--kind=head"],
            "--hostname: “http://invalide.example.org” is not a valid host name",
            id="invalid-hostname",
        ),
        pytest.param(
            ["--name=Invalide", "--hostname=exa_mple.org", "--kind=head"],
            "--hostname: “exa_mple.org” is not a valid host name",
            id="hostname-with-underscore",
        ),
        pytest.param(
            ["--name=Port", "--hostname=port.localhost", "--port=70000", "--kind=head"],
            "--port: The port must be a number between 1 and 65535.",
            id="port-out-of-range",
        ),
        pytest.param(
            ["--name=Port", "--hostname=port.localhost", "--port=http", "--kind=head"],
            "--port: The port must be a number between 1 and 65535.",
            id="port-not-a-number",
        ),
        pytest.param(
            ["--name=Deutsch", "--hostname=de.localhost", "--kind=head", "--locale=de"],
            "--locale: Unknown language “de”",
            id="unknown-locale",
        ),
    ],
)
def test_create_site_refuses_bad_input_and_leaves_nothing(network, arguments, problem):
    before = footprint()

    # The problems are read in English here (the command speaks the default language, French).
    with pytest.raises(CommandError) as error, override("en"):
        create_site(*arguments)

    assert str(error.value).startswith("No site created.")
    assert problem in str(error.value)
    assert footprint() == before


def test_create_site_names_every_problem_at_once(network):
    with pytest.raises(CommandError) as error:
        create_site("--name=", "--hostname=not a host", "--kind=regional", "--port=0")

    message = str(error.value)
    for option in ("--name", "--hostname", "--port", "--region"):
        assert option in message


class Boom(Exception):
    pass


def fail_after_the_blog(sender, **kwargs):
    # Connected after the blog's receiver: home page, Site, groups and blog index already exist.
    assert BlogIndexPage.objects.child_of(kwargs["home"]).exists()
    raise Boom("a receiver failed")


@pytest.fixture
def failing_receiver():
    site_created.connect(fail_after_the_blog, dispatch_uid="tests.fail_after_the_blog")
    yield
    site_created.disconnect(dispatch_uid="tests.fail_after_the_blog")


def test_a_failure_after_partial_creation_leaves_nothing(network, failing_receiver):
    before = footprint()

    with pytest.raises(Boom):
        create_site(
            "--name=Maillage Normandie",
            "--hostname=normandie.localhost",
            "--kind=regional",
            "--region=Normandie",
            "--locale=en",  # a new Locale too, rolled back as well
        )

    assert footprint() == before
    assert not Site.objects.filter(hostname="normandie.localhost").exists()
    assert not Group.objects.filter(name__startswith="Maillage Normandie").exists()
    assert not StandardPage.objects.filter(title="Privacy policy").exists()


def test_a_failure_while_granting_permissions_leaves_nothing(network, monkeypatch):
    def refuse(profile):
        raise Boom("permissions could not be granted")

    monkeypatch.setattr(roles, "grant_site_roles", refuse)
    before = footprint()

    with pytest.raises(Boom):
        create_site("--name=Maillage Corse", "--hostname=corse.localhost", "--kind=head")

    assert footprint() == before
