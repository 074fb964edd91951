"""Account flows an attacker chains (issue 17): Wagtail's user editor in the hands of a network
administrator who is not a superuser. Each attack through HTTP, with its legitimate control."""

import re

from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

import pytest

from sites import roles
from tests.support.scoping_fixtures import *  # noqa: F403
from tests.support.scoping_fixtures import make_member, make_user

User = get_user_model()


def account_state():
    return sorted(
        User.objects.values_list("pk", "username", "email", "is_superuser", "is_active", "password")
    )


def memberships():
    return sorted(User.groups.through.objects.values_list("user_id", "group_id"))


def user_data(user, **extra):
    return {
        "username": user.username,
        "email": user.email,
        "first_name": "Prénom",
        "last_name": "Nom",
        "is_active": "on",
        **extra,
    }


@pytest.fixture
def target(network):
    return make_user("cible")


def test_a_network_administrator_cannot_tick_superuser_on_create_or_edit(
    client, network_administrator, target
):
    client.force_login(network_administrator)

    edit = client.get(reverse("wagtailusers_users:edit", args=[target.pk]))
    assert "is_superuser" not in edit.context["form"].fields
    edited = client.post(
        reverse("wagtailusers_users:edit", args=[target.pk]),
        user_data(target, is_superuser="on"),
    )
    created = client.post(
        reverse("wagtailusers_users:add"),
        {
            "username": "nouveau",
            "email": "nouveau@example.org",
            "first_name": "N",
            "last_name": "N",
            "password1": "un-mot-de-passe-solide-42",
            "password2": "un-mot-de-passe-solide-42",
            "is_superuser": "on",
        },
    )

    assert edited.status_code == 302 and created.status_code == 302
    target.refresh_from_db()
    assert target.first_name == "Prénom"  # the legitimate part of the edit is saved
    assert not target.is_superuser
    assert not User.objects.get(username="nouveau").is_superuser


@pytest.mark.parametrize(
    "request_for",
    [
        lambda su: ("get", reverse("wagtailusers_users:edit", args=[su.pk]), {}),
        lambda su: (
            "post",
            reverse("wagtailusers_users:edit", args=[su.pk]),
            user_data(su, password1="pris-par-l-attaquant-42", password2="pris-par-l-attaquant-42"),
        ),
        lambda su: ("post", reverse("wagtailusers_users:delete", args=[su.pk]), {}),
        lambda su: ("get", reverse("wagtailusers_users:copy", args=[su.pk]), {}),
        lambda su: (
            "post",
            reverse("wagtailusers_users:copy", args=[su.pk]),
            user_data(su, password1="pris-par-l-attaquant-42", password2="pris-par-l-attaquant-42"),
        ),
    ],
    ids=["edit-form", "edit-password", "delete", "copy-form", "copy-post"],
)
def test_a_network_administrator_cannot_touch_a_superusers_account(
    client, network_administrator, superuser, request_for
):
    client.force_login(network_administrator)
    before = account_state(), memberships()
    method, url, data = request_for(superuser)

    response = getattr(client, method)(url, data)

    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert response["Location"] == reverse("wagtailadmin_home")
    assert (account_state(), memberships()) == before


def bulk_url(action, *pks):
    url = reverse("wagtail_bulk_action", args=["auth", "user", action])
    return url + "?" + "&".join(f"id={pk}" for pk in pks) + "&next=/admin/users/"


@pytest.mark.parametrize(
    "action, data",
    [
        ("delete", {}),
        ("set_active_state", {"mark_as_active": "False"}),
        ("assign_role", "role"),
    ],
)
def test_bulk_actions_skip_superusers_for_a_network_administrator(
    client, network_administrator, superuser, bretagne_site, target, action, data
):
    if data == "role":
        data = {"role": bretagne_site.profile.administrators.pk}
    client.force_login(network_administrator)

    response = client.post(bulk_url(action, superuser.pk, target.pk), data)

    assert response.status_code == 302
    superuser.refresh_from_db()
    assert superuser.is_active and not superuser.groups.exists()
    # The other account was acted on: the refusal is about superusers only.
    changed = not User.objects.filter(pk=target.pk, is_active=True, groups=None).exists()
    assert changed


def test_a_superuser_still_manages_superusers(client, superuser, target):
    other = User.objects.create_superuser("root2", "root2@example.org", "x-mot-de-passe-42")
    client.force_login(superuser)

    assert (
        "is_superuser"
        in client.get(reverse("wagtailusers_users:edit", args=[target.pk])).context["form"].fields
    )
    client.post(
        reverse("wagtailusers_users:edit", args=[target.pk]), user_data(target, is_superuser="on")
    )
    response = client.post(
        reverse("wagtailusers_users:edit", args=[other.pk]),
        user_data(
            other, is_superuser="on", password1="nouveau-secret-42", password2="nouveau-secret-42"
        ),
    )

    assert response.status_code == 302
    target.refresh_from_db()
    other.refresh_from_db()
    assert target.is_superuser
    assert other.check_password("nouveau-secret-42")
    client.post(bulk_url("set_active_state", other.pk), {"mark_as_active": "False"})
    other.refresh_from_db()
    assert not other.is_active


# --- Changing one's own e-mail address, and the squatting chain it fed -------------------------


def confirmation_path(message):
    link = re.search(r"https?://\S+", message.body).group(0)
    assert link.startswith("http://localhost/admin/account/email/")
    return re.sub(r"^https?://[^/]+", "", link)


