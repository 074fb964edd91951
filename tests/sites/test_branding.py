"""Each site wears its own branding, set in its settings without code, and none of another's."""

import io
import re

from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from django.urls import reverse

from wagtail.images.models import Image
from wagtail.users.models import UserProfile

import pytest
from PIL import Image as PILImage

from sites.models import SiteSettings

BRETAGNE_GREEN = "#0b6e4f"
OCCITANIE_RED = "#8a1c1c"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def make_image(title, size=(240, 120), colour="#336699"):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, "PNG")
    return Image.objects.create(title=title, file=ImageFile(buffer, name=f"{title}.png"))


def branding(site, **values):
    settings = SiteSettings.for_site(site)
    for name, value in values.items():
        setattr(settings, name, value)
    settings.save()
    return settings


def home_html(client, host, path="/"):
    response = client.get(path, HTTP_HOST=host)
    assert response.status_code == 200
    return response.content.decode()


def custom_properties(html):
    style = re.search(r"<style>(.*?)</style>", html, re.S)
    assert style, "no inline style with the site's colours"
    return dict(re.findall(r"(--color-[a-z-]+):\s*([^;]+);", style.group(1)))


@pytest.fixture
def two_brands(network):
    branding(network["bretagne"], primary_colour=BRETAGNE_GREEN, accent_colour="#f59e0b")
    branding(
        network["occitanie"],
        primary_colour=OCCITANIE_RED,
        text_on_primary_colour="#ffffff",
        accent_colour="#fcd34d",
    )
    return network


def test_each_site_emits_its_own_colours_and_none_of_the_other(client, two_brands):
    bretagne = home_html(client, "bretagne.localhost")
    occitanie = home_html(client, "occitanie.localhost")
    assert custom_properties(bretagne) == {
        "--color-primary": BRETAGNE_GREEN,
        "--color-on-primary": "#ffffff",
        "--color-accent": "#f59e0b",
        "--color-link": BRETAGNE_GREEN,
    }
    assert custom_properties(occitanie)["--color-primary"] == OCCITANIE_RED
    assert OCCITANIE_RED not in bretagne and "#fcd34d" not in bretagne
    assert BRETAGNE_GREEN not in occitanie
    assert "Maillage Occitanie" not in bretagne


def test_links_fall_back_to_the_text_colour_when_the_primary_is_too_light(client, network):
    branding(network["bretagne"], primary_colour="#fcd34d", text_on_primary_colour="#1f2933")
    properties = custom_properties(home_html(client, "bretagne.localhost"))
    assert properties["--color-primary"] == "#fcd34d"
    assert properties["--color-on-primary"] == "#1f2933"
    assert properties["--color-link"] == "#1f2933"


def test_defaults_when_nothing_is_set(client, network):
    html = home_html(client, "bretagne.localhost")
    assert custom_properties(html) == {
        "--color-primary": "#1d4f91",
        "--color-on-primary": "#ffffff",
        "--color-accent": "#c2410c",
        "--color-link": "#1d4f91",
    }
    assert '<span class="site-name__text">Maillage Bretagne</span>' in html
    assert "<img" not in html
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in html
    assert 'class="site-tagline"' not in html and "<address>" not in html
    assert "Follow us" not in html and "Suivez-nous" not in html


def test_name_tagline_and_title_come_from_the_settings(client, network):
    branding(network["bretagne"], name="Bretagne solidaire", tagline="Entreprendre autrement")
    html = home_html(client, "bretagne.localhost")
    assert '<span class="site-name__text">Bretagne solidaire</span>' in html
    assert '<p class="site-tagline">Entreprendre autrement</p>' in html
    # any page but the home page ends its title with the site's display name
    page = home_html(client, "bretagne.localhost", "/mentions-legales/")
    assert "<title>Mentions légales · Bretagne solidaire</title>" in page
    header = page[page.index("<header") : page.index("</header>")]
    assert "Bretagne solidaire" in header and "Maillage Bretagne" not in header


def test_logo_and_favicon_are_renditions(client, network):
    branding(network["bretagne"], logo=make_image("logo"), favicon=make_image("icon", (64, 64)))
    html = home_html(client, "bretagne.localhost")
    logo = re.search(r'<a href="/" rel="home">(<img [^>]+>)<span class="site-name__text">', html)
    assert logo, "the logo sits in the home link, before the name"
    assert re.search(r'src="/media/images/logo\.[^"]*height-96[^"]*\.png"', logo.group(1))
    # the name is the link's text right beside it, so the logo itself is decorative
    assert 'alt=""' in logo.group(1)
    assert 'width="' in logo.group(1) and 'height="' in logo.group(1)
    assert re.search(
        r'<link rel="icon" href="/media/images/icon\.[^"]*fill-32x32[^"]*\.png" type="image/png"',
        html,
    )
    assert "/static/img/favicon.svg" not in html
    # Occitanie has neither
    other = home_html(client, "occitanie.localhost")
    assert "/media/images/" not in other


