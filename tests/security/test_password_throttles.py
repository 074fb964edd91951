"""Guessing and mail-bombing through Wagtail's own forms (infra.throttle, in the security cache):

- a page's password (view restriction) is refused with a 429, in the site's language, once failed
  guesses reach the limit from one address, or for the restriction whatever the addresses; the
  right password from elsewhere, and other pages' passwords, still work;
- a collection's (documents') password likewise;
- the staff password-reset form sends at most so many mails per address and per client, and
  answers the same whether or not an account has that address.
"""

from django.core import mail
from django.test import Client

from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

import pytest

from infra import throttle
from tests.support.blog import blog_of, make_post
from tests.support.comments import make_user

BRETAGNE = "bretagne.localhost"
OCCITANIE = "occitanie.localhost"
ATTACKER = "203.0.113.7"
VISITOR = "198.51.100.20"
PER_ADDRESS = 3
PER_RESTRICTION = 5


@pytest.fixture(autouse=True)
def limits(monkeypatch):
    monkeypatch.setattr(throttle, "PASSWORD_FAILURES_PER_ADDRESS", (PER_ADDRESS, 900))
    monkeypatch.setattr(throttle, "PASSWORD_FAILURES_PER_RESTRICTION", (PER_RESTRICTION, 3600))
    monkeypatch.setattr(throttle, "RESETS_PER_EMAIL", (2, 3600))
    monkeypatch.setattr(throttle, "RESETS_PER_ADDRESS", (4, 3600))


@pytest.fixture
def private_post(bretagne_site):
    post = make_post(blog_of(bretagne_site), "Compte rendu du bureau", slug="bureau")
    restriction = PageViewRestriction.objects.create(
        page=post, restriction_type=PageViewRestriction.PASSWORD, password="bonne-reponse"
    )
    return post, restriction


@pytest.fixture
def other_private_post(occitanie_site):
    post = make_post(blog_of(occitanie_site), "Réunion interne", slug="reunion")
    restriction = PageViewRestriction.objects.create(
        page=post, restriction_type=PageViewRestriction.PASSWORD, password="autre"
    )
    return post, restriction


def try_password(target, password, ip=ATTACKER, host=BRETAGNE, client=None, prefix=""):
    post, restriction = target
    return (client or Client()).post(
        f"{prefix}/_util/authenticate_with_password/{restriction.pk}/{post.pk}/",
        {"password": password, "return_url": "/blog/bureau/"},
        HTTP_HOST=host,
        REMOTE_ADDR=ip,
    )


def test_page_password_guesses_from_one_address_are_stopped(private_post):
    answers = [try_password(private_post, f"essai-{n}").status_code for n in range(PER_ADDRESS)]
    assert answers == [200] * PER_ADDRESS  # the form again, with its error

    refused = try_password(private_post, "bonne-reponse")  # even the right one, now

    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 900
    html = refused.content.decode()
    assert "Trop de mots de passe erronés" in html  # a French site
    assert "réessayez dans" in html
    assert "sessionid" not in refused.cookies


def test_the_right_password_still_opens_the_page_from_another_address(private_post):
    """Control: the visitor who knows it is not locked out by an attacker elsewhere."""
    for n in range(PER_ADDRESS):
        try_password(private_post, f"essai-{n}")
    visitor = Client()

    opened = try_password(private_post, "bonne-reponse", ip=VISITOR, client=visitor)

    assert opened.status_code == 302
    page = visitor.get("/blog/bureau/", HTTP_HOST=BRETAGNE, REMOTE_ADDR=VISITOR)
    assert page.status_code == 200
    assert "Compte rendu du bureau" in page.content.decode()


def test_guesses_spread_over_many_addresses_are_stopped_per_restriction(
    private_post, other_private_post
):
    for n in range(PER_RESTRICTION):
        assert try_password(private_post, "faux", ip=f"192.0.2.{n + 1}").status_code == 200

    assert try_password(private_post, "faux", ip="192.0.2.200").status_code == 429
    # Control: another site's restricted page is not affected.
    opened = try_password(other_private_post, "autre", ip="192.0.2.200", host=OCCITANIE)
    assert opened.status_code == 302


def test_the_refusal_is_in_english_on_english_pages(private_post):
    for n in range(PER_ADDRESS):
        try_password(private_post, f"essai-{n}", prefix="/en")

    refused = try_password(private_post, "faux", prefix="/en")

    assert refused.status_code == 429
    assert "Too many wrong passwords" in refused.content.decode()


def test_successful_passwords_are_not_counted(private_post):
    for _ in range(PER_ADDRESS + 2):
        assert try_password(private_post, "bonne-reponse").status_code == 302


def test_a_collection_password_is_throttled_too(network):
    root = Collection.get_first_root_node()
    collection = root.add_child(name="Bureau")
    restriction = CollectionViewRestriction.objects.create(
        collection=collection, restriction_type="password", password="documents"
    )
    url = f"/documents/authenticate_with_password/{restriction.pk}/"

    def attempt(password, ip=ATTACKER):
        data = {"password": password, "return_url": "/"}
        return Client().post(url, data, HTTP_HOST=BRETAGNE, REMOTE_ADDR=ip).status_code

    assert [attempt(f"essai-{n}") for n in range(PER_ADDRESS)] == [200] * PER_ADDRESS
    assert attempt("documents") == 429
    assert attempt("documents", ip=VISITOR) == 302  # control


# --- staff password resets ----------------------------------------------------------------------


def ask_reset(email, ip=ATTACKER):
    return Client().post(
        "/admin/password_reset/", {"email": email}, HTTP_HOST=BRETAGNE, REMOTE_ADDR=ip
    )


@pytest.fixture
def editor(bretagne_site):
    return make_user("erwan", bretagne_site.profile.editors)


def test_reset_mails_to_one_address_are_limited(editor):
    answers = [ask_reset("erwan@example.org", ip=f"192.0.2.{n}") for n in range(1, 5)]

    assert [answer.status_code for answer in answers] == [302, 302, 429, 429]
    assert len(mail.outbox) == 2
    assert "Trop de demandes de réinitialisation" in answers[-1].content.decode()
    assert answers[-1]["Retry-After"]


def test_the_answer_is_the_same_whether_or_not_the_account_exists(editor):
    known = [ask_reset("erwan@example.org").status_code for _ in range(3)]
    unknown = [ask_reset("personne@example.org", ip=VISITOR).status_code for _ in range(3)]

    assert known == unknown == [302, 302, 429]
    assert len(mail.outbox) == 2  # only the real account was ever mailed


def test_one_client_asking_for_many_addresses_is_limited(editor):
    answers = [ask_reset(f"inconnu-{n}@example.org").status_code for n in range(4)]
    assert answers == [302] * 4

    assert ask_reset("erwan@example.org").status_code == 429
    assert mail.outbox == []
    # Control: the editor asking from their own connection gets the mail.
    assert ask_reset("erwan@example.org", ip=VISITOR).status_code == 302
    assert [message.to for message in mail.outbox] == [["erwan@example.org"]]
