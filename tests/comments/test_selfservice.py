""" "Manage my comments": the signed link asked from any site, what it shows across the network,
the export, the correction, the notifications stopped, the erasure (anonymized or deleted), an
unknown address answered like a known one, expired and altered links, throttling."""

import base64
import datetime
import json
import re
from urllib.parse import urlsplit

from django.core import mail
from django.test import Client
from django.utils import timezone

import pytest
import time_machine
from bs4 import BeautifulSoup

from comments import notifications
from comments.models import Comment, ConfirmedEmail, Subscription
from tests.support.comments import BRETAGNE, bretagne_post, make_comment
from tests.support.selfservice import (
    MANAGE,
    OCCITANIE,
    ask_link,
    mailed_link,
    open_link,
    submit,
)

MAEL = "mael@example.org"
ANNE = "anne@example.org"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


@pytest.fixture
def visitor():
    """A browser: CSRF is checked, as in production."""
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def posts(bretagne_site, occitanie_site):
    return {
        "bretagne": bretagne_post(bretagne_site, "Habiter autrement"),
        "occitanie": bretagne_post(occitanie_site, "Tiers-lieux en Occitanie"),
    }


@pytest.fixture
def comments(posts):
    """Maël on both sites (Anne replied to the Bretagne one; Maël asked for notifications), and
    Anne's own comments, which nothing here may touch."""
    mael_bzh = make_comment(
        posts["bretagne"],
        author_name="Maël",
        email=MAEL,
        url="https://mael.example.org/",
        body="Très bel article, merci.",
        ip_address="192.0.2.7",
        user_agent="Firefox",
    )
    mael_oc = make_comment(
        posts["occitanie"], author_name="Maël", email=MAEL, body="Et à Toulouse ?"
    )
    reply = make_comment(
        posts["bretagne"], parent=mael_bzh, author_name="Anne", email=ANNE, body="Merci Maël."
    )
    anne_oc = make_comment(posts["occitanie"], author_name="Anne", email=ANNE, body="Bravo.")
    subscription = Subscription.objects.create(
        comment=mael_bzh, email=MAEL, confirmed_at=timezone.now()
    )
    notifications.issue_token(subscription)
    return {"mael_bzh": mael_bzh, "mael_oc": mael_oc, "reply": reply, "anne_oc": anne_oc}


def html(response):
    return response.content.decode()


def link_for(client, email=MAEL, host=BRETAGNE):
    before = len(mail.outbox)
    ask_link(client, email, host=host)
    assert len(mail.outbox) == before + 1
    return mailed_link(mail.outbox[-1])


def anne_untouched(comments):
    for key in ("reply", "anne_oc"):
        comment = Comment.objects.get(pk=comments[key].pk)
        assert (comment.author_name, comment.email) == ("Anne", ANNE)
        assert comment.anonymized_at is None and comment.removed_at is None


# --- the whole flow -----------------------------------------------------------------------------


