"""Legal retention of identification data (COMMENTS_IDENTIFICATION_RETENTION_DAYS): when on, each
comment POST keeps the IP address, port and time in a record apart from the comment, which site
moderators can neither see nor export, which network administrators export through a logged
export, and which the daily job deletes after its period; off, nothing is kept."""

import csv
import datetime
import io
from io import StringIO

from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

import pytest
import time_machine
from bs4 import BeautifulSoup

from comments import inventory
from comments.models import Comment, IdentificationExport, IdentificationRecord
from tests.support.comments import BRETAGNE, bretagne_post, make_comment, send
from tests.support.scoping_fixtures import *  # noqa: F403

EXPORT = "/admin/identification-records/"
VISITOR_IP = "203.0.113.9"
VISITOR_PORT = "51234"


@pytest.fixture
def legal_retention(settings):
    settings.COMMENTS_IDENTIFICATION_RETENTION_DAYS = 365


@pytest.fixture
def post(bretagne_site):
    return bretagne_post(bretagne_site)


def post_comment(client, post, body="Très bel article.", **headers):
    meta = {"REMOTE_ADDR": VISITOR_IP, "REMOTE_PORT": VISITOR_PORT, **headers}
    response = send(client, post, headers=meta, body=body)
    assert response.status_code == 303
    return Comment.objects.latest("pk")


def rows(response):
    return list(csv.DictReader(io.StringIO(response.content.decode())))


# --- recording ----------------------------------------------------------------------------------


def test_with_the_setting_on_a_comment_keeps_its_record_apart(client, post, legal_retention):
    comment = post_comment(client, post)

    record = IdentificationRecord.objects.get()
    assert (record.comment_id, record.page_id) == (comment.pk, post.pk)
    assert (record.ip_address, record.port) == (VISITOR_IP, 51234)
    assert record.created_at == comment.created_at
    # the comment holds no more than without the setting: its address (for moderators, erased
    # after COMMENTS_IP_RETENTION_DAYS) and no port anywhere
    assert comment.ip_address == VISITOR_IP
    assert not any("port" in field.name for field in Comment._meta.concrete_fields)


def test_off_nothing_is_recorded(client, post):
    post_comment(client, post)

    assert Comment.objects.count() == 1
    assert not IdentificationRecord.objects.exists()


def test_behind_a_proxy_the_port_comes_from_its_header_only(client, post, settings):
    settings.COMMENTS_IDENTIFICATION_RETENTION_DAYS = 365
    # forwarded, no port header configured: REMOTE_PORT is the proxy's, so no port
    post_comment(client, post, HTTP_X_FORWARDED_FOR="198.51.100.4")
    assert IdentificationRecord.objects.get().port is None

    settings.COMMENTS_CLIENT_PORT_HEADER = "HTTP_X_CLIENT_PORT"
    post_comment(client, post, HTTP_X_CLIENT_PORT="40001", body="Un autre commentaire.")
    post_comment(client, post, HTTP_X_CLIENT_PORT="port 80", body="Et encore un autre.")
    assert list(IdentificationRecord.objects.values_list("port", flat=True)) == [None, 40001, None]


def test_erasing_the_comment_leaves_the_record(client, post, legal_retention):
    comment = post_comment(client, post)
    pk = comment.pk
    comment.delete()

    assert IdentificationRecord.objects.filter(comment_id=pk).exists()


# --- who reads it --------------------------------------------------------------------------------


@pytest.fixture
def recorded(client, post, legal_retention):
    return post_comment(client, post)


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_moderator_of_the_same_site_cannot_see_nor_export_it(
    client, recorded, bretagne_moderator, bretagne_administrator, method
):
    for user in (bretagne_moderator, bretagne_administrator):
        client.force_login(user)
        response = getattr(client, method)(EXPORT, {"reason": "curiosité"})
        assert response.status_code == 403
        assert VISITOR_IP not in response.content.decode()
        assert BeautifulSoup(response.content, "html.parser").find(id="identification-forbidden")
        assert "identification-records" not in client.get("/admin/").content.decode()
    assert not IdentificationExport.objects.exists()


