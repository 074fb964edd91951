"""Journey 4: a network administrator opens a new regional site from the admin, brands it, launches
it from its checklist (a draft until then), and finds it on the network dashboard."""

import io

from wagtail.models import Site

import pytest
from PIL import Image
from playwright.sync_api import expect

from sites import roles
from sites.models import SiteSettings
from tests.support.comments import make_user
from tests.support.journeys import HEAD, field, log_in

NORMANDIE = "normandie.localhost"
PRIMARY, ON_PRIMARY, ACCENT = "#7a1f3d", "#ffffff", "#0f766e"


@pytest.fixture
def network_admin(network):
    return make_user("nadia", roles.ensure_network_administrators())


@pytest.fixture
def logo_file(tmp_path):
    """A small PNG, as someone would have on their computer."""
    path = tmp_path / "logo-normandie.png"
    buffer = io.BytesIO()
    Image.new("RGB", (240, 96), PRIMARY).save(buffer, "PNG")
    path.write_bytes(buffer.getvalue())
    return path


def css_variable(page, name):
    return page.evaluate(
        "name => getComputedStyle(document.documentElement).getPropertyValue(name).trim()", name
    )


def test_a_network_administrator_creates_and_brands_a_regional_site(
    page, new_page, site_url, network_admin, logo_file
):
    log_in(page, site_url, network_admin.username)
    page.goto(site_url(HEAD, "/admin/network/sites/"))
    page.get_by_role("link", name="Add a site").first.click()

    page.get_by_role("textbox", name=field("Name")).fill("Maillage Normandie")
    page.get_by_role("textbox", name=field("Host name")).fill(NORMANDIE)
    page.get_by_role("combobox", name=field("Kind")).select_option(label="Regional site")
    page.get_by_role("textbox", name=field("Region")).fill("Normandie")
    page.get_by_role("button", name="Create the site").click()

    page.wait_for_url("**/admin/network/sites/*/checklist/")
    site = Site.objects.get(hostname=NORMANDIE)
    assert site.site_name == "Maillage Normandie"
    assert page.url.endswith(f"/admin/network/sites/{site.pk}/checklist/")

    page.get_by_role("link", name="Settings", exact=True).click()
    page.wait_for_url(f"**/admin/settings/maillage_sites/sitesettings/{site.pk}/")
    page.locator("#id_primary_colour").fill(PRIMARY)
    page.locator("#id_text_on_primary_colour").fill(ON_PRIMARY)
    page.locator("#id_accent_colour").fill(ACCENT)

    page.get_by_role("button", name="Choose an image").first.click()
    modal = page.get_by_role("dialog")
    modal.get_by_role("tab", name="Upload").click()
    modal.locator('input[type="file"]').set_input_files(logo_file)
    modal.get_by_role("textbox", name=field("Title")).fill("Logo Maillage Normandie")
    modal.get_by_role("button", name="Upload").click()
    expect(modal).to_be_hidden()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".messages .success")).to_be_visible()
    branding = SiteSettings.for_site(site)
    assert (branding.primary_colour, branding.logo.title) == (PRIMARY, "Logo Maillage Normandie")

    home = new_page()  # a visitor
    assert home.goto(site_url(NORMANDIE, "/")).status == 404  # a draft until it is launched
    page.goto(site_url(HEAD, f"/admin/network/sites/{site.pk}/checklist/"))
    page.get_by_role("button", name="Launch the site").click()
    page.wait_for_url(f"**/admin/network/sites/{site.pk}/checklist/")
    expect(page.locator(".messages .success")).to_be_visible()
    home.goto(site_url(NORMANDIE, "/"))
    assert "Maillage Normandie" in home.locator(".site-name").inner_text()
    assert css_variable(home, "--color-primary") == PRIMARY
    assert css_variable(home, "--color-on-primary") == ON_PRIMARY
    assert css_variable(home, "--color-accent") == ACCENT
    logo = home.locator("img.site-logo")
    expect(logo).to_be_visible()
    assert logo.evaluate("img => img.naturalWidth > 0")  # the rendition is served

    page.goto(site_url(HEAD, "/admin/network/sites/"))
    row = page.get_by_role("row").filter(has_text="Maillage Normandie")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Live")
    checklist = row.locator(f'a[href$="/admin/network/sites/{site.pk}/checklist/"]')
    expect(checklist.first).to_be_visible()
    checklist.first.click()
    page.wait_for_url(f"**/admin/network/sites/{site.pk}/checklist/")
