"""A site's editors translate their own site's pages with wagtail-localize, through HTTP: the
translation starts as a draft (no French page labelled English at /en/, no hreflang to it), goes
live when they publish it, and another site's pages stay out of their reach in every
wagtail-localize view."""

import re
import xml.etree.ElementTree as ET
from urllib.parse import urlencode

from django.test import Client

from wagtail.models import Locale, Page
from wagtail_localize.models import StringSegment, Translation, TranslationSource

import pytest

from sites import roles
from sites.factory import SiteRequest, create_site
from sites.models import StandardPage
from tests.support.scoping_fixtures import *  # noqa: F403 (the people of each role)

BRETAGNE, OCCITANIE = "bretagne.localhost", "occitanie.localhost"
TITLE, INTRO = "Un tiers-lieu ouvre à Quimper", "Un lieu pour travailler ensemble."
EN_TITLE, EN_INTRO, EN_SLUG = (
    "A third place opens in Quimper",
    "A place to work together.",
    "third-place",
)
HOME_EN = "Maillage Brittany"
HREFLANG_EN = re.compile(r'<link rel="alternate" hreflang="en"')
SITEMAP = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def standard_page(site, title, slug):
    page = StandardPage(title=title, slug=slug, intro=INTRO)
    site.root_page.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def bretagne_page(bretagne_site):
    return standard_page(bretagne_site, TITLE, "tiers-lieu")


@pytest.fixture
def occitanie_page(occitanie_site):
    return standard_page(occitanie_site, "Une coopérative à Albi", "cooperative-albi")


@pytest.fixture
def editor_client(client, bretagne_editor):
    client.force_login(bretagne_editor)
    return client


def is_refused(response):
    """Refused: 403, 404, or Wagtail's admin answer to PermissionDenied (back to the dashboard,
    with an error message)."""
    if response.status_code == 302:
        return response["Location"] == "/admin/"
    return response.status_code in (403, 404)


def offered(locale):
    return f'name="locales" value="{locale.pk}"'


def submit(client, page, locale):
    return client.post(f"/admin/localize/submit/page/{page.pk}/", {"locales": [locale.pk]})


def translation_of(page, locale):
    return Translation.objects.get(source__object_id=page.translation_key, target_locale=locale)


def translate_strings(client, translation, values):
    """wagtail-localize's editor saves each string through its API (a PUT per segment)."""
    for segment in StringSegment.objects.filter(source=translation.source).select_related("string"):
        if segment.string.data in values:
            response = client.put(
                f"/admin/localize/translate/{translation.pk}/strings/{segment.pk}/edit/",
                urlencode({"value": values[segment.string.data]}),
                content_type="application/x-www-form-urlencoded",
            )
            assert response.status_code in (200, 201), response.content


def publish(client, page, django_capture_on_commit_callbacks):
    """The translation editor's "Publish in English" (wagtail-localize publishes on commit)."""
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/pages/{page.pk}/edit/", {"action": "publish"})
    assert response.status_code == 302


def sitemap_locations(client, host):
    root = ET.fromstring(client.get("/sitemap.xml", HTTP_HOST=host).content)  # noqa: S314
    locations = set()
    for url in root.findall("s:url", SITEMAP):
        locations.add(url.findtext("s:loc", namespaces=SITEMAP))
        locations |= {link.get("href") for link in url.findall("x:link", SITEMAP)}
    return locations


def visitor_view(client, bretagne_page):
    """What a visitor and a search engine see: the French page, /en/tiers-lieu/ and
    /en/third-place/, the sitemap."""
    client.logout()
    french = client.get(bretagne_page.url, HTTP_HOST=BRETAGNE)
    assert french.status_code == 200
    return {
        "hreflang": bool(HREFLANG_EN.search(french.content.decode())),
        "en_copy": client.get("/en/tiers-lieu/", HTTP_HOST=BRETAGNE).status_code,
        "en": client.get(f"/en/{EN_SLUG}/", HTTP_HOST=BRETAGNE),
        "sitemap_en": [loc for loc in sitemap_locations(client, BRETAGNE) if "/en/" in loc],
    }


