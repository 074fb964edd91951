"""sites.roles: which sites a user holds a role on, and rights following translations."""

from django.contrib.auth import get_user_model

from wagtail.models import Page

import pytest

from sites import roles


@pytest.fixture
def make_user(db):
    def make(username, *groups, **extra):
        user = get_user_model().objects.create_user(
            username, f"{username}@example.org", "pw", **extra
        )
        user.groups.add(*groups)
        return user

    return make


def test_roles_follow_the_site_groups(network, make_user):
    bretagne, occitanie = network["bretagne"], network["occitanie"]
    editor = make_user("ed", bretagne.profile.editors)
    moderator = make_user("mod", bretagne.profile.moderators)
    admin = make_user("adm", bretagne.profile.administrators)

    assert list(roles.sites_for_user(editor, roles.EDITOR)) == [bretagne]
    assert not roles.sites_for_user(editor, roles.MODERATOR).exists()
    assert list(roles.sites_for_user(moderator, roles.MODERATOR)) == [bretagne]
    assert not roles.sites_for_user(moderator, roles.EDITOR).exists()
    for role in roles.ROLES:
        assert list(roles.sites_for_user(admin, role)) == [bretagne]
        assert not roles.has_role(admin, occitanie, role)


def test_network_administrators_hold_every_role(network, make_user):
    head = make_user("head", roles.ensure_network_administrators())
    root = get_user_model().objects.create_superuser("root", "root@example.org", "pw")
    for user in (head, root):
        assert roles.is_network_admin(user)
        assert roles.sites_for_user(user, roles.ADMINISTRATOR).count() == 3


def test_inactive_users_hold_nothing(network, make_user):
    user = make_user("gone", network["bretagne"].profile.administrators, is_active=False)
    assert not roles.sites_for_user(user, roles.EDITOR).exists()


def test_unknown_role_is_an_error(network, make_user):
    with pytest.raises(ValueError, match="Unknown role"):
        roles.sites_for_user(make_user("x"), "owner")


def test_site_for_page_covers_translations(network, english):
    bretagne = network["bretagne"]
    home = bretagne.root_page.specific
    blog = home.get_children().get(slug="blog")
    translated_home = home.copy_for_translation(english)
    assert roles.site_for_page(blog) == bretagne
    assert roles.site_for_page(home) == bretagne
    assert roles.site_for_page(translated_home) == bretagne
    assert roles.site_for_page(Page.get_first_root_node()) is None


def test_moderators_for_page_are_that_sites(network, make_user):
    bretagne, occitanie = network["bretagne"], network["occitanie"]
    moderator = make_user("mod", bretagne.profile.moderators)
    admin = make_user("adm", bretagne.profile.administrators)
    make_user("other", occitanie.profile.moderators)
    page = bretagne.root_page.get_children().first()
    assert set(roles.moderators_for_page(page)) == {moderator, admin}


def test_a_translated_home_is_editable_by_the_sites_editors(client, network, english, make_user):
    """wagtail-localize puts a translated home page beside the original, outside the rights given
    on it: the factory's signal handler extends them."""
    bretagne = network["bretagne"]
    superuser = get_user_model().objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(superuser)
    home = bretagne.root_page
    response = client.post(
        f"/admin/localize/submit/page/{home.id}/",
        {"locales": [english.id], "include_subtree": "on"},
    )
    assert response.status_code == 302
    translated = home.get_translation(english)

    editor = make_user("ed", bretagne.profile.editors)
    other = make_user("oc", network["occitanie"].profile.editors)
    assert translated.permissions_for_user(editor).can_edit()
    assert not translated.permissions_for_user(other).can_edit()
    client.force_login(editor)
    assert client.get(f"/admin/pages/{translated.id}/edit/").status_code == 200
    client.force_login(other)
    assert client.get(f"/admin/pages/{translated.id}/edit/").status_code in (302, 403)
