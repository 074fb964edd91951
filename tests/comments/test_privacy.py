"""No public page gives a commenter's e-mail away: not the address, not its MD5 (what Gravatar uses)
nor its SHA-256, which anyone can recompute from a guessed address; and no page makes the reader's
browser contact Gravatar or any other host.

Comments (approved with replies, with and without "show my Gravatar", pending, spam) sit on posts
of two sites and on an English translation; every public page of those sites is read.
"""

import hashlib
from urllib.parse import urlsplit

from wagtail_localize.models import Translation, TranslationSource

import pytest
from bs4 import BeautifulSoup

from comments.avatars import normalize_email
from comments.models import CommentStatus
from tests.support.blog import blog_of
from tests.support.comments import BRETAGNE, bretagne_post, make_comment, post_path, send

OCCITANIE = "occitanie.localhost"
HEAD = "localhost"
# The visitor sending the invalid form sees their own address again; nobody else's.
VISITOR = "visitor@example.com"
URL_ATTRIBUTES = ("src", "href", "action", "srcset", "poster", "data", "formaction")


@pytest.fixture(autouse=True)
def no_gravatar_from_tests(settings):
    """Reading an avatar never reaches the real Gravatar from the tests: nothing listens here."""
    settings.COMMENTS_GRAVATAR_URL = "http://127.0.0.1:1/avatar/"
    settings.COMMENTS_GRAVATAR_TIMEOUT = 0.5


def translate(page, locale, capture):
    """What an editor does in the admin: translate with wagtail-localize and publish."""
    source, _created = TranslationSource.get_or_create_from_instance(page)
    with capture(execute=True):
        Translation.objects.create(source=source, target_locale=locale).save_target(publish=True)
    return page.get_translation(locale).specific


@pytest.fixture
def commented(bretagne_site, occitanie_site, english, django_capture_on_commit_callbacks):
    """Posts of two sites (one translated into English), their comments and every address."""
    bretagne = bretagne_post(bretagne_site, "Habiter autrement")
    translate(blog_of(bretagne_site), english, django_capture_on_commit_callbacks)
    bretagne_en = translate(bretagne, english, django_capture_on_commit_callbacks)
    occitanie = bretagne_post(occitanie_site, "Jardins partagés")

    gwen = make_comment(
        bretagne,
        author_name="Gwen",
        email="Gwen.Kerjean@Example.org",
        url="https://gwen.example.org/",
        use_gravatar=True,
        body="Bravo pour ce projet.",
    )
    yann = make_comment(bretagne, parent=gwen, author_name="Yann", email=" Yann@Example.ORG ")
    make_comment(bretagne, parent=yann, author_name="Gwen", email="gwen.kerjean@example.org")
    make_comment(
        bretagne,
        status=CommentStatus.PENDING,
        email="Pending.Person@example.org",
        use_gravatar=True,
    )
    make_comment(bretagne, status=CommentStatus.SPAM, email="spammer@example.net")
    lea = make_comment(
        occitanie, author_name="Léa", email="Lea@Occitanie.example", use_gravatar=True
    )
    make_comment(occitanie, parent=lea, author_name="Paul", email="paul@example.com")
    make_comment(bretagne_en, author_name="Reader", email="Reader@Example.net", use_gravatar=True)
    return {
        "bretagne": bretagne,
        "bretagne_en": bretagne_en,
        "occitanie": occitanie,
        "reply_to": gwen,
        "emails": [
            "Gwen.Kerjean@Example.org",
            " Yann@Example.ORG ",
            "Pending.Person@example.org",
            "spammer@example.net",
            "Lea@Occitanie.example",
            "paul@example.com",
            "Reader@Example.net",
        ],
    }


def forbidden_strings(emails):
    """Each address as typed, lower-cased and normalized, with the MD5 and SHA-256 of each."""
    needles = set()
    for email in emails:
        for form in {email, email.lower(), email.strip(), normalize_email(email)}:
            needles.add(form.strip().lower())
            needles.add(hashlib.md5(form.encode(), usedforsecurity=False).hexdigest())
            needles.add(hashlib.sha256(form.encode()).hexdigest())
    return needles