def test_an_editor_translates_their_sites_page_and_it_is_live_only_once_published(
    client,
    editor_client,
    bretagne_editor,
    bretagne_site,
    bretagne_page,
    english,
    django_capture_on_commit_callbacks,
):
    form = editor_client.get(f"/admin/localize/submit/page/{bretagne_page.pk}/")
    assert form.status_code == 200
    assert offered(english) in form.content.decode()

    response = submit(editor_client, bretagne_page, english)
    assert response.status_code == 302
    translated = StandardPage.objects.get(
        translation_key=bretagne_page.translation_key, locale=english
    )
    assert response["Location"] == f"/admin/pages/{translated.pk}/edit/"
    home = bretagne_site.root_page
    english_home = home.get_translation(english)
    # Both drafts of the French, not live aliases: nothing in English until translated.
    assert (translated.live, translated.alias_of_id) == (False, None)
    assert (english_home.live, english_home.alias_of_id) == (False, None)
    assert Translation.objects.filter(source__object_id=home.translation_key).exists()

    before = visitor_view(client, bretagne_page)
    assert before["en_copy"] == 404 and before["en"].status_code == 404
    assert not before["hreflang"]
    assert before["sitemap_en"] == []

    editor_client.force_login(bretagne_editor)
    editor = editor_client.get(f"/admin/pages/{translated.pk}/edit/")
    assert editor.status_code == 200
    assert "wagtail_localize/admin/edit_translation.html" in [t.name for t in editor.templates]
    translation = translation_of(bretagne_page, english)
    translate_strings(
        editor_client,
        translation,
        {TITLE: EN_TITLE, INTRO: EN_INTRO, "tiers-lieu": EN_SLUG},
    )
    translate_strings(editor_client, translation_of(home, english), {home.title: HOME_EN})
    translated.refresh_from_db()
    assert not translated.live  # saving strings publishes nothing
    assert visitor_view(client, bretagne_page)["en"].status_code == 404

    editor_client.force_login(bretagne_editor)
    publish(editor_client, english_home, django_capture_on_commit_callbacks)
    publish(editor_client, translated, django_capture_on_commit_callbacks)
    translated.refresh_from_db()
    assert (translated.live, translated.title, translated.slug) == (True, EN_TITLE, EN_SLUG)

    after = visitor_view(client, bretagne_page)
    assert after["en"].status_code == 200
    html = after["en"].content.decode()
    assert re.search(r'<html[^>]* lang="en"', html)
    assert EN_TITLE in html
    assert after["hreflang"]
    assert f"http://{BRETAGNE}/en/{EN_SLUG}/" in after["sitemap_en"]


def test_the_submit_form_offers_only_the_public_sites_languages(
    editor_client, bretagne_page, english
):
    klingon = Locale.objects.create(language_code="tlh")
    html = editor_client.get(f"/admin/localize/submit/page/{bretagne_page.pk}/").content.decode()
    assert offered(english) in html
    assert offered(klingon) not in html
    assert submit(editor_client, bretagne_page, klingon).status_code == 200  # the form, again
    assert not Page.objects.filter(locale=klingon).exists()


def everything():
    return (
        Page.objects.count(),
        Translation.objects.count(),
        TranslationSource.objects.count(),
        list(Translation.objects.values_list("pk", "enabled")),
    )


def test_the_editor_is_refused_on_another_sites_page(editor_client, occitanie_page, english):
    before = everything()
    assert is_refused(editor_client.get(f"/admin/localize/submit/page/{occitanie_page.pk}/"))
    assert is_refused(submit(editor_client, occitanie_page, english))
    assert everything() == before
    assert not occitanie_page.get_translations().exists()


@pytest.fixture
def occitanie_translation(occitanie_page, english, occitanie_administrator):
    """Occitanie's page in English, started by its own team."""
    client = Client()
    client.force_login(occitanie_administrator)
    assert submit(client, occitanie_page, english).status_code == 302
    return translation_of(occitanie_page, english)


def localize_urls(translation, page, segment):
    """Every wagtail-localize address that names a page, a translation or a source, aimed at
    another site's: (method, url, data)."""
    t = f"/admin/localize/translate/{translation.pk}/"
    return [
        ("get", f"/admin/localize/submit/page/{page.pk}/", None),
        ("post", f"/admin/localize/submit/page/{page.pk}/", {"locales": ["1"]}),
        ("get", f"/admin/localize/update/{translation.source_id}/", None),
        (
            "post",
            f"/admin/localize/update/{translation.source_id}/",
            {"publish_translations": "on"},
        ),
        ("put", f"{t}strings/{segment.pk}/edit/", {"value": "Forged"}),
        ("put", f"{t}overrides/1/edit/", {"value": "Forged"}),
        ("get", f"{t}pofile/download/", None),
        ("post", f"{t}pofile/upload/", {}),
        ("post", f"{t}machine_translate/", {}),
        ("get", f"{t}preview/", None),
        ("get", f"{t}preview/default/", None),
        ("post", f"{t}disable/", {}),
        (
            "get",
            f"/admin/localize/page/{translation.get_target_instance().pk}/convert_to_alias/",
            None,
        ),
        (
            "post",
            f"/admin/localize/page/{translation.get_target_instance().pk}/convert_to_alias/",
            {},
        ),
        ("get", f"/admin/pages/{translation.get_target_instance().pk}/edit/", None),
        (
            "post",
            f"/admin/pages/{translation.get_target_instance().pk}/edit/",
            {"action": "publish"},
        ),
    ]


