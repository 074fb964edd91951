"""Account flows an attacker chains (issue 17): Wagtail's user editor in the hands of a network
administrator who is not a superuser. Each attack through HTTP, with its legitimate control."""

from django.contrib.auth import get_user_model
from django.urls import reverse

import pytest

from tests.sites.scoping_fixtures import *  # noqa: F403
from tests.sites.scoping_fixtures import make_user

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