def test_the_flow_from_the_request_to_the_anonymization(visitor, comments, posts):
    form = visitor.get(MANAGE, {"lang": "en"}, HTTP_HOST=BRETAGNE)
    assert form.status_code == 200
    assert "Maillage Bretagne" in html(form)  # the site's branding
    response = submit(visitor, form, "manage-form", email="  MAEL@example.org ")
    assert response.status_code == 303
    assert response["Location"] == "/comments/manage/sent/?lang=en"
    sent = visitor.get(response["Location"], HTTP_HOST=BRETAGNE)
    assert "Check your mailbox" in html(sent)

    [message] = mail.outbox
    assert message.to == [MAEL]
    assert message.subject == "Manage your comments"
    url = mailed_link(message)
    assert url.startswith("http://bretagne.localhost/comments/manage/")
    assert MAEL not in url and "mael%40" not in url.lower()

    page = open_link(visitor, url)
    assert page.status_code == 200
    assert page["Referrer-Policy"] == "no-referrer"
    text = html(page)
    assert "Habiter autrement" in text and "Tiers-lieux en Occitanie" in text
    assert "Maillage Occitanie" in text  # the site of each comment
    assert "Très bel article" in text and "Et à Toulouse" in text
    assert "Merci Maël" not in text and "Bravo." not in text  # Anne's
    assert MAEL not in text
    assert not ConfirmedEmail.objects.exists()  # opening the link (GET) changes nothing
    host = urlsplit(url).netloc
    confirmed = submit(visitor, page, "manage-confirm", host=host)
    assert confirmed.status_code == 303
    assert ConfirmedEmail.objects.filter(email=MAEL).exists()  # the button proved the address

    export = submit(visitor, page, "manage-export", host=host)
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/json")
    assert "attachment" in export["Content-Disposition"]
    data = json.loads(export.content)
    assert data["email"] == MAEL
    exported = {item["id"]: item for item in data["comments"]}
    assert set(exported) == {comments["mael_bzh"].pk, comments["mael_oc"].pk}
    bzh = exported[comments["mael_bzh"].pk]
    assert bzh["name"] == "Maël" and bzh["email"] == MAEL
    assert bzh["website"] == "https://mael.example.org/"
    assert bzh["message"] == "Très bel article, merci."
    assert bzh["status"] == "approved" and bzh["created_at"]
    assert bzh["site"] == "Maillage Bretagne"
    assert bzh["post_url"] == posts["bretagne"].full_url
    assert bzh["reply_notifications"]["state"] == "active"
    assert exported[comments["mael_oc"].pk]["reply_notifications"] is None
    assert "Anne" not in export.content.decode() and ANNE not in export.content.decode()
    assert "ip_address" not in bzh  # may be someone else's who typed the address

    corrected = submit(
        visitor,
        page,
        "manage-correct",
        host=host,
        name="Maël Le Bihan",
        url="https://le-bihan.bzh/",
    )
    assert corrected.status_code == 303
    after = visitor.get(corrected["Location"], HTTP_HOST=host)
    assert "corrected" in html(after)
    for key in ("mael_bzh", "mael_oc"):
        comment = Comment.objects.get(pk=comments[key].pk)
        assert (comment.author_name, comment.url) == ("Maël Le Bihan", "https://le-bihan.bzh/")

    stopped = submit(visitor, after, "manage-notifications", host=host)
    assert stopped.status_code == 303
    subscription = Subscription.objects.get(comment=comments["mael_bzh"])
    assert subscription.unsubscribed_at is not None and subscription.token_hash is None
    after = visitor.get(stopped["Location"], HTTP_HOST=host)

    erased = submit(visitor, after, "manage-erase", host=host, mode="anonymize", confirm="on")
    assert erased.status_code == 303
    done = visitor.get(erased["Location"], HTTP_HOST=host)
    soup = BeautifulSoup(done.content, "html.parser")
    assert "anonymized" in soup.find(id="manage-done").get_text()
    assert soup.find(id="manage-empty") is not None
    for key in ("mael_bzh", "mael_oc"):
        comment = Comment.objects.get(pk=comments[key].pk)
        assert comment.anonymized_at is not None
        assert comment.email == "" and comment.url == "" and comment.ip_address is None
        assert "Maël" not in comment.author_name
    assert not Subscription.objects.filter(email=MAEL).exists()
    assert not ConfirmedEmail.objects.filter(email=MAEL).exists()
    anne_untouched(comments)


def test_deleting_keeps_a_tombstone_where_others_replied(visitor, comments):
    page = open_link(visitor, link_for(visitor))
    erased = submit(visitor, page, "manage-erase", mode="delete", confirm="on")
    assert erased.status_code == 303
    done = visitor.get(erased["Location"], HTTP_HOST=BRETAGNE)
    assert "deleted" in BeautifulSoup(done.content, "html.parser").find(id="manage-done").text

    tombstone = Comment.objects.get(pk=comments["mael_bzh"].pk)
    assert tombstone.removed_at is not None
    assert (tombstone.body, tombstone.author_name, tombstone.email) == ("", "", "")
    assert not Comment.objects.filter(pk=comments["mael_oc"].pk).exists()
    assert Comment.objects.get(pk=comments["reply"].pk).parent_id == tombstone.pk
    assert not Comment.objects.filter(email=MAEL).exists()
    assert not Subscription.objects.exists()
    anne_untouched(comments)


def test_erasing_asks_for_a_confirmation(visitor, comments):
    page = open_link(visitor, link_for(visitor))
    refused = submit(visitor, page, "manage-erase", mode="delete")
    assert refused.status_code == 400
    assert BeautifulSoup(refused.content, "html.parser").select("#manage-erase .errorlist")
    assert Comment.objects.filter(email=MAEL).count() == 2


def test_a_name_cannot_be_emptied(visitor, comments):
    page = open_link(visitor, link_for(visitor))
    refused = submit(visitor, page, "manage-correct", name="   ", url="")
    assert refused.status_code == 400
    assert Comment.objects.get(pk=comments["mael_bzh"].pk).author_name == "Maël"


def test_a_link_asked_on_another_site_opens_there(visitor, comments):
    url = link_for(visitor, host=OCCITANIE)
    assert url.startswith("http://occitanie.localhost/comments/manage/")
    page = open_link(visitor, url)
    assert page.status_code == 200
    assert "Maillage Occitanie" in html(page)
    assert "Habiter autrement" in html(page)  # the whole network's comments


def test_the_link_speaks_the_language_it_was_asked_in(visitor, comments):
    ask_link(visitor, MAEL, lang="fr")
    page = open_link(visitor, mailed_link(mail.outbox[-1]))
    assert '<html lang="fr">' in html(page)


