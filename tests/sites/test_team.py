"""A site's administrators manage its team, and nothing beyond it.

Happy paths first, then every escalation attempt, each over HTTP: it must end in a 403 or a form
error, and the database must be exactly as before.
"""

import re

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.forms.forms import NON_FIELD_ERRORS
from django.urls import reverse

from wagtail.users.models import UserProfile

import pytest

from sites import roles
from tests.support.scoping_fixtures import *  # noqa: F403
from tests.support.scoping_fixtures import make_member, make_user

User = get_user_model()


# --- Helpers -----------------------------------------------------------------------------------


def team_url(site, name="index"):
    return reverse(f"maillage_team:{name}", args=[site.pk])


def group(site, role):
    field = {roles.EDITOR: "editors", roles.MODERATOR: "moderators"}.get(role, "administrators")
    return getattr(site.profile, field)


def in_group(user, site, role):
    return group(site, role).user_set.filter(pk=user.pk).exists()


def database_state():
    """Everything an escalation could change: accounts and their flags, memberships, groups and
    permissions."""
    return {
        "users": sorted(
            User.objects.values_list(
                "pk", "username", "email", "is_superuser", "is_staff", "is_active", "password"
            )
        ),
        "memberships": sorted(User.groups.through.objects.values_list("user_id", "group_id")),
        "user_permissions": sorted(
            User.user_permissions.through.objects.values_list("user_id", "permission_id")
        ),
        "groups": sorted(Group.objects.values_list("pk", "name")),
        "group_permissions": sorted(
            Group.permissions.through.objects.values_list("group_id", "permission_id")
        ),
    }


def has_error(response, code):
    return response.context["form"].has_error(NON_FIELD_ERRORS, code=code)


@pytest.fixture
def newcomer(network):
    """Someone with an account on the network and no role yet."""
    return make_user("nouvelle", first_name="Nina", last_name="Nouvelle")


@pytest.fixture
def admin_client(client, bretagne_administrator):
    # This administrator reads the admin in English: the messages below are asserted in English.
    profile = UserProfile.get_for_user(bretagne_administrator)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(bretagne_administrator)
    return client


# --- Happy paths -------------------------------------------------------------------------------


def test_team_page_lists_the_sites_members_only(
    admin_client, bretagne_site, bretagne_people, occitanie_administrator
):
    response = admin_client.get(team_url(bretagne_site))

    assert response.status_code == 200
    html = response.content.decode()
    for user in bretagne_people.values():
        assert user.get_username() in html
    assert occitanie_administrator.get_username() not in html
    assert occitanie_administrator.email not in html


def test_team_page_never_names_other_sites_staff_or_their_addresses(
    admin_client, bretagne_site, occitanie_administrator, network_administrator, superuser
):
    """Issue 17: the team page used to take any account's username or address; it now offers
    only the site's own members, and no page of it shows anyone else or their address."""
    outsiders = (occitanie_administrator, network_administrator, superuser)
    for url in (team_url(bretagne_site), team_url(bretagne_site, "invite")):
        html = admin_client.get(url).content.decode()
        for user in outsiders:
            assert user.email not in html
            assert f'value="{user.username}"' not in html


def test_my_team_menu_item_is_for_site_administrators(
    client, bretagne_editor, bretagne_moderator, bretagne_administrator
):
    url = reverse("maillage_team:mine")
    for user, shown in (
        (bretagne_editor, False),
        (bretagne_moderator, False),
        (bretagne_administrator, True),
    ):
        client.force_login(user)
        assert (url in client.get(reverse("wagtailadmin_home")).content.decode()) is shown


def test_my_team_leads_a_site_administrator_to_their_site(admin_client, bretagne_site):
    response = admin_client.get(reverse("maillage_team:mine"))

    assert response.status_code == 302
    assert response["Location"] == team_url(bretagne_site)


