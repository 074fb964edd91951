"""The personal-data inventory: one list, read from the settings, that the README's "Privacy"
section and each new site's privacy policy are generated from, so none of them can drift."""

import re
from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command
from django.http import HttpResponse
from django.urls import include, path
from django.utils import translation

import pytest

from comments import editing, inventory
from comments.models import Comment, ConfirmedEmail, Subscription

README = Path(__file__).resolve().parents[2] / "README.md"
START, END = "<!-- privacy-inventory:start -->\n", "<!-- privacy-inventory:end -->"

# Fields that hold nothing about a person: the inventory need not list them.
NOT_PERSONAL = {
    "Comment": {
        "id",
        "page",
        "parent",
        "status",
        "created_at",
        "anonymized_at",
        "edited_at",
        "removed_at",
        "spam_reason",
    },
    "Subscription": {"id", "comment", "created_at"},
    "ConfirmedEmail": {"id"},
}


def privacy_inventory(*args):
    out = StringIO()
    call_command("privacy_inventory", *args, stdout=out)
    return out.getvalue()


def readme_table():
    text = README.read_text(encoding="utf-8")
    assert text.count(START) == 1 and text.count(END) == 1
    return text.split(START)[1].split(END)[0]


def test_the_readme_privacy_section_is_the_command_s_output():
    assert readme_table() == privacy_inventory("--format", "markdown")


def test_every_personal_field_of_the_models_is_in_the_inventory():
    """A field added to a model fails here until it is listed or declared not personal."""
    listed = " ".join(entry.field for entry in inventory.entries())
    for model in (Comment, Subscription, ConfirmedEmail):
        name = model.__name__
        for field in model._meta.concrete_fields:
            if field.name not in NOT_PERSONAL[name]:
                assert f"{name}.{field.name}" in listed or re.search(
                    rf"\b{name} \([^)]*\b{field.name}\b", listed
                ), f"{name}.{field.name}"
    assert f"cookie {editing.COOKIE_NAME}" in listed


def test_the_table_follows_the_settings(settings):
    settings.COMMENTS_IP_RETENTION_DAYS = 14
    settings.COMMENTS_ANONYMIZE_AFTER_MONTHS = 1
    settings.COMMENTS_SPAM_RETENTION_DAYS = 45
    settings.COMMENTS_UNCONFIRMED_SUBSCRIPTION_DAYS = 2
    settings.COMMENTS_EDIT_MINUTES = 5
    settings.COMMENTS_RATE_LIMIT = "5/2h"
    settings.COMMENTS_GRAVATAR_CACHE_SECONDS = 600

    table = privacy_inventory()

    assert "| 14 days after the comment was posted: long enough to trace a spam wave" in table
    assert "1 month after its post is unpublished" in table
    assert "Deleted 45 days after it was posted" in table
    assert "Unconfirmed: deleted after 2 days." in table
    assert "| 5 minutes |" in table
    assert "| 2 hours |" in table
    # a miss is never cached longer than a hit
    assert "The image: 10 minutes in our cache (the fact that you have none: 10 minutes" in table
    assert table != readme_table()


def test_entries_keep_the_settings_they_were_built_with(settings):
    settings.COMMENTS_IP_RETENTION_DAYS = 14
    entries = inventory.entries()
    settings.COMMENTS_IP_RETENTION_DAYS = 30

    ip = next(entry for entry in entries if entry.field.startswith("Comment.ip_address"))
    with translation.override("en"):
        assert str(ip.retention).startswith("14 days after")


def test_the_policy_names_the_site_and_the_periods():
    html = privacy_inventory("--format", "html", "--language", "en", "--site-name", "Maillage Test")

    assert "This site is published by Maillage Test" in html
    assert "When a post has been unpublished for 3 months" in html
    assert "30 days after the comment was posted" in html
    assert html.count("<li>") == len(inventory.entries())


def test_an_unknown_language_is_refused():
    with pytest.raises(CommandError, match="Unknown language 'de'"):
        privacy_inventory("--language", "de")


def manage(request):
    return HttpResponse("manage")


class WithManagePage:
    """A URLconf where the self-service page exists."""

    urlpatterns = [
        path("comments/", include(([path("manage/", manage, name="manage")], "comments"))),
    ]


class WithoutManagePage:
    urlpatterns = []


def test_the_policy_links_to_the_self_service_page_where_there_is_one(settings):
    settings.ROOT_URLCONF = WithManagePage

    html = inventory.privacy_policy_html("en", "Maillage Test")

    assert '<a href="/comments/manage/">Manage my comments</a>' in html


def test_the_policy_describes_the_self_service_page_in_words_otherwise(settings):
    settings.ROOT_URLCONF = WithoutManagePage

    html = inventory.privacy_policy_html("en", "Maillage Test")

    assert "On this site's page “Manage my comments”, give your e-mail address" in html
    assert "<a " not in html
