"""The comment form over HTTP: field checks, the form coming back filled, anti-robot checks."""

import time

from django.core import signing

import pytest
from bs4 import BeautifulSoup

from comments.forms import TIMESTAMP_SALT, signed_timestamp
from comments.models import Comment
from tests.support.comments import bretagne_post, send


@pytest.fixture
def post(bretagne_site):
    return bretagne_post(bretagne_site)


def field_errors(response, name):
    soup = BeautifulSoup(response.content, "html.parser")
    field = soup.find(attrs={"name": name})
    assert field is not None, f"no field {name}"
    errors = field.find_previous_sibling("ul", class_="errorlist")
    return errors.get_text(" ", strip=True) if errors else ""


def top_errors(response):
    soup = BeautifulSoup(response.content, "html.parser")
    errors = soup.find(class_="comment-form__errors")
    return errors.get_text(" ", strip=True) if errors else ""


def test_a_valid_comment_is_stored(client, post):
    response = send(client, post)
    assert response.status_code == 303
    comment = Comment.objects.get()
    assert comment.page_id == post.pk
    assert comment.author_name == "Maël Le Bihan"
    assert comment.body == "Très bel article.\nMerci !"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", ""),
        ("name", "x" * 101),
        ("email", ""),
        ("email", "not-an-email"),
        ("url", "javascript:alert(1)"),
        ("url", "ftp://files.example.org/"),
        ("url", "https://" + "a" * 300 + ".org/"),
        ("body", ""),
        ("body", "   \n  "),
        ("body", "x" * 5001),
    ],
)
def test_each_field_is_checked_and_the_form_comes_back_filled(client, post, field, value):
    response = send(client, post, **{field: value})
    assert response.status_code == 400
    assert field_errors(response, field)
    assert not Comment.objects.exists()
    soup = BeautifulSoup(response.content, "html.parser")
    form = soup.find("form", id="comment-form")
    assert form["action"] == f"/comments/post/{post.pk}/"
    # The other fields keep what the visitor typed.
    if field != "name":
        assert form.find(attrs={"name": "name"})["value"] == "Maël Le Bihan"
    if field != "body":
        assert form.find("textarea", attrs={"name": "body"}).get_text().strip() == (
            "Très bel article.\nMerci !"
        )
    if field != "email":
        assert form.find(attrs={"name": "email"})["value"] == "mael@example.org"


def test_missing_fields_and_garbage_never_cause_a_server_error(client, post):
    response = client.post(
        f"/comments/post/{post.pk}/", {"parent": "abc"}, HTTP_HOST="bretagne.localhost"
    )
    assert response.status_code == 400
    assert not Comment.objects.exists()


def test_an_unknown_page_is_404(client, post):
    assert send(client, post).status_code == 303
    response = client.post("/comments/post/999999/", {}, HTTP_HOST="bretagne.localhost")
    assert response.status_code == 404


def test_get_is_not_allowed(client, post):
    response = client.get(f"/comments/post/{post.pk}/", HTTP_HOST="bretagne.localhost")
    assert response.status_code == 405


def test_the_honeypot_must_stay_empty(client, post):
    response = send(client, post, website_confirm="http://spam.example/")
    assert response.status_code == 400
    assert not Comment.objects.exists()


def test_the_honeypot_is_hidden_from_people(client, post):
    response = send(client, post, name="")
    soup = BeautifulSoup(response.content, "html.parser")
    trap = soup.find(attrs={"name": "website_confirm"})
    assert trap["tabindex"] == "-1"
    assert trap.find_parent(class_="comment-form__trap")["aria-hidden"] == "true"


def test_a_form_sent_too_fast_is_refused(client, post):
    response = send(client, post, timestamp=signed_timestamp(time.time() - 1))
    assert response.status_code == 400
    assert "très rapide" in top_errors(response)
    assert not Comment.objects.exists()


def test_a_form_older_than_a_day_is_refused(client, post):
    # Signed two days ago: TimestampSigner's own clock, forged through time.time.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(time, "time", lambda: 1_000_000_000.0)
        old = signed_timestamp()
    response = send(client, post, timestamp=old)
    assert response.status_code == 400
    assert "a expiré" in top_errors(response)
    assert not Comment.objects.exists()


FORGED_TIMESTAMPS = {
    "missing": lambda: "",
    "garbage": lambda: "garbage",
    "other-salt": lambda: signing.dumps(int(time.time()) - 60, salt="another-salt"),
    "not-a-number": lambda: signing.dumps("not a number", salt=TIMESTAMP_SALT),
}


@pytest.mark.parametrize("kind", FORGED_TIMESTAMPS)
def test_a_missing_or_forged_timestamp_is_refused(client, post, kind):
    response = send(client, post, timestamp=FORGED_TIMESTAMPS[kind]())
    assert response.status_code == 400
    assert not Comment.objects.exists()


def test_the_form_shown_again_gets_a_fresh_timestamp(client, post):
    response = send(client, post, timestamp=signed_timestamp(time.time() - 1))
    soup = BeautifulSoup(response.content, "html.parser")
    fresh = soup.find(attrs={"name": "timestamp"})["value"]
    shown_at = signing.loads(fresh, salt=TIMESTAMP_SALT)
    assert abs(shown_at - time.time()) < 5


def test_the_form_on_the_post_has_the_contract_fields(client, post):
    from tests.support.comments import BRETAGNE, post_path

    response = client.get(post_path(post), HTTP_HOST=BRETAGNE)
    soup = BeautifulSoup(response.content, "html.parser")
    forms = [form for form in soup.find_all("form") if form.find(attrs={"name": "body"})]
    assert len(forms) == 1
    names = {field["name"] for field in forms[0].find_all(attrs={"name": True})}
    assert {"name", "email", "url", "body", "notify", "use_gravatar", "parent"} <= names
    assert forms[0].find(attrs={"name": "notify"}).get("checked") is None
    assert forms[0].find(attrs={"name": "use_gravatar"}).get("checked") is None
    assert "privé" in forms[0].find("label", attrs={"for": "comment-email"}).get_text()
