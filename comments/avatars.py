"""Avatars that leak nothing: an opaque key per e-mail, a local SVG, a Gravatar fetched by the
server."""

import hashlib
import hmac

from django.conf import settings

from . import conf


def _secret():
    secret = conf.get("AVATAR_SECRET") or f"comments.avatar:{settings.SECRET_KEY}"
    return secret.encode()


def normalize_email(email):
    return (email or "").strip().lower()


def avatar_key(email):
    """A keyed HMAC-SHA256 of the normalized e-mail: stable per address, useless without the
    installation's secret (unlike Gravatar's plain MD5 or SHA-256, which anyone can recompute)."""
    return hmac.new(_secret(), normalize_email(email).encode(), hashlib.sha256).hexdigest()