def test_every_site_links_to_the_page_from_its_footer(client, network):
    for host in (BRETAGNE, OCCITANIE):
        home = client.get("/", HTTP_HOST=host)
        footer = BeautifulSoup(home.content, "html.parser").find("footer")
        link = footer.find("a", id="site-footer-manage-comments")
        assert link["href"] == "/comments/manage/?lang=fr"
    assert client.get(link["href"], HTTP_HOST=OCCITANIE).status_code == 200


# --- revealing nothing -------------------------------------------------------------------------


def test_an_unknown_address_is_answered_like_a_known_one(visitor, comments):
    known = ask_link(visitor, MAEL, ip="198.51.100.1")
    unknown = ask_link(visitor, "nobody@example.org", ip="198.51.100.2")
    assert known.status_code == unknown.status_code == 303
    assert known["Location"] == unknown["Location"]
    pages = [visitor.get(r["Location"], HTTP_HOST=BRETAGNE) for r in (known, unknown)]
    assert pages[0].status_code == pages[1].status_code == 200
    assert CSRF.sub("", html(pages[0])) == CSRF.sub("", html(pages[1]))
    assert [message.to for message in mail.outbox] == [[MAEL]]  # nothing to a stranger


def test_an_address_gets_a_limited_number_of_mails(visitor, comments, settings):
    settings.COMMENTS_CONFIRMATION_RATE_LIMIT = "2/1d"
    answers = [ask_link(visitor, MAEL, ip=f"198.51.100.{n}") for n in range(1, 5)]
    assert {answer.status_code for answer in answers} == {303}  # the same answer every time
    assert len(mail.outbox) == 2


def test_too_many_requests_from_one_client_are_refused(visitor, comments, settings):
    settings.COMMENTS_RATE_LIMIT = "2/10m"
    assert ask_link(visitor, MAEL).status_code == 303
    assert ask_link(visitor, "other@example.org").status_code == 303
    refused = ask_link(visitor, MAEL)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "You have asked for many links" in html(refused)
    assert len(mail.outbox) == 1
    assert ask_link(visitor, MAEL, ip="203.0.113.9").status_code == 303  # another client


def test_an_invalid_address_is_refused_with_the_form(visitor, network):
    response = ask_link(visitor, "not-an-address")
    assert response.status_code == 400
    assert BeautifulSoup(response.content, "html.parser").find("form", id="manage-form")
    assert not mail.outbox


# --- links that do not work --------------------------------------------------------------------


def test_an_expired_link_is_refused_clearly(visitor, comments):
    url = link_for(visitor)
    path = urlsplit(url).path
    later = timezone.now() + datetime.timedelta(minutes=61)
    with time_machine.travel(later, tick=False):
        page = visitor.get(path, {"lang": "en"}, HTTP_HOST=BRETAGNE)
        assert page.status_code == 410
        assert BeautifulSoup(page.content, "html.parser").find(id="link-expired")
        assert "has expired" in html(page)
        erase = Client().post(
            f"{path}erase/", {"mode": "delete", "confirm": "on"}, HTTP_HOST=BRETAGNE
        )
        assert erase.status_code == 410
    assert Comment.objects.filter(email=MAEL).count() == 2


def test_a_link_still_works_within_the_hour(visitor, comments):
    path = urlsplit(link_for(visitor)).path
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=59), tick=False):
        assert visitor.get(path, HTTP_HOST=BRETAGNE).status_code == 200


def test_an_altered_link_is_refused_clearly(visitor, comments):
    path = urlsplit(link_for(visitor)).path
    token = path.rstrip("/").rsplit("/", 1)[1]
    payload, timestamp, signature = token.split(":")
    forged = base64.urlsafe_b64encode(json.dumps({"e": ANNE, "l": "en"}).encode())
    forged_token = f"{forged.decode().rstrip('=')}:{timestamp}:{signature}"
    for bad in (forged_token, token[:-3], "nonsense"):
        page = visitor.get(f"/comments/manage/{bad}/", {"lang": "en"}, HTTP_HOST=BRETAGNE)
        assert page.status_code == 400, bad
        assert BeautifulSoup(page.content, "html.parser").find(id="link-invalid")
        assert "not valid" in html(page)
        export = Client().post(f"/comments/manage/{bad}/export/", HTTP_HOST=BRETAGNE)
        assert export.status_code == 400
    anne_untouched(comments)


def test_the_link_does_not_reveal_the_address(visitor, comments):
    """Links end up in access logs and forwarded mails: they carry an opaque key, not the e-mail."""
    import base64

    link = link_for(visitor)
    decoded = ""
    for part in link.split("/"):
        for chunk in part.split(":"):
            padded = chunk + "=" * (-len(chunk) % 4)
            try:
                decoded += base64.urlsafe_b64decode(padded).decode("utf-8", "ignore")
            except ValueError:
                continue
    assert MAEL not in link
    assert MAEL not in decoded
    assert MAEL.split("@")[0] not in decoded