def public_pages(client, commented, bretagne_site, occitanie_site):
    """(host, path, response) of every public page of the two sites."""
    bretagne, occitanie = commented["bretagne"], commented["occitanie"]
    requests = []
    for host, site, post in (
        (BRETAGNE, bretagne_site, bretagne),
        (OCCITANIE, occitanie_site, occitanie),
    ):
        blog = urlsplit(blog_of(site).full_url).path
        requests += [
            (host, "/"),
            (host, post_path(post)),
            (host, blog),
            (host, f"{blog}feed/rss/"),
            (host, f"{blog}feed/atom/"),
            (host, "/sitemap.xml"),
            (host, "/search/?q=Habiter"),
            (host, "/search/?q=Jardins"),
        ]
    requests += [
        (BRETAGNE, f"{post_path(bretagne)}?reply={commented['reply_to'].pk}"),
        (BRETAGNE, post_path(commented["bretagne_en"])),
        (BRETAGNE, urlsplit(commented["bretagne_en"].get_parent().full_url).path),
        (HEAD, "/"),
        (HEAD, "/search/?q=Habiter"),
    ]
    pages = []
    for host, path in requests:
        response = client.get(path, HTTP_HOST=host)
        assert response.status_code == 200, (host, path, response.status_code)
        pages.append((host, path, response))
    invalid = send(client, bretagne, email=VISITOR, body="")
    assert invalid.status_code == 400
    pages.append((BRETAGNE, "form errors", invalid))
    return pages


def is_html(response):
    return response["Content-Type"].startswith("text/html")


def test_no_email_nor_its_hashes_on_any_public_page(
    client, commented, bretagne_site, occitanie_site
):
    needles = forbidden_strings(commented["emails"])
    pages = public_pages(client, commented, bretagne_site, occitanie_site)
    # The comments are really there, so their absence of e-mails means something.
    post_html = next(r for h, p, r in pages if p == post_path(commented["bretagne"])).content
    assert b"Bravo pour ce projet." in post_html
    assert post_html.count(b'class="comment__avatar"') == 3
    for host, path, response in pages:
        text = response.content.decode().lower()
        for needle in needles:
            assert needle not in text, (host, path, needle)
        assert "gravatar.com" not in text, (host, path)


def test_the_avatars_themselves_carry_no_email_nor_hash(
    client, commented, bretagne_site, occitanie_site
):
    needles = forbidden_strings(commented["emails"])
    sources = set()
    for host, _path, response in public_pages(client, commented, bretagne_site, occitanie_site):
        if is_html(response):
            soup = BeautifulSoup(response.content, "html.parser")
            sources |= {(host, img["src"]) for img in soup.select("img.comment__avatar")}
    assert len(sources) >= 5
    for host, src in sources:
        assert src.startswith("/comments/avatar/"), src
        key = src.split("/")[3]
        assert key not in needles
        response = client.get(src, HTTP_HOST=host)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/svg+xml"  # no Gravatar reachable: local ones
        text = response.content.decode().lower()
        assert not any(needle in text for needle in needles), src


def urls_in(soup):
    for element in soup.find_all(True):
        for attribute in URL_ATTRIBUTES:
            value = element.get(attribute)
            if not value:
                continue
            candidates = (
                [part.split()[0] for part in value.split(",")] if attribute == "srcset" else [value]
            )
            for url in candidates:
                yield element, attribute, url.strip()


# A <link> with one of these only names a page; any other <link> (stylesheet, icon, preload...)
# makes the browser fetch it.
NAMING_RELS = {"canonical", "alternate"}


def is_navigation(element, attribute):
    """A link the reader may follow (nothing is fetched until they do), rather than a resource
    the browser loads with the page."""
    rels = set(element.get("rel") or [])
    if element.name == "a" and attribute == "href":
        return True
    return element.name == "link" and attribute == "href" and rels and rels <= NAMING_RELS


def test_no_public_page_makes_the_browser_contact_another_host(
    client, commented, bretagne_site, occitanie_site
):
    """Everything a page loads stays on the site. Links may lead elsewhere only to the network's
    own sites (a shared post's origin), to the website a commenter chose to show (rel="ugc"), and
    from the share links (plain links to each network's share page)."""
    network = {BRETAGNE, OCCITANIE, HEAD}
    for host, path, response in public_pages(client, commented, bretagne_site, occitanie_site):
        if not is_html(response):
            continue
        soup = BeautifulSoup(response.content, "html.parser")
        for element, attribute, url in urls_in(soup):
            parts = urlsplit(url)
            if not (parts.scheme or url.startswith("//")):
                continue  # relative: this site
            where = (host, path, element.name, attribute, url)
            if parts.scheme == "mailto" and not parts.path:
                continue  # "share by e-mail": an address-less draft in the reader's own mail
            assert parts.scheme in ("http", "https"), where
            if not is_navigation(element, attribute):
                assert parts.hostname == host, where
            elif parts.hostname not in network:
                chosen = "ugc" in (element.get("rel") or [])
                assert chosen or element.find_parent(class_="share-links"), where


