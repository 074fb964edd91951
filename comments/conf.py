"""The comments app's settings, each with its default: the project overrides them in settings.

Read through the functions below (not at import time) so that tests can change them.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

# Base URL of Gravatar; the server (never the visitor's browser) fetches avatars from it, so tests
# can point it at a local stub.
GRAVATAR_URL = "https://www.gravatar.com/avatar/"
# At most this many comments per period from one IP address ("<count>/<number><s|m|h|d>").
RATE_LIMIT = "5/10m"
# A form sent back faster than this (in seconds) after it was displayed is taken for a robot.
MIN_SUBMIT_SECONDS = 3
# A form older than this (in seconds) is refused: its signed timestamp has expired.
MAX_FORM_AGE_SECONDS = 24 * 60 * 60
# Longest message accepted, in characters.
MAX_BODY_LENGTH = 5000
# Dotted path to a callable page -> policy (an object with enabled, moderation, close_after_days,
# privacy_url). None: comments open everywhere, all held for moderation, no privacy page.
POLICY = None


def get(name):
    """The project's value of COMMENTS_<name>, or the default above."""
    return getattr(settings, f"COMMENTS_{name}", globals()[name])


@dataclass(frozen=True)
class Policy:
    """What the project decides for one page's comments."""

    enabled: bool = True
    moderation: str = "all"  # "all", "first" or "none"
    close_after_days: int | None = None
    privacy_url: str = ""


def policy_for_page(page):
    """The project's policy for the page (any object with Policy's attributes), or Policy()."""
    path = get("POLICY")
    if not path:
        return Policy()
    return import_string(path)(page)


def comments_open(page, policy, now):
    """Whether new comments are accepted: enabled, and not closed by age of the page."""
    if not policy.enabled:
        return False
    days = policy.close_after_days
    published = getattr(page, "first_published_at", None)
    if days is not None and published is not None:
        return (now - published).days < days
    return True
