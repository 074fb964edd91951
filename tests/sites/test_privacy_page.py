"""Each new site's privacy policy is generated from the comments' data inventory: it states the
periods this installation is configured with, in the site's language."""

import re

from bs4 import BeautifulSoup

from sites.factory import SiteRequest, create_site


def new_site(name, hostname, locale="fr"):
    return create_site(
        SiteRequest(name=name, hostname=hostname, kind="thematic", theme="Habitat", locale=locale)
    )


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