def test_footer_shows_contact_address_social_links_and_policies(client, network):
    branding(
        network["bretagne"],
        contact_email="contact@bretagne.example.org",
        postal_address="2 rue de la Coopération\n35000 Rennes",
        mastodon_url="https://mastodon.example.org/@maillage_bzh",
        youtube_url="https://video.example.org/c/maillage",
    )
    html = home_html(client, "bretagne.localhost")
    footer = html[html.index("<footer") : html.index("</footer>")]
    assert '<a href="mailto:contact@bretagne.example.org">' in footer
    assert "2 rue de la Coopération<br>35000 Rennes" in footer
    assert "<address>" in footer
    assert (
        '<a href="https://mastodon.example.org/@maillage_bzh" rel="me noopener">Mastodon</a>'
        in footer
    )
    assert 'href="https://video.example.org/c/maillage" rel="me noopener"' in footer
    assert '<a href="/politique-de-confidentialite/">Politique de confidentialité</a>' in footer
    assert '<a href="/mentions-legales/">Mentions légales</a>' in footer
    # Occitanie's footer has its own name and nothing of Bretagne's
    other = home_html(client, "occitanie.localhost")
    assert "contact@bretagne.example.org" not in other and "mastodon" not in other
    assert "Maillage Occitanie</h2>" in other


def test_social_links_load_nothing_from_another_host(client, network):
    branding(
        network["bretagne"],
        logo=make_image("logo"),
        mastodon_url="https://mastodon.example.org/@maillage_bzh",
        bluesky_url="https://bsky.example.org/profile/maillage",
    )
    html = home_html(client, "bretagne.localhost")
    assert "<script" not in html and "<iframe" not in html
    for tag in re.findall(r"<(?:img|link|script|source|iframe)\b[^>]*>", html):
        for ref in re.findall(r'(?:src|href|srcset)="([^"]+)"', tag):
            assert ref.startswith("/"), tag
    # other hosts appear only as plain links
    for match in re.finditer(r"https?://[^\"'\s<]+", html):
        before = html[: match.start()]
        assert before.endswith('<a href="'), match.group(0)


def test_english_pages_link_to_the_english_policies(client, network, english):
    home = network["bretagne"].root_page.specific
    home.copy_for_translation(english).save_revision().publish()
    # both pages follow the translated home, in English (sites.factory.translate_default_pages)
    html = home_html(client, "bretagne.localhost", "/en/")
    assert '<a href="/en/privacy-policy/">Privacy policy</a>' in html
    assert '<a href="/en/legal-notice/">Legal notice</a>' in html
    assert "Mentions légales" not in html


# --- the contrast check, through the admin -------------------------------------------------------


@pytest.fixture
def admin_client(client, network):
    user = get_user_model().objects.create_superuser("root", "root@example.org", "pw")
    UserProfile.objects.create(user=user, preferred_language="en")  # these tests read English
    client.force_login(user)
    return client


def settings_form_data(settings, **changes):
    data = {
        "name": settings.name,
        "tagline": settings.tagline,
        "primary_colour": settings.primary_colour,
        "text_on_primary_colour": settings.text_on_primary_colour,
        "accent_colour": settings.accent_colour,
        "contact_email": settings.contact_email,
        "postal_address": settings.postal_address,
        "privacy_page": settings.privacy_page_id,
        "legal_notice_page": settings.legal_notice_page_id,
        "comments_enabled": "on" if settings.comments_enabled else "",
        "comment_moderation": settings.comment_moderation,
        "comments_close_after_days": "",
    }
    for field in ("mastodon_url", "bluesky_url", "linkedin_url", "facebook_url"):
        data[field] = getattr(settings, field)
    data.update({"instagram_url": "", "youtube_url": ""})
    data.update(changes)
    return data


def test_admin_refuses_an_unreadable_colour_pair_and_explains(admin_client, network):
    site = network["bretagne"]
    url = reverse("wagtailsettings:edit", args=["maillage_sites", "sitesettings", site.pk])
    assert admin_client.get(url).status_code == 200
    before = SiteSettings.for_site(site)
    response = admin_client.post(
        url,
        settings_form_data(before, primary_colour="#ffff00", text_on_primary_colour="#ffffff"),
    )
    assert response.status_code == 200  # the form again, with the error
    html = response.content.decode()
    assert "#ffffff" in html and "#ffff00" in html
    assert "1.1:1" in html and "4.5:1" in html
    saved = SiteSettings.objects.get(site=site)
    assert (saved.primary_colour, saved.text_on_primary_colour) == ("#1d4f91", "#ffffff")

    response = admin_client.post(
        url,
        settings_form_data(before, primary_colour=BRETAGNE_GREEN, text_on_primary_colour="#ffffff"),
    )
    assert response.status_code == 302
    saved.refresh_from_db()
    assert saved.primary_colour == BRETAGNE_GREEN
    # and the public site shows it at once, on Bretagne only
    html = home_html(admin_client, "bretagne.localhost")
    assert custom_properties(html)["--color-primary"] == BRETAGNE_GREEN
    assert BRETAGNE_GREEN not in home_html(admin_client, "occitanie.localhost")


def test_policy_pages_must_belong_to_the_site(admin_client, network):
    """A forged page id cannot make Occitanie's page Bretagne's privacy policy."""
    bretagne, occitanie = network["bretagne"], network["occitanie"]
    url = reverse("wagtailsettings:edit", args=["maillage_sites", "sitesettings", bretagne.pk])
    before = SiteSettings.for_site(bretagne)
    foreign = SiteSettings.for_site(occitanie).privacy_page_id
    response = admin_client.post(url, settings_form_data(before, privacy_page=foreign))
    assert response.status_code == 200
    assert "Choose a page of this site." in response.content.decode()
    assert SiteSettings.objects.get(site=bretagne).privacy_page_id == before.privacy_page_id
