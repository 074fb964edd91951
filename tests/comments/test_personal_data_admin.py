"""The personal-data tools of the admin: network administrators only; what is tied to an address
per site, its export, its erasure after a confirmation; log entries without the address."""

import json
import logging

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from wagtail.models import ModelLogEntry, PageLogEntry

import pytest
from bs4 import BeautifulSoup

from comments import personal_data_admin
from comments.models import Comment, ConfirmedEmail, Subscription
from sites import roles
from tests.support.comments import bretagne_post, logged_in, make_comment, make_user
from tests.support.moderation import menu_item

INDEX = "/admin/personal-data/"
EXPORT = f"{INDEX}export/"
ERASE = f"{INDEX}erase/"
MAEL = "mael@example.org"
ANNE = "anne@example.org"


@pytest.fixture
def comments(bretagne_site, occitanie_site):
    """Maël twice on Bretagne (Anne replied to one) and once on Occitanie; Anne elsewhere."""
    bzh = bretagne_post(bretagne_site, "Habiter autrement")
    oc = bretagne_post(occitanie_site, "Tiers-lieux en Occitanie")
    mael_1 = make_comment(
        bzh, author_name="Maël", email=MAEL, ip_address="192.0.2.7", user_agent="Firefox"
    )
    mael_2 = make_comment(bzh, author_name="Maël", email=MAEL, body="Encore moi.")
    mael_3 = make_comment(oc, author_name="Maël", email=MAEL, body="Et à Toulouse ?")
    reply = make_comment(bzh, parent=mael_1, author_name="Anne", email=ANNE, body="Merci.")
    anne = make_comment(oc, author_name="Anne", email=ANNE, body="Bravo.")
    Subscription.objects.create(comment=mael_1, email=MAEL, confirmed_at=timezone.now())
    ConfirmedEmail.objects.create(email=MAEL, confirmed_at=timezone.now())
    return {"mael": [mael_1, mael_2, mael_3], "reply": reply, "anne": anne}


@pytest.fixture
def network_admin(network):
    return make_user("head", roles.ensure_network_administrators())


@pytest.fixture
def admin_client(client, network_admin):
    return logged_in(client, network_admin)


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def anne_untouched(comments):
    for comment in (comments["reply"], comments["anne"]):
        comment = Comment.objects.get(pk=comment.pk)
        assert (comment.author_name, comment.email) == ("Anne", ANNE)
        assert comment.anonymized_at is None and comment.removed_at is None


def log_rows():
    """Every row of Wagtail's log tables, as text."""
    rows = list(ModelLogEntry.objects.values()) + list(PageLogEntry.objects.values())
    return json.dumps(rows, default=str)


# --- who may use them --------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_the_login(client, comments):
    response = client.get(INDEX)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert (
        client.post(ERASE, {"email": MAEL, "mode": "delete", "confirmed": "yes"}).status_code == 302
    )
    assert Comment.objects.filter(email=MAEL).count() == 3


def test_a_site_administrator_is_refused_and_sees_no_menu_item(client, bretagne_site, comments):
    logged_in(client, make_user("admin-bzh", bretagne_site.profile.administrators))
    assert menu_item(client.get("/admin/"), "personal-data") is None
    refused = client.get(INDEX)
    assert refused.status_code == 403
    assert soup(refused).find(id="personal-data-forbidden") is not None
    assert client.post(INDEX, {"email": MAEL}).status_code == 403
    assert client.post(EXPORT, {"email": MAEL}).status_code == 403
    erase = client.post(ERASE, {"email": MAEL, "mode": "delete", "confirmed": "yes"})
    assert erase.status_code == 403
    assert Comment.objects.filter(email=MAEL).count() == 3


def test_a_moderator_is_refused(client, bretagne_site, comments):
    logged_in(client, make_user("modo-bzh", bretagne_site.profile.moderators))
    assert client.get(INDEX).status_code == 403
    assert menu_item(client.get("/admin/"), "personal-data") is None


def test_network_administrators_and_superusers_get_the_tools(client, network_admin, network):
    logged_in(client, network_admin)
    item = menu_item(client.get("/admin/"), "personal-data")
    assert item is not None and item["url"] == INDEX
    assert client.get(INDEX).status_code == 200
    logged_in(client, make_user("root", is_superuser=True))
    assert client.get(INDEX).status_code == 200
    assert not personal_data_admin.may_manage(AnonymousUser())


# --- what they do --------------------------------------------------------------------------------


