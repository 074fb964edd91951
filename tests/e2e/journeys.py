"""Steps shared by the journeys: what a person does in the admin, written once."""

import re

HEAD = "localhost"
PASSWORD = "x"  # the password make_user (tests/comments/test_moderation_admin.py) gives


def field(label):
    """A form field's accessible name in Wagtail's admin: its label, marked * when required."""
    return re.compile(rf"^{re.escape(label)}\*?$")


def log_in(page, site_url, username, host=HEAD):
    """Sign in through Wagtail's login form, as a person would; the admin opens on its home."""
    page.goto(site_url(host, "/admin/login/"))
    page.locator('input[name="username"]').fill(username)
    page.locator('input[name="password"]').fill(PASSWORD)
    page.locator('input[name="password"]').press("Enter")
    page.wait_for_url(site_url(host, "/admin/"))
