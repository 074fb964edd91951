"""The admin, with wagtail-localize's translation interface, is reachable."""

from django.contrib.auth import get_user_model

import pytest


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("root", "root@example.org", "pw")


def test_admin_requires_login(client, network):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_translation_interface_is_reachable(client, network, superuser, english):
    client.force_login(superuser)
    home = network["bretagne"].root_page
    response = client.get(f"/admin/localize/submit/page/{home.id}/")
    assert response.status_code == 200
    assert "English" in response.content.decode() or "Anglais" in response.content.decode()
    response = client.post(f"/admin/localize/submit/page/{home.id}/", {"locales": [english.id]})
    assert response.status_code == 302
    assert home.get_translations().filter(locale=english).exists()
    assert client.get("/admin/locales/").status_code == 200


def test_the_admin_never_sends_users_email_hashes_to_gravatar(client, network, superuser):
    """Wagtail shows each user's Gravatar by default; Maillage's admin keeps e-mails at home."""
    import hashlib

    client.force_login(superuser)
    html = client.get("/admin/").content.decode()
    assert "gravatar" not in html.lower()
    assert hashlib.md5(b"root@example.org").hexdigest() not in html  # noqa: S324


def test_the_french_admin_calls_languages_languages_and_publishes_in_a_language(
    client, network, superuser, english
):
    """wagtail-localize's French says "Régions" for languages (a regional site, to our users) and
    "Publier dansAnglais" on its editor's button: our corrections (locale_overrides/) win."""
    client.force_login(superuser)
    response = client.get("/admin/locales/", HTTP_ACCEPT_LANGUAGE="fr")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Langues" in html
    assert "Régions" not in html

    catalog = client.get("/admin/localize/jsi18n/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '"Publish in ": "Publier en "' in catalog