# --- the notice beside the form: what the network's form promised, from the settings ------------


def form_of(client, path, host=BRETAGNE):
    response = client.get(path, HTTP_HOST=host)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    return soup, soup.find("form", id="comment-form")


def notice_text(form):
    return " ".join(form.find(id="comment-privacy").get_text(" ").split())


def english_post(site, english):
    from tests.support.blog import make_post, translate_blog

    return make_post(translate_blog(site, english, home_title="Maillage Brittany"), "Living")


def test_the_form_says_what_happens_to_the_data_in_french(client, bretagne_site):
    post = bretagne_post(bretagne_site)
    soup, form = form_of(client, post_path(post))

    text = notice_text(form)
    assert "Votre adresse e-mail reste privée et n'est jamais affichée" in text
    assert "votre Gravatar seulement si vous le demandez" in text
    assert "vous prévenir des réponses si vous le demandez" in text
    assert "adresse IP et votre adresse e-mail" in text and "après 30 jours" in text
    assert "dépublié depuis 3 mois" in text
    link = form.find(id="comment-privacy").find("a")
    assert link["href"] == "http://bretagne.localhost/politique-de-confidentialite/"
    assert "corriger ou effacer" in text
    # nothing about the legal record while it is off
    assert "loi" not in text


def test_every_personal_field_is_described_by_the_notice(client, bretagne_site):
    post = bretagne_post(bretagne_site)
    soup, form = form_of(client, post_path(post))

    ids = [element["id"] for element in soup.find_all(id=True)]
    assert len(ids) == len(set(ids))  # ids are unique on the page
    for name in ("name", "email", "url", "body"):
        field = form.find(attrs={"name": name})
        described = field["aria-describedby"].split()
        assert "comment-privacy" in described, name
        for target in described:
            assert soup.find(id=target) is not None, (name, target)
    assert "comment-email_helptext" in form.find(attrs={"name": "email"})["aria-describedby"]
    # a block inside the form, never inside a paragraph
    notice = form.find(id="comment-privacy")
    assert notice.name == "div" and notice.find_parent("p") is None


def test_the_form_says_it_in_english_on_english_pages(client, bretagne_site, english):
    post = english_post(bretagne_site, english)
    soup, form = form_of(client, post_path(post))

    assert soup.html["lang"] == "en"
    text = notice_text(form)
    assert "Your e-mail address stays private and is never shown" in text
    assert "your Gravatar only if you ask for it" in text
    assert "notify you of replies if you ask for it" in text
    assert "we record your IP address and your e-mail address" in text
    assert "the IP address is erased after 30 days" in text
    assert "unpublished for 3 months" in text
    assert "correct or erase your data" in text


def test_the_notice_follows_the_settings(client, bretagne_site, settings):
    settings.COMMENTS_IP_RETENTION_DAYS = 12
    settings.COMMENTS_ANONYMIZE_AFTER_MONTHS = 6
    settings.COMMENTS_IDENTIFICATION_RETENTION_DAYS = 365
    post = bretagne_post(bretagne_site)

    text = notice_text(form_of(client, post_path(post))[1])

    assert "après 12 jours" in text and "dépublié depuis 6 mois" in text
    assert "Comme la loi l'exige des hébergeurs" in text and "365 jours" in text
    assert "30 jours" not in text


def test_the_form_shown_again_with_its_errors_keeps_the_notice(client, bretagne_site):
    post = bretagne_post(bretagne_site)
    response = send(client, post, email="not an address")
    assert response.status_code == 400
    form = BeautifulSoup(response.content, "html.parser").find("form", id="comment-form")
    assert "n'est jamais affichée" in notice_text(form)
    assert "comment-privacy" in form.find(attrs={"name": "email"})["aria-describedby"]
