"""A newcomer runs the demo, logs in as the Bretagne editor with the printed password, and sees
only Bretagne."""

import re
from io import StringIO

from django.core.management import call_command

from wagtail.models import Site

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_world")]


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    out = StringIO()
    call_command("seed_demo", "--i-know-this-is-not-production", stdout=out)
    return out.getvalue()


def printed_password(output, username):
    match = re.search(rf"login {re.escape(username)} / password (\S+?):", output)
    assert match, f"{username} is not printed by seed_demo"
    return match.group(1)


def test_the_bretagne_editor_sees_only_bretagne(client, demo):
    password = printed_password(demo, "bretagne-editeur")
    response = client.post(
        "/admin/login/",
        {"username": "bretagne-editeur", "password": password},
        HTTP_HOST="localhost:8000",
        SERVER_PORT="8000",
    )
    assert response.status_code == 302, "the printed password does not log in"

    bretagne = Site.objects.get(hostname="bretagne.localhost")
    occitanie = Site.objects.get(hostname="occitanie.localhost")
    page_search = client.get(
        "/admin/pages/search/", {"q": "Maillage"}, HTTP_HOST="localhost:8000", SERVER_PORT="8000"
    ).content.decode()
    assert "Maillage Bretagne" in page_search
    for other in Site.objects.exclude(pk=bretagne.pk):
        assert other.site_name not in page_search

    # Bretagne's pages open; Occitanie's do not
    assert (
        client.get(
            f"/admin/pages/{bretagne.root_page_id}/edit/",
            HTTP_HOST="localhost:8000",
            SERVER_PORT="8000",
        ).status_code
        == 200
    )
    response = client.get(
        f"/admin/pages/{occitanie.root_page_id}/edit/",
        HTTP_HOST="localhost:8000",
        SERVER_PORT="8000",
    )
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert response["Location"] != f"/admin/pages/{occitanie.root_page_id}/edit/"

    # the site dashboard lists Bretagne alone
    dashboard = client.get(
        "/admin/network/sites/", HTTP_HOST="localhost:8000", SERVER_PORT="8000"
    ).content.decode()
    assert "bretagne.localhost" in dashboard
    assert "occitanie.localhost" not in dashboard
