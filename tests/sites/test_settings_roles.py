"""Who changes which part of a site's settings, through the admin (sites/settings_roles.py):
administrators the branding, contact, policy pages and sharing; moderators and administrators
the comment policy; editors read them; network administrators change everything. Two sites."""

import importlib

from django.apps import apps
from django.urls import reverse

from wagtail.models import GroupSitePermission, ModelLogEntry

import pytest
from bs4 import BeautifulSoup

from sites import settings_roles
from sites.models import SiteSettings
from tests.support.forms import settings_form
from tests.support.scoping_fixtures import *  # noqa: F403

HOME = reverse("wagtailadmin_home")
BRANDING = {"tagline": "Repeint", "primary_colour": "#000000", "accent_colour": "#00aa00"}


def url(site):
    return reverse("wagtailsettings:edit", args=["maillage_sites", "sitesettings", site.pk])


def saved(site):
    return SiteSettings.for_site(site)


def row(site):
    """Every column of the site's settings, to show a refused request changed nothing."""
    return SiteSettings.objects.filter(site=site).values().first()


def form_of(response):
    return BeautifulSoup(response.content, "html.parser").find("form", id="w-editor-form")


def control(form, name):
    return form.find(attrs={"name": name})


def comment_policy(site, **changes):
    """What a browser sends for a moderator: the comment policy only (a disabled field is not
    sent)."""
    current = saved(site)
    data = {
        "comments_enabled": "on" if current.comments_enabled else "",
        "comment_moderation": current.comment_moderation,
        "comments_close_after_days": current.comments_close_after_days or "",
        "blocked_words": current.blocked_words,
        "blocked_domains": current.blocked_domains,
        "blocked_email_domains": current.blocked_email_domains,
    }
    data.update(changes)
    return data


@pytest.fixture
def occitanie_moderator(occitanie_site):
    return make_member(occitanie_site, roles.MODERATOR, "occitanie-moderator")  # noqa: F405


@pytest.fixture
def contact(bretagne_site):
    """Bretagne's settings with a contact address that a moderator's save must keep."""
    site_settings = saved(bretagne_site)
    site_settings.contact_email = "contact@bretagne.example"
    site_settings.tagline = "Le réseau breton"
    site_settings.save()
    return site_settings


# --- Moderators -----------------------------------------------------------------------------


def test_a_moderator_changes_the_moderation_mode_of_their_site(
    client, bretagne_site, occitanie_site, bretagne_moderator, contact
):
    client.force_login(bretagne_moderator)
    form = form_of(client.get(url(bretagne_site)))
    assert not control(form, "comment_moderation").has_attr("disabled")
    assert control(form, "primary_colour").has_attr("disabled")
    assert form.find("button", attrs={"type": "submit"})

    response = client.post(
        url(bretagne_site),
        comment_policy(bretagne_site, comment_moderation="all", blocked_words="casino"),
    )

    assert response.status_code == 302
    after = saved(bretagne_site)
    assert (after.comment_moderation, after.blocked_words) == ("all", "casino")
    # What the browser did not send (the disabled fields) is kept, not emptied.
    assert (after.contact_email, after.tagline) == (contact.contact_email, contact.tagline)
    assert saved(occitanie_site).comment_moderation == "first"


def test_a_locked_page_field_shows_its_title_and_no_chooser(
    client, bretagne_site, bretagne_moderator
):
    """Wagtail's choosers ignore `disabled`: a locked one is shown as the chosen page's title."""
    client.force_login(bretagne_moderator)
    form = form_of(client.get(url(bretagne_site)))
    shown = form.find("output", attrs={"name": "privacy_page"})
    assert shown.text == saved(bretagne_site).privacy_page.title
    assert not form.find("input", attrs={"name": "privacy_page"})
    assert not form.find(attrs={"data-chooser-action-choose": True})
    assert form.find("output", attrs={"name": "logo"}).text == "Non défini"