def test_the_counts_per_site(admin_client, comments):
    page = soup(admin_client.post(INDEX, {"email": " MAEL@example.org"}))
    rows = {
        row["data-site"]: row.find_all("td")[1].text
        for row in page.select("#personal-data-summary tbody tr")
    }
    assert rows == {"bretagne.localhost": "2", "occitanie.localhost": "1"}
    assert page.find(id="personal-data-total").text == "3"
    assert page.find(id="personal-data-erase") is not None


def test_an_address_with_nothing(admin_client, comments):
    page = soup(admin_client.post(INDEX, {"email": "nobody@example.org"}))
    assert page.find(id="personal-data-nothing") is not None
    assert page.find(id="personal-data-erase") is None


def test_the_export_holds_everything_of_the_address_and_nothing_else(admin_client, comments):
    response = admin_client.post(EXPORT, {"email": MAEL})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["email"] == MAEL and data["address_confirmed_at"]
    exported = {item["id"]: item for item in data["comments"]}
    assert set(exported) == {comment.pk for comment in comments["mael"]}
    first = exported[comments["mael"][0].pk]
    assert (first["ip_address"], first["user_agent"]) == ("192.0.2.7", "Firefox")
    assert first["reply_notifications"]["state"] == "active"
    assert {item["site"] for item in data["comments"]} == {
        "Maillage Bretagne",
        "Maillage Occitanie",
    }
    assert ANNE not in response.content.decode() and "Bravo" not in response.content.decode()


def test_erasing_asks_for_a_confirmation_then_anonymizes(admin_client, comments):
    confirm = admin_client.post(ERASE, {"email": MAEL, "mode": "anonymize"})
    assert confirm.status_code == 200
    form = soup(confirm).find("form", id="personal-data-confirm")
    assert form is not None
    assert Comment.objects.filter(email=MAEL).count() == 3  # nothing yet

    fields = {field["name"]: field.get("value", "") for field in form.find_all("input")}
    done = admin_client.post(ERASE, fields, follow=True)
    assert done.status_code == 200
    assert "3 comments anonymized" in done.content.decode()
    for comment in comments["mael"]:
        comment = Comment.objects.get(pk=comment.pk)
        assert comment.anonymized_at is not None and comment.email == ""
        assert comment.ip_address is None and comment.user_agent == ""
    assert not Subscription.objects.exists()
    assert not ConfirmedEmail.objects.filter(email=MAEL).exists()
    anne_untouched(comments)


def test_erasing_by_deletion_keeps_a_tombstone_for_the_reply(admin_client, comments):
    admin_client.post(ERASE, {"email": MAEL, "mode": "delete", "confirmed": "yes"})
    first, second, third = comments["mael"]
    tombstone = Comment.objects.get(pk=first.pk)
    assert tombstone.removed_at is not None and tombstone.body == "" and tombstone.email == ""
    assert not Comment.objects.filter(pk__in=[second.pk, third.pk]).exists()
    assert Comment.objects.get(pk=comments["reply"].pk).parent_id == first.pk
    anne_untouched(comments)


def test_no_log_entry_holds_the_address(admin_client, network_admin, comments, caplog):
    caplog.set_level(logging.DEBUG)
    admin_client.post(INDEX, {"email": MAEL})
    admin_client.post(EXPORT, {"email": MAEL})
    admin_client.post(ERASE, {"email": MAEL, "mode": "anonymize"})
    admin_client.post(ERASE, {"email": MAEL, "mode": "anonymize", "confirmed": "yes"})

    entries = ModelLogEntry.objects.filter(action__startswith="comments.personal_data.")
    recorded = {(entry.action, entry.label, entry.data["comments"]) for entry in entries}
    assert recorded == {
        (personal_data_admin.EXPORT_ACTION, "Maillage Bretagne", 2),
        (personal_data_admin.EXPORT_ACTION, "Maillage Occitanie", 1),
        (personal_data_admin.ERASE_ACTION, "Maillage Bretagne", 2),
        (personal_data_admin.ERASE_ACTION, "Maillage Occitanie", 1),
    }
    assert {entry.user_id for entry in entries} == {network_admin.pk}  # who acted
    text = log_rows()
    for secret in (MAEL, "mael@", "Maël", "192.0.2.7"):
        assert secret not in text
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "personal_data" in logged
    assert MAEL not in logged and "mael@" not in logged


def test_the_site_history_shows_the_entries(admin_client, comments):
    admin_client.post(ERASE, {"email": MAEL, "mode": "delete", "confirmed": "yes"})
    history = admin_client.get("/admin/reports/site-history/")
    assert history.status_code == 200
    assert "Personal data erased: 2 comments deleted" in history.content.decode()
