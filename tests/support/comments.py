"""Shared by the comments tests: a Bretagne post, a valid form's data, comments built directly."""

import time
from urllib.parse import urlsplit

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from wagtail.users.models import UserProfile

from comments.forms import signed_timestamp
from comments.models import Comment, CommentStatus, ConfirmedEmail
from sites.models import SiteSettings
from tests.support.blog import blog_of, make_post

BRETAGNE = "bretagne.localhost"


def post_path(page):
    return urlsplit(page.full_url).path


def comment_url(page):
    return reverse("comments:post", args=[page.pk])


def form_data(**overrides):
    """A valid submission, its form shown a minute ago."""
    data = {
        "name": "Maël Le Bihan",
        "email": "mael@example.org",
        "url": "https://mael.example.org/",
        "body": "Très bel article.\nMerci !",
        "timestamp": signed_timestamp(time.time() - 60),
        "website_confirm": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def send(client, page, headers=None, **overrides):
    """POST the form for `page` with fields changed by `overrides`; `headers`: extra META."""
    meta = {"HTTP_HOST": BRETAGNE, **(headers or {})}
    return client.post(comment_url(page), form_data(**overrides), **meta)


def set_policy(site, **fields):
    site_settings = SiteSettings.for_site(site)
    for name, value in fields.items():
        setattr(site_settings, name, value)
    site_settings.save()


def make_comment(page, status=CommentStatus.APPROVED, parent=None, **fields):
    values = {
        "author_name": "Anne",
        "email": "anne@example.org",
        "body": "Un commentaire.",
        "status": status,
    }
    values.update(fields)
    return Comment.objects.create(page=page, parent=parent, **values)


def bretagne_post(site, title="Habiter autrement"):
    return make_post(blog_of(site), title)


def make_user(username, *groups, **extra):
    """A user reading the admin in English: the tests read Wagtail's English strings."""
    user = get_user_model().objects.create_user(
        username=username, email=f"{username}@example.org", password="x", **extra
    )
    user.groups.add(*groups)
    UserProfile.objects.create(user=user, preferred_language="en")
    return user


def logged_in(client, user):
    client.force_login(user)
    return client


# A commenter's address as typed (capitals and all), whose Gravatar tests/comments/test_avatars.py
# serves.
EMAIL = "Gwen.Kerjean@Example.org"


def consented(email=EMAIL):
    """The owner of the address switched the Gravatar on (from a mailed link: test_trust.py)."""
    now = timezone.now()
    ConfirmedEmail.objects.update_or_create(
        email=email.strip().lower(), defaults={"confirmed_at": now, "gravatar_since": now}
    )