def test_a_moderator_cannot_change_the_colours(client, bretagne_site, bretagne_moderator):
    client.force_login(bretagne_moderator)
    before = row(bretagne_site)

    response = client.post(
        url(bretagne_site), settings_form(bretagne_site, comment_moderation="none", **BRANDING)
    )

    assert response.status_code == 200  # the form again, with the refusal
    assert "Vous ne pouvez pas modifier" in response.content.decode()
    assert row(bretagne_site) == before  # not even the moderation mode sent with it


def test_a_moderator_sending_unchanged_branding_saves_the_comment_policy(
    client, bretagne_site, bretagne_moderator
):
    """The whole form posted back as it was (what a script replaying the page would send)."""
    client.force_login(bretagne_moderator)
    before = saved(bretagne_site)

    response = client.post(
        url(bretagne_site), settings_form(bretagne_site, comment_moderation="none")
    )

    assert response.status_code == 302
    after = saved(bretagne_site)
    assert after.comment_moderation == "none"
    assert (after.tagline, after.primary_colour) == (before.tagline, before.primary_colour)


def test_a_moderator_cannot_touch_another_sites_settings(
    client, bretagne_site, occitanie_site, bretagne_moderator
):
    client.force_login(bretagne_moderator)
    before = row(occitanie_site)

    for response in (
        client.get(url(occitanie_site)),
        client.post(url(occitanie_site), comment_policy(occitanie_site, comment_moderation="none")),
    ):
        assert response.status_code == 302
        assert response["Location"] == HOME
    assert row(occitanie_site) == before


def test_the_settings_menu_leads_a_moderator_to_their_own_site(
    client, bretagne_site, occitanie_site, bretagne_moderator
):
    client.force_login(bretagne_moderator)
    response = client.get(
        reverse("wagtailsettings:edit", args=["maillage_sites", "sitesettings"]),
        HTTP_HOST="occitanie.localhost",
    )
    assert response["Location"] == url(bretagne_site)


# --- Editors --------------------------------------------------------------------------------


def test_an_editor_reads_the_settings_without_a_save_button(client, bretagne_site, bretagne_editor):
    client.force_login(bretagne_editor)

    response = client.get(url(bretagne_site))

    assert response.status_code == 200
    form = form_of(response)
    controls = form.find_all(["input", "textarea", "select"])
    editable = [
        c["name"]
        for c in controls
        if c.get("name") and c.get("type") != "hidden" and not c.has_attr("disabled")
    ]
    assert editable == []
    assert control(form, "tagline")  # shown, disabled
    assert not form.find("button", attrs={"type": "submit"})
    assert "Vous pouvez consulter ces paramètres." in response.content.decode()


def test_an_editors_post_is_refused_and_changes_nothing(client, bretagne_site, bretagne_editor):
    client.force_login(bretagne_editor)
    before = row(bretagne_site)
    logged = ModelLogEntry.objects.count()

    for data in (settings_form(bretagne_site, **BRANDING), comment_policy(bretagne_site)):
        response = client.post(url(bretagne_site), data)
        assert response.status_code == 302
        assert response["Location"] == HOME

    assert row(bretagne_site) == before
    assert ModelLogEntry.objects.count() == logged


# --- Administrators -------------------------------------------------------------------------


def test_an_administrator_changes_branding_sharing_and_the_comment_policy(
    client, bretagne_site, occitanie_site, bretagne_administrator
):
    client.force_login(bretagne_administrator)
    response = client.get(url(bretagne_site))
    assert not form_of(response).find(attrs={"disabled": True})
    assert "settings-role-note" not in response.content.decode()

    response = client.post(
        url(bretagne_site),
        settings_form(
            bretagne_site, comment_moderation="all", accept_from_head_office="on", **BRANDING
        ),
    )

    assert response.status_code == 302
    after = saved(bretagne_site)
    assert (after.tagline, after.primary_colour, after.accent_colour) == (
        "Repeint",
        "#000000",
        "#00aa00",
    )
    assert after.comment_moderation == "all"
    assert after.accept_from_head_office is True
    assert saved(occitanie_site).tagline != "Repeint"