def send(client, method, url, data):
    if method == "put":
        return client.put(url, urlencode(data), content_type="application/x-www-form-urlencoded")
    return getattr(client, method)(url, data) if data is not None else getattr(client, method)(url)


def test_every_localize_view_refuses_another_sites_page_translation_or_source(
    editor_client, occitanie_page, occitanie_translation
):
    segment = StringSegment.objects.filter(source=occitanie_translation.source).first()
    before = everything()
    refused = {}
    for method, url, data in localize_urls(occitanie_translation, occitanie_page, segment):
        response = send(editor_client, method, url, data)
        if not is_refused(response):
            refused[f"{method} {url}"] = response.status_code
    assert refused == {}
    assert everything() == before
    target = occitanie_translation.get_target_instance()
    assert not target.live and target.alias_of_id is None


def test_forged_ids_are_refused_in_every_localize_view(editor_client, bretagne_page, english):
    """Ids of nothing: 404, never a server error."""
    assert submit(editor_client, bretagne_page, english).status_code == 302
    own = translation_of(bretagne_page, english)
    missing = Page.objects.order_by("-pk").first().pk + 1000
    forged = [
        ("get", f"/admin/localize/submit/page/{missing}/", None),
        ("get", f"/admin/localize/update/{missing}/", None),
        ("put", f"/admin/localize/translate/{missing}/strings/1/edit/", {"value": "x"}),
        ("put", f"/admin/localize/translate/{own.pk}/strings/{missing}/edit/", {"value": "x"}),
        ("get", f"/admin/localize/translate/{missing}/pofile/download/", None),
        ("get", f"/admin/localize/translate/{missing}/preview/", None),
        ("post", f"/admin/localize/translate/{missing}/disable/", {}),
        ("get", f"/admin/localize/page/{missing}/convert_to_alias/", None),
    ]
    answers = {f"{m} {url}": send(editor_client, m, url, data) for m, url, data in forged}
    assert all(is_refused(response) for response in answers.values()), answers


def test_a_mixed_translation_is_refused_for_the_page_of_another_site(
    editor_client, bretagne_page, occitanie_page, english
):
    """A forged string segment of Occitanie's page in Bretagne's own translation: 404."""
    assert submit(editor_client, bretagne_page, english).status_code == 302
    own = translation_of(bretagne_page, english)
    source, _created = TranslationSource.get_or_create_from_instance(occitanie_page)
    segment = StringSegment.objects.filter(source=source).first()
    before = everything()
    response = send(
        editor_client,
        "put",
        f"/admin/localize/translate/{own.pk}/strings/{segment.pk}/edit/",
        {"value": "Forged"},
    )
    assert response.status_code == 404
    assert everything() == before


def new_site():
    request = SiteRequest(
        name="Maillage Normandie",
        hostname="normandie.localhost",
        kind="regional",
        region="Normandie",
    )
    site = create_site(request)
    home = site.root_page
    return site, Page.objects.filter(translation_key=home.translation_key).exclude(pk=home.pk)


def test_a_new_site_gets_its_english_home_as_an_untranslated_draft(network, english):
    site, translations = new_site()
    home = site.root_page
    english_home = translations.get()
    assert english_home.locale == english
    assert (english_home.live, english_home.alias_of_id) == (False, None)
    assert english_home.title == home.title  # untranslated: the site's editors translate it
    assert translation_of(home, english).enabled
    editor = make_member(site, roles.EDITOR, "normandie-editor")  # noqa: F405
    assert english_home.permissions_for_user(editor).can_publish()


def test_a_new_site_of_a_french_only_network_gets_no_other_home(network):
    assert not Locale.objects.exclude(language_code="fr").exists()
    _site, translations = new_site()
    assert not translations.exists()
    assert not Translation.objects.exists()


def test_a_live_alias_parent_becomes_a_draft_translation(editor_client, bretagne_site, english):
    """A French home aliased into English (wagtail-localize's tree sync, or an older translation)
    served French at /en/: translating a page under it makes it a draft translation."""
    home = bretagne_site.root_page.specific
    alias = home.copy_for_translation(english, alias=True)
    assert alias.live
    page = standard_page(bretagne_site, TITLE, "tiers-lieu")
    assert submit(editor_client, page, english).status_code == 302
    alias.refresh_from_db()
    assert (alias.live, alias.alias_of_id) == (False, None)
    assert translation_of(home, english).enabled
    editor_client.logout()
    assert editor_client.get("/en/", HTTP_HOST=BRETAGNE).status_code == 404