# The other panels of Wagtail's account settings, as their form sends them.
OTHER_PANELS = {"theme-theme": "system", "theme-contrast": "system", "theme-density": "default"}


def ask_for_address(client, email):
    return client.post(
        reverse("wagtailadmin_account"),
        {
            **OTHER_PANELS,
            "name_email-first_name": "Prénom",
            "name_email-last_name": "Nom",
            "email-new_email": email,
        },
    )


@pytest.fixture
def occitanie_editor(occitanie_site):
    return make_member(occitanie_site, roles.EDITOR, "occitanie-editor")


def test_the_squatting_chain_is_closed(
    client, occitanie_editor, bretagne_site, bretagne_administrator
):
    """An Occitanie editor claims the address Bretagne's administrator is about to invite: the
    address does not change without the mailbox, the invitation adds nobody and tells nothing,
    and the real owner, following the mailed link, joins."""
    invited = "camille@example.org"
    client.force_login(occitanie_editor)

    response = ask_for_address(client, invited)

    assert response.status_code == 302
    occitanie_editor.refresh_from_db()
    assert occitanie_editor.email == "occitanie-editor@example.org"
    [confirmation] = mail.outbox
    assert confirmation.to == [invited]  # only the mailbox's owner could confirm
    mail.outbox.clear()

    admin = Client()
    admin.force_login(bretagne_administrator)
    answer = admin.post(
        reverse("maillage_team:invite", args=[bretagne_site.pk]),
        {"email": invited, "role": roles.ADMINISTRATOR},
        follow=True,
    )
    html = answer.content.decode()
    assert "already" not in html.lower().replace("already in this site", "")
    assert not bretagne_site.profile.administrators.user_set.filter(pk=occitanie_editor.pk).exists()
    [invitation] = mail.outbox
    assert invitation.to == [invited]

    owner = Client()
    link = re.sub(r"^https?://[^/]+", "", re.search(r"https?://\S+", invitation.body).group(0))
    joined = owner.post(
        link,
        {
            "username": "camille",
            "password1": "un-mot-de-passe-solide-42",
            "password2": "un-mot-de-passe-solide-42",
        },
    )
    assert joined.status_code == 302
    camille = User.objects.get(username="camille")
    assert camille.email == invited
    assert bretagne_site.profile.administrators.user_set.filter(pk=camille.pk).exists()
    assert list(occitanie_editor.groups.all()) == [occitanie_editor.groups.get()]
    assert not occitanie_editor.groups.filter(pk__in=[g.pk for g in bretagne_site.profile.groups])


def test_the_confirmation_link_changes_the_address_once(client, bretagne_editor):
    client.force_login(bretagne_editor)
    ask_for_address(client, "nouvelle-adresse@example.org")
    path = confirmation_path(mail.outbox[0])

    page = client.get(path)
    bretagne_editor.refresh_from_db()
    assert (
        page.status_code == 200 and bretagne_editor.email == "bretagne-editor@example.org"
    )  # a GET changes nothing
    assert client.post(path).status_code == 302
    bretagne_editor.refresh_from_db()
    assert bretagne_editor.email == "nouvelle-adresse@example.org"

    again = client.post(path)
    assert again.status_code == 400


def test_the_confirmation_link_expires(client, bretagne_editor, settings):
    client.force_login(bretagne_editor)
    ask_for_address(client, "nouvelle-adresse@example.org")
    path = confirmation_path(mail.outbox[0])
    settings.PASSWORD_RESET_TIMEOUT = -1

    assert client.post(path).status_code == 400
    bretagne_editor.refresh_from_db()
    assert bretagne_editor.email == "bretagne-editor@example.org"


def test_another_signed_in_user_cannot_use_the_link(client, bretagne_editor, network_administrator):
    client.force_login(bretagne_editor)
    ask_for_address(client, "nouvelle-adresse@example.org")
    path = confirmation_path(mail.outbox[0])
    client.force_login(network_administrator)

    response = client.post(path)

    assert response.status_code == 403
    bretagne_editor.refresh_from_db()
    network_administrator.refresh_from_db()
    assert bretagne_editor.email == "bretagne-editor@example.org"
    assert network_administrator.email == "network-administrator@example.org"


def test_an_address_used_by_another_account_is_refused(
    client, bretagne_editor, network_administrator
):
    client.force_login(bretagne_editor)

    response = ask_for_address(client, "NETWORK-administrator@example.org")

    assert response.status_code == 200
    assert "Another account already uses this address" in response.content.decode() or (
        "Un autre compte" in response.content.decode()
    )
    assert mail.outbox == []
    bretagne_editor.refresh_from_db()
    assert bretagne_editor.email == "bretagne-editor@example.org"


def test_wagtails_own_email_field_is_gone(client, bretagne_editor):
    client.force_login(bretagne_editor)

    response = client.post(
        reverse("wagtailadmin_account"),
        {
            **OTHER_PANELS,
            "name_email-first_name": "A",
            "name_email-last_name": "B",
            "name_email-email": "x@example.org",
        },
    )

    assert response.status_code == 302  # saved: the name changed, the address did not
    bretagne_editor.refresh_from_db()
    assert bretagne_editor.first_name == "A"
    assert bretagne_editor.email == "bretagne-editor@example.org"
    assert mail.outbox == []
