"""Each new site's privacy policy is generated from the comments' data inventory: it states the
periods this installation is configured with, in the site's language."""

import re

from bs4 import BeautifulSoup

from sites import lifecycle
from sites.factory import SiteRequest, create_site


def new_site(name, hostname, locale="fr"):
    site = create_site(
        SiteRequest(name=name, hostname=hostname, kind="thematic", theme="Habitat", locale=locale)
    )
    lifecycle.launch(site)  # visitors read it
    return site


def privacy_page(client, host, path="/politique-de-confidentialite/"):
    response = client.get(path, HTTP_HOST=host)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    return soup, " ".join(soup.main.get_text(" ").split())


def numbers(text):
    return set(re.findall(r"\b\d+\b", text))


def test_a_new_site_s_privacy_policy_states_the_configured_periods(client, network, settings):
    new_site("Maillage Habitat", "habitat.localhost")
    settings.COMMENTS_IP_RETENTION_DAYS = 19
    settings.COMMENTS_SPAM_RETENTION_DAYS = 43
    settings.COMMENTS_UNCONFIRMED_SUBSCRIPTION_DAYS = 11
    settings.COMMENTS_ANONYMIZE_AFTER_MONTHS = 7
    settings.COMMENTS_EDIT_MINUTES = 25
    new_site("Maillage Emploi", "emploi.localhost")

    soup, before = privacy_page(client, "habitat.localhost")
    assert soup.html["lang"] == "fr"
    assert {"30", "3", "7", "15"} <= numbers(before)
    assert not {"19", "43", "11", "25"} & numbers(before)

    soup, after = privacy_page(client, "emploi.localhost")
    assert soup.html["lang"] == "fr"
    assert "Maillage Emploi" in after
    assert {"19", "43", "11", "7", "25"} <= numbers(after)
    assert not {"30", "3"} & numbers(after)
    # the sections are the page's headings, under its title
    assert len(soup.main.find_all("h2")) >= 4
    # a site created earlier keeps the text it was given (its editors may have adapted it)
    assert "30" in numbers(privacy_page(client, "bretagne.localhost")[1])


def test_an_english_site_s_privacy_policy_is_in_english(client, network, settings):
    settings.COMMENTS_IP_RETENTION_DAYS = 19
    new_site("Maillage Housing", "housing.localhost", locale="en")

    soup, text = privacy_page(client, "housing.localhost", "/en/privacy-policy/")

    assert soup.html["lang"] == "en"
    assert "This site is published by Maillage Housing" in text
    assert "19 days after the comment was posted" in text
    assert "When a post has been unpublished for 3 months, its comments are anonymized" in text


def translate_home(site, english, title="Maillage Brittany"):
    home = site.root_page.specific
    translation = home.copy_for_translation(english)
    translation.title = title
    translation.save_revision().publish()
    return translation


def footer_links(client, host, path):
    response = client.get(path, HTTP_HOST=host)
    assert response.status_code == 200
    footer = BeautifulSoup(response.content, "html.parser").find(class_="site-footer__legal")
    return {a.get_text(strip=True): a["href"] for a in footer.find_all("a")}


def test_the_english_tree_links_to_english_policy_pages(client, network, english):
    translate_home(network["bretagne"], english)

    links = footer_links(client, "bretagne.localhost", "/en/")
    assert links["Privacy policy"].endswith("/en/privacy-policy/")
    assert links["Legal notice"].endswith("/en/legal-notice/")
    soup, text = privacy_page(client, "bretagne.localhost", "/en/privacy-policy/")
    assert soup.html["lang"] == "en"
    assert "This site is published by Maillage Bretagne" in text
    assert "30 days after the comment was posted" in text
    legal = client.get("/en/legal-notice/", HTTP_HOST="bretagne.localhost")
    assert legal.status_code == 200 and b"Published by Maillage Bretagne" in legal.content
    # the French tree keeps its French pages; another site is untouched
    french = footer_links(client, "bretagne.localhost", "/")
    assert french["Politique de confidentialité"].endswith("/politique-de-confidentialite/")
    assert client.get("/en/privacy-policy/", HTTP_HOST="occitanie.localhost").status_code == 404


def test_the_english_comment_form_links_to_the_english_policy(client, network, english):
    from tests.support.blog import make_post, translate_blog

    blog = translate_blog(network["bretagne"], english, home_title="Maillage Brittany")
    post = make_post(blog, "Living")
    response = client.get(post.url, HTTP_HOST="bretagne.localhost")
    notice = BeautifulSoup(response.content, "html.parser").find(id="comment-privacy")
    assert notice.find("a")["href"].endswith("/en/privacy-policy/")


def test_sites_translated_earlier_get_theirs_from_the_command(client, network, english):
    from io import StringIO

    from django.core.management import call_command

    from sites.models import SiteSettings

    translate_home(network["bretagne"], english)
    site_settings = SiteSettings.for_site(network["bretagne"])
    for field in ("privacy_page", "legal_notice_page"):
        getattr(site_settings, field).get_translation(english).delete()  # as before the change
    assert footer_links(client, "bretagne.localhost", "/en/")["Politique de confidentialité"]

    out = StringIO()
    call_command("translate_policy_pages", stdout=out)

    assert "2 pages created." in out.getvalue()
    links = footer_links(client, "bretagne.localhost", "/en/")
    assert links["Privacy policy"].endswith("/en/privacy-policy/")
    out = StringIO()
    call_command("translate_policy_pages", stdout=out)
    assert "0 pages created." in out.getvalue()