def test_my_team_lets_network_administrators_choose_a_site(client, network, network_administrator):
    client.force_login(network_administrator)

    response = client.get(reverse("maillage_team:mine"))

    assert response.status_code == 200
    html = response.content.decode()
    assert all(team_url(site) in html for site in network.values())


@pytest.mark.parametrize("role", [roles.MODERATOR, roles.ADMINISTRATOR])
def test_give_a_member_another_role_by_username(admin_client, bretagne_site, bretagne_editor, role):
    response = admin_client.post(
        team_url(bretagne_site), {"user": bretagne_editor.username, "role": role}
    )

    assert response.status_code == 302
    assert response["Location"] == team_url(bretagne_site)
    assert set(bretagne_editor.groups.all()) == {
        group(bretagne_site, roles.EDITOR),
        group(bretagne_site, role),
    }


@pytest.mark.parametrize("identifier", ["nouvelle", "NOUVELLE@example.org", "nouvelle@example.org"])
def test_accounts_outside_the_team_cannot_be_added_by_name_or_address(
    admin_client, bretagne_site, newcomer, identifier
):
    """Changed by issue 17: an account outside the team used to be added by username or e-mail
    address, which anyone can type into their own profile. Now they are invited."""
    before = database_state()

    response = admin_client.post(
        team_url(bretagne_site), {"user": identifier, "role": roles.EDITOR}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["user"]
    assert database_state() == before


def invitation_link(message):
    """The path of the invitation link in a mail, built from WAGTAILADMIN_BASE_URL."""
    link = re.search(r"https?://\S+", message.body).group(0)
    assert link.startswith("http://localhost/admin/invitation/")
    return re.sub(r"^https?://[^/]+", "", link)


def create_account(client, path, username="camille", **extra):
    data = {
        "username": username,
        "first_name": "Camille",
        "last_name": "Martin",
        "password1": "un-mot-de-passe-solide-42",
        "password2": "un-mot-de-passe-solide-42",
        **extra,
    }
    return client.post(path, data)


def test_invite_a_new_person(client, admin_client, bretagne_site):
    before = database_state()
    response = admin_client.post(
        team_url(bretagne_site, "invite"),
        {"email": "Camille@Example.org", "name": "Camille Martin", "role": roles.EDITOR},
    )

    assert response.status_code == 302
    # Nothing is created until the invitation is accepted.
    assert database_state() == before
    [message] = mail.outbox
    assert message.to == ["Camille@example.org"]
    assert "Maillage Bretagne" in message.subject
    path = invitation_link(message)

    # The invited person follows the link, creates an account and is in the team, signed in.
    client.logout()
    page = client.get(path)
    assert page.status_code == 200
    assert "Maillage Bretagne" in page.content.decode()
    assert database_state() == before  # opening the link changes nothing
    done = create_account(client, path)
    assert done.status_code == 302
    user = User.objects.get(username="camille")
    assert user.email == "Camille@example.org"
    assert (user.first_name, user.last_name) == ("Camille", "Martin")
    assert not user.is_superuser and not user.is_staff
    assert list(user.groups.all()) == [group(bretagne_site, roles.EDITOR)]
    assert not user.user_permissions.exists()
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
    client.logout()
    assert client.login(username="camille", password="un-mot-de-passe-solide-42")


def test_an_existing_account_accepts_an_invitation_signed_in(
    client, admin_client, bretagne_site, newcomer
):
    admin_client.post(
        team_url(bretagne_site, "invite"), {"email": newcomer.email, "role": roles.MODERATOR}
    )
    path = invitation_link(mail.outbox[0])

    # Signed out, the page offers to sign in and come back.
    client.logout()
    assert "next=" in client.get(path).content.decode()
    client.force_login(newcomer)
    page = client.get(path)
    assert page.status_code == 200
    assert not in_group(newcomer, bretagne_site, roles.MODERATOR)  # a GET changes nothing

    response = client.post(path)

    assert response.status_code == 302
    assert list(newcomer.groups.all()) == [group(bretagne_site, roles.MODERATOR)]


def test_inviting_twice_sends_two_links_and_creates_nothing(admin_client, bretagne_site):
    before = database_state()
    data = {"email": "camille@example.org", "name": "Camille", "role": roles.EDITOR}
    admin_client.post(team_url(bretagne_site, "invite"), data)

    response = admin_client.post(
        team_url(bretagne_site, "invite"), {**data, "role": roles.MODERATOR}
    )

    assert response.status_code == 302
    assert len(mail.outbox) == 2
    assert database_state() == before


def test_remove_a_member_after_confirmation(admin_client, bretagne_site, bretagne_editor):
    url = team_url(bretagne_site, "remove")
    query = {"user": bretagne_editor.pk, "role": roles.EDITOR}

    confirmation = admin_client.get(url, query)
    assert confirmation.status_code == 200
    assert in_group(bretagne_editor, bretagne_site, roles.EDITOR)

    response = admin_client.post(url, query)

    assert response.status_code == 302
    assert not in_group(bretagne_editor, bretagne_site, roles.EDITOR)
    assert User.objects.filter(pk=bretagne_editor.pk).exists()  # the account stays


def test_an_administrator_may_leave_when_another_remains(
    admin_client, bretagne_site, bretagne_administrator
):
    make_member(bretagne_site, roles.ADMINISTRATOR, "autre-admin")

    response = admin_client.post(
        team_url(bretagne_site, "remove"),
        {"user": bretagne_administrator.pk, "role": roles.ADMINISTRATOR},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    assert not in_group(bretagne_administrator, bretagne_site, roles.ADMINISTRATOR)


def test_network_administrators_manage_any_sites_team(
    client, occitanie_site, network_administrator, occitanie_administrator
):
    client.force_login(network_administrator)

    response = client.post(
        team_url(occitanie_site), {"user": occitanie_administrator.username, "role": roles.EDITOR}
    )
    invited = client.post(
        team_url(occitanie_site, "invite"), {"email": "camille@example.org", "role": roles.EDITOR}
    )

    assert response.status_code == 302
    assert in_group(occitanie_administrator, occitanie_site, roles.EDITOR)
    assert invited.status_code == 302
    assert [message.to for message in mail.outbox] == [["camille@example.org"]]


# --- Escalation attempts: a 403 or a form error, and nothing changes ---------------------------


@pytest.mark.parametrize(
    "forged_role",
    ["", "superuser", "Network administrators", "editors", "1", "administrators"],
)
def test_forged_role_is_a_form_error(admin_client, bretagne_site, newcomer, forged_role):
    before = database_state()

    response = admin_client.post(team_url(bretagne_site), {"user": "nouvelle", "role": forged_role})

    assert response.status_code == 200
    assert response.context["form"].errors["role"]
    assert database_state() == before


def test_group_ids_and_extra_fields_are_ignored(
    admin_client, bretagne_site, occitanie_site, bretagne_moderator
):
    """Posting another site's group, the network administrators' group, flags or permissions
    beside a legitimate request only does the legitimate part."""
    network_group = roles.ensure_network_administrators()
    before = database_state()

    newcomer = bretagne_moderator
    response = admin_client.post(
        team_url(bretagne_site),
        {
            "user": newcomer.username,
            "role": roles.EDITOR,
            "group": [occitanie_site.profile.administrators.pk, network_group.pk],
            "groups": [occitanie_site.profile.administrators.pk, network_group.pk],
            "is_superuser": "1",
            "is_staff": "1",
            "user_permissions": "1",
            "site": occitanie_site.pk,
        },
    )

    assert response.status_code == 302
    newcomer.refresh_from_db()
    assert set(newcomer.groups.all()) == {
        group(bretagne_site, roles.EDITOR),
        group(bretagne_site, roles.MODERATOR),
    }
    assert not newcomer.is_superuser and not newcomer.is_staff
    after = database_state()
    added = set(after["memberships"]) - set(before["memberships"])
    assert added == {(newcomer.pk, group(bretagne_site, roles.EDITOR).pk)}
    assert {k: v for k, v in after.items() if k != "memberships"} == {
        k: v for k, v in before.items() if k != "memberships"
    }


def test_invitation_with_extra_fields_creates_a_plain_account(
    client, admin_client, bretagne_site, occitanie_site
):
    response = admin_client.post(
        team_url(bretagne_site, "invite"),
        {
            "email": "camille@example.org",
            "role": roles.EDITOR,
            "is_superuser": "1",
            "is_staff": "1",
            "groups": [roles.ensure_network_administrators().pk],
            "group": occitanie_site.profile.editors.pk,
        },
    )

    assert response.status_code == 302
    client.logout()
    extra = {
        "is_superuser": "1",
        "is_staff": "1",
        "groups": [roles.ensure_network_administrators().pk],
    }
    assert create_account(client, invitation_link(mail.outbox[0]), **extra).status_code == 302
    user = User.objects.get(email="camille@example.org")
    assert not user.is_superuser and not user.is_staff
    assert list(user.groups.all()) == [group(bretagne_site, roles.EDITOR)]


@pytest.mark.parametrize("forged_role", ["", "superuser", "Network administrators"])
def test_invitation_with_a_forged_role_creates_nothing(admin_client, bretagne_site, forged_role):
    before = database_state()

    response = admin_client.post(
        team_url(bretagne_site, "invite"), {"email": "camille@example.org", "role": forged_role}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["role"]
    assert database_state() == before
    assert mail.outbox == []


def test_inviting_an_existing_accounts_address_adds_nobody_and_tells_nothing(
    admin_client, bretagne_site, newcomer
):
    """Changed by issue 17: this used to answer that an account uses the address. Now the answer
    is the one for an unknown address, and nobody joins until the mailed link is accepted."""
    before = database_state()
    answers = []
    for email in (newcomer.email, "personne@example.org"):
        response = admin_client.post(
            team_url(bretagne_site, "invite"), {"email": email, "role": roles.EDITOR}, follow=True
        )
        answers.append([str(m).replace(email, "ADDRESS") for m in response.context["messages"]])
        assert "already uses" not in response.content.decode()

    assert answers[0] == answers[1]
    assert database_state() == before
    assert [message.to for message in mail.outbox] == [[newcomer.email], ["personne@example.org"]]


def _requests_on(site, newcomer, member):
    """Every team request a user could make on a site: view, add, invite, remove."""
    return [
        ("get", reverse("maillage_team:index", args=[site.pk]), None),
        ("post", team_url(site), {"user": newcomer.username, "role": roles.ADMINISTRATOR}),
        ("get", team_url(site, "invite"), None),
        (
            "post",
            team_url(site, "invite"),
            {"email": "camille@example.org", "role": roles.ADMINISTRATOR},
        ),
        ("get", team_url(site, "remove"), {"user": member.pk, "role": roles.ADMINISTRATOR}),
        ("post", team_url(site, "remove"), {"user": member.pk, "role": roles.ADMINISTRATOR}),
    ]


def _assert_all_forbidden(client, requests):
    before = database_state()
    for method, url, data in requests:
        response = getattr(client, method)(url, data or {})
        assert response.status_code == 403, (method, url, response.status_code)
        assert database_state() == before
    assert mail.outbox == []


def test_an_administrator_cannot_manage_another_sites_team(
    admin_client, occitanie_site, occitanie_administrator, newcomer
):
    _assert_all_forbidden(
        admin_client, _requests_on(occitanie_site, newcomer, occitanie_administrator)
    )


def test_holding_a_lesser_role_elsewhere_does_not_help(
    client, bretagne_administrator, occitanie_site, occitanie_administrator, newcomer
):
    occitanie_site.profile.editors.user_set.add(bretagne_administrator)
    client.force_login(bretagne_administrator)

    _assert_all_forbidden(client, _requests_on(occitanie_site, newcomer, occitanie_administrator))


@pytest.mark.parametrize("role", [roles.EDITOR, roles.MODERATOR])
def test_editors_and_moderators_cannot_manage_the_team(
    client, bretagne_site, bretagne_people, newcomer, role
):
    client.force_login(bretagne_people[role])

    _assert_all_forbidden(
        client, _requests_on(bretagne_site, newcomer, bretagne_people[roles.ADMINISTRATOR])
    )
    assert client.get(reverse("maillage_team:mine")).status_code == 403


@pytest.mark.parametrize("user_fixture", ["network_administrator", "superuser"])
def test_removing_a_network_administrator_is_refused(
    admin_client, request, bretagne_site, user_fixture
):
    network_user = request.getfixturevalue(user_fixture)
    bretagne_site.profile.editors.user_set.add(network_user)
    before = database_state()

    response = admin_client.post(
        team_url(bretagne_site, "remove"), {"user": network_user.pk, "role": roles.EDITOR}
    )

    assert response.status_code == 403
    assert database_state() == before


def test_the_last_administrator_cannot_leave(admin_client, bretagne_site, bretagne_administrator):
    # Another administrator whose account is deactivated does not count.
    make_member(bretagne_site, roles.ADMINISTRATOR, "ancienne", is_active=False)
    before = database_state()

    response = admin_client.post(
        team_url(bretagne_site, "remove"),
        {"user": bretagne_administrator.pk, "role": roles.ADMINISTRATOR},
    )

    assert response.status_code == 200
    assert has_error(response, "last_administrator")
    assert "last administrator" in response.content.decode()
    assert database_state() == before


def test_removing_someone_from_another_site_is_a_form_error(
    admin_client, bretagne_site, occitanie_administrator
):
    before = database_state()

    response = admin_client.post(
        team_url(bretagne_site, "remove"),
        {"user": occitanie_administrator.pk, "role": roles.ADMINISTRATOR},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["user"]
    assert database_state() == before


def test_removing_a_member_from_a_group_they_are_not_in_is_a_form_error(
    admin_client, bretagne_site, bretagne_editor
):
    before = database_state()

    response = admin_client.post(
        team_url(bretagne_site, "remove"),
        {"user": bretagne_editor.pk, "role": roles.ADMINISTRATOR},
    )

    assert response.status_code == 200
    assert has_error(response, "not_member")
    assert database_state() == before


@pytest.mark.parametrize(
    "url",
    [
        lambda site, user: reverse("wagtailusers_users:index"),
        lambda site, user: reverse("wagtailusers_users:add"),
        lambda site, user: reverse("wagtailusers_users:edit", args=[user.pk]),
        lambda site, user: reverse("wagtailusers_users:delete", args=[user.pk]),
        lambda site, user: reverse("wagtailusers_groups:index"),
        lambda site, user: reverse("wagtailusers_groups:add"),
        lambda site, user: reverse("wagtailusers_groups:edit", args=[site.profile.editors.pk]),
        lambda site, user: reverse(
            "wagtailusers_groups:edit", args=[roles.ensure_network_administrators().pk]
        ),
    ],
    ids=[
        "users",
        "add-user",
        "edit-user",
        "delete-user",
        "groups",
        "add-group",
        "edit-own-group",
        "edit-network-group",
    ],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_site_administrators_never_reach_wagtails_user_and_group_admin(
    admin_client, bretagne_site, bretagne_editor, url, method
):
    target = url(bretagne_site, bretagne_editor)
    before = database_state()

    response = getattr(admin_client, method)(
        target, {"is_superuser": "on", "username": "x", "name": "x"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    assert database_state() == before


def test_unknown_site_is_not_found(admin_client):
    assert admin_client.get(reverse("maillage_team:index", args=[999999])).status_code == 404


def test_anonymous_visitors_are_sent_to_the_login(client, bretagne_site):
    response = client.get(team_url(bretagne_site))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))