def test_an_administrator_cannot_touch_another_sites_settings(
    client, occitanie_site, bretagne_administrator
):
    client.force_login(bretagne_administrator)
    before = row(occitanie_site)
    response = client.post(url(occitanie_site), settings_form(occitanie_site, **BRANDING))
    assert response["Location"] == HOME
    assert row(occitanie_site) == before


@pytest.mark.parametrize("user_fixture", ["network_administrator", "superuser"])
def test_network_administrators_change_everything_on_every_site(
    client, request, bretagne_site, occitanie_site, user_fixture
):
    client.force_login(request.getfixturevalue(user_fixture))
    for site in (bretagne_site, occitanie_site):
        assert not form_of(client.get(url(site))).find(attrs={"disabled": True})
        response = client.post(
            url(site), settings_form(site, comment_moderation="none", **BRANDING)
        )
        assert response.status_code == 302
        after = saved(site)
        assert (after.tagline, after.comment_moderation) == ("Repeint", "none")


# --- The form explains itself ---------------------------------------------------------------


def test_each_moderation_mode_is_one_sentence_by_its_radio_button(
    client, bretagne_site, bretagne_moderator
):
    client.force_login(bretagne_moderator)
    form = form_of(client.get(url(bretagne_site)))

    radios = form.find_all("input", attrs={"name": "comment_moderation", "type": "radio"})
    labels = {
        radio["value"]: " ".join(form.find("label", attrs={"for": radio["id"]}).text.split())
        for radio in radios
    }
    assert labels == {
        "all": "Chaque commentaire attend l'approbation d'un modérateur.",
        "first": (
            "Le premier commentaire d'une personne sur ce site attend l'approbation ; une fois "
            "l'un d'eux approuvé, ses commentaires envoyés depuis le même navigateur paraissent "
            "aussitôt."
        ),
        "none": "Les commentaires paraissent aussitôt ; les modérateurs peuvent toujours les "
        "retirer.",
    }
    checked = [radio["value"] for radio in radios if radio.has_attr("checked")]
    assert checked == [saved(bretagne_site).comment_moderation]


def test_a_moderator_is_told_what_they_change(client, bretagne_site, bretagne_moderator):
    client.force_login(bretagne_moderator)
    note = BeautifulSoup(client.get(url(bretagne_site)).content, "html.parser").find(
        id="settings-role-note"
    )
    assert "En tant que modérateur" in note.text


# --- The rule and the permission ------------------------------------------------------------


def test_the_parts_each_role_changes(
    bretagne_site, occitanie_site, bretagne_people, network_administrator
):
    parts = settings_roles.parts_for_user
    assert parts(bretagne_people[roles.EDITOR], bretagne_site) == set()  # noqa: F405
    assert parts(bretagne_people[roles.MODERATOR], bretagne_site) == {"comments"}  # noqa: F405
    assert parts(bretagne_people[roles.ADMINISTRATOR], bretagne_site) == {"site", "comments"}  # noqa: F405
    assert parts(bretagne_people[roles.ADMINISTRATOR], occitanie_site) == set()  # noqa: F405
    assert parts(network_administrator, occitanie_site) == {"site", "comments"}
    assert settings_roles.part_of("accept_from_head_office") == "site"
    assert settings_roles.part_of("blocked_domains") == "comments"


def test_the_migration_gives_existing_moderators_the_settings_permission(bretagne_site):
    moderators = bretagne_site.profile.moderators
    granted = GroupSitePermission.objects.filter(
        group=moderators, site=bretagne_site, permission__codename="change_sitesettings"
    )
    assert granted.exists()  # the site factory grants it to new sites
    granted.delete()

    migration = importlib.import_module("sites.migrations.0006_moderation_labels")
    migration.grant_moderators(apps, None)
    migration.grant_moderators(apps, None)  # twice: no duplicate

    assert granted.count() == 1
