"""The keys comments are grouped by: which site a page's comments belong to, and a commenter's
avatar key on that site.

comments/ knows nothing of the project's sites: COMMENTS_SITE_KEY names a callable page -> str
(the project's answers "site:<Wagtail Site id>" for a site and its translations). Without it,
the Wagtail Site serving the page ("site:<id>"), else the page's top-level ancestor
("tree:<path>"). The key is stored on each comment (Comment.site_key) when it is made, and it is
what the rate limit, the known-commenter rule, the moderators' digests, the counts and the
avatars go by, so that they all agree on what "the same site" is.
"""

import hashlib
import hmac

from django.conf import settings

from wagtail.models import Page, Site

from . import conf

SITE_PREFIX = "site:"
TREE_PREFIX = "tree:"


def default_site_key(page):
    parts = page.get_url_parts()
    if parts and parts[0] is not None:
        return f"{SITE_PREFIX}{parts[0]}"
    return f"{TREE_PREFIX}{page.path[: 2 * Page.steplen]}"


def site_key(page):
    """Which site the page's comments belong to: COMMENTS_SITE_KEY's answer, or the default."""
    custom = conf.get_callable("SITE_KEY")
    if custom is not None:
        return str(custom(page))
    return default_site_key(page)


def key_for_site(site):
    """The key of a Wagtail Site's comments, as the default and the project's callable make it."""
    return f"{SITE_PREFIX}{site.pk}"


def site_id(key):
    """The Wagtail Site id a "site:<id>" key names, else None."""
    if key and key.startswith(SITE_PREFIX) and key[len(SITE_PREFIX) :].isdigit():
        return int(key[len(SITE_PREFIX) :])
    return None


def home_page(key):
    """The home page of the site a key names (its Site's root page, or the top-level page of a
    "tree:" key), or None: whose language and moderators a digest takes."""
    pk = site_id(key)
    if pk is not None:
        site = Site.objects.filter(pk=pk).select_related("root_page__locale").first()
        return site.root_page if site is not None else None
    if key and key.startswith(TREE_PREFIX):
        return Page.objects.filter(path=key[len(TREE_PREFIX) :]).select_related("locale").first()
    return None


def _secret():
    secret = conf.get("AVATAR_SECRET") or f"comments.avatar:{settings.SECRET_KEY}"
    return secret.encode()


def normalize_email(email):
    return (email or "").strip().lower()


def avatar_key(email, site):
    """A keyed HMAC-SHA256 of the site's key and the normalized e-mail: stable for one address
    on one site, different on every other site (two pages of two sites do not tell that one
    person wrote both comments), useless without the installation's secret (unlike Gravatar's
    plain MD5 or SHA-256, which anyone can recompute). Used for avatars only: every other purpose
    has its own key (comments.selfservice, comments.trust, comments.digest)."""
    message = f"{site}\n{normalize_email(email)}"
    return hmac.new(_secret(), message.encode(), hashlib.sha256).hexdigest()