def test_the_moderation_screens_never_show_the_record(client, recorded, bretagne_moderator):
    client.force_login(bretagne_moderator)
    detail = client.get(reverse("comments_moderation:detail", args=[recorded.pk]))
    assert detail.status_code == 200
    assert VISITOR_PORT not in detail.content.decode()
    listing = client.get("/admin/comments/")
    assert listing.status_code == 200
    assert VISITOR_PORT not in listing.content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client, recorded):
    response = client.get(EXPORT)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_a_network_administrator_exports_it_and_the_export_is_logged(
    client, recorded, network_administrator
):
    client.force_login(network_administrator)
    page = client.get(EXPORT)
    assert page.status_code == 200
    assert BeautifulSoup(page.content, "html.parser").find(id="identification-export")

    response = client.post(EXPORT, {"reason": "Réquisition du parquet de Rennes n° 42"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "no-store" in response["Cache-Control"]
    [row] = rows(response)
    assert row["ip_address"] == VISITOR_IP and row["port"] == VISITOR_PORT
    assert row["comment_id"] == str(recorded.pk)
    export = IdentificationExport.objects.get()
    assert (export.user, export.username, export.records) == (
        network_administrator,
        "network-administrator",
        1,
    )
    assert export.reason == "Réquisition du parquet de Rennes n° 42"
    # the trail is shown beside the form
    again = client.get(EXPORT).content.decode()
    assert "Réquisition du parquet de Rennes n° 42" in again


def test_an_export_needs_a_reason_and_a_sensible_period(client, recorded, superuser):
    client.force_login(superuser)
    assert client.post(EXPORT, {"reason": ""}).status_code == 400
    wrong = client.post(EXPORT, {"reason": "x", "since": "2026-05-02", "until": "2026-05-01"})
    assert wrong.status_code == 400
    assert client.post(EXPORT, {"reason": "x", "since": "hier"}).status_code == 400
    assert not IdentificationExport.objects.exists()

    today = timezone.localdate().isoformat()
    response = client.post(EXPORT, {"reason": "x", "since": today, "until": today})
    assert len(rows(response)) == 1
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    assert rows(client.post(EXPORT, {"reason": "x", "since": tomorrow})) == []
    assert IdentificationExport.objects.count() == 2


def test_the_command_exports_and_logs_too(recorded):
    out = StringIO()
    call_command("export_identification_records", "--reason", "Réquisition 7", stdout=out)

    [row] = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert row["ip_address"] == VISITOR_IP
    export = IdentificationExport.objects.get()
    assert (export.username, export.reason, export.user) == ("command", "Réquisition 7", None)
    with pytest.raises(CommandError, match="reason"):
        call_command("export_identification_records", "--reason", "  ", stdout=StringIO())
    with pytest.raises(CommandError, match="not a date"):
        call_command("export_identification_records", "--reason", "r", "--since", "x")


# --- the daily job -------------------------------------------------------------------------------


def anonymize_comments(*args):
    out = StringIO()
    call_command("anonymize_comments", *args, stdout=out)
    return out.getvalue()


def test_the_daily_job_deletes_records_past_their_period(post, settings):
    settings.COMMENTS_IDENTIFICATION_RETENTION_DAYS = 365
    now = timezone.now()
    comment = make_comment(post)
    old = IdentificationRecord.objects.create(
        comment_id=comment.pk, page_id=post.pk, created_at=now - datetime.timedelta(days=366)
    )
    young = IdentificationRecord.objects.create(
        comment_id=comment.pk, page_id=post.pk, created_at=now - datetime.timedelta(days=364)
    )

    assert "1 identification records would be deleted" in anonymize_comments("--dry-run")
    assert IdentificationRecord.objects.count() == 2
    assert "1 identification records were deleted (older than 365 days)" in anonymize_comments()
    assert list(IdentificationRecord.objects.all()) == [young]
    assert not IdentificationRecord.objects.filter(pk=old.pk).exists()

    # a year later the young one goes too; its comment's own address went after 30 days
    with time_machine.travel(now + datetime.timedelta(days=2)):
        anonymize_comments()
    assert not IdentificationRecord.objects.exists()


def test_turned_off_the_daily_job_deletes_every_record(post, settings):
    comment = make_comment(post)
    IdentificationRecord.objects.create(
        comment_id=comment.pk, page_id=post.pk, created_at=timezone.now()
    )

    assert "legal retention is off" in anonymize_comments()
    assert not IdentificationRecord.objects.exists()


# --- what the visitor is told --------------------------------------------------------------------


def test_the_privacy_texts_list_the_record_only_when_it_is_kept(settings, client, post):
    assert "IdentificationRecord" not in inventory.markdown_table()

    settings.COMMENTS_IDENTIFICATION_RETENTION_DAYS = 365
    table = inventory.markdown_table()
    assert "`IdentificationRecord (comment_id, page_id, ip_address, port, created_at)`" in table
    assert "Legal obligation (GDPR art. 6(1)(c))" in table
    assert "365 days after the comment was posted" in table
    html = inventory.privacy_policy_html("fr", "Maillage Test")
    assert "Obligation légale" in html and "365 jours" in html
    form = client.get(post.url, HTTP_HOST=BRETAGNE).content.decode()
    assert "Comme la loi l'exige des hébergeurs" in form


def test_every_field_of_the_record_is_in_the_inventory(settings):
    settings.COMMENTS_IDENTIFICATION_RETENTION_DAYS = 365
    [entry] = [e for e in inventory.entries() if e.field.startswith("IdentificationRecord")]
    for field in IdentificationRecord._meta.concrete_fields:
        assert field.name == "id" or field.name in entry.field, field.name
