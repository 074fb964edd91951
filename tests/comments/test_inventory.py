"""The personal-data inventory: one list, read from the settings, that the README's "Privacy"
section and each new site's privacy policy are generated from, so none of them can drift."""

import ast
import fnmatch
import re
from io import StringIO
from pathlib import Path

from django.core.cache import caches
from django.core.management import CommandError, call_command
from django.http import HttpResponse
from django.urls import include, path
from django.utils import translation

from wagtail.models import PageViewRestriction

import pytest

from comments import editing, inventory
from comments.models import Comment, CommentStatus, ConfirmedEmail, Subscription
from tests.support.comments import BRETAGNE, bretagne_post, send

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
        "site_key",  # which site: "site:<id>"
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


# --- counters and cache keys: each one that holds personal data has its entry ------------------

SCANNED = ("comments", "hub", "infra", "search", "sites", "blog")
ROOT = README.parent
THROTTLE_PREFIX = "comments:throttle:"
CACHE_METHODS = {
    "get",
    "set",
    "add",
    "incr",
    "decr",
    "delete",
    "touch",
    "has_key",
    "get_or_set",
    "get_many",
    "set_many",
    "delete_many",
}
# Cache keys the code writes that hold nothing about a person, with why.
NOT_PERSONAL_KEYS = {
    "maillage:site-hostnames": "the Site table's host names",
    "maillage:network-map": "the sites' home pages (sites.network)",
    "maillage:locale-codes": "the Locale table's language codes (infra/locales.py)",
    "hub:throttle:page-password:": "wrong passwords per view restriction, whoever tried them",
    "hub:throttle:collection-password:": "the same for a collection of documents",
}
# A literal that looks like the start of a cache key ("app:purpose:…").
KEY_HEAD = re.compile(r"^[a-z][a-z_]*:[a-z][a-z_-]*:")


def source_files():
    for app in SCANNED:
        for file in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in file.parts:
                yield file


def literal_head(node, constants):
    """The constant start of a string expression ("a:b:" of f"a:b:{x}"), or None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr) and node.values:
        first = node.values[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            return first.value
    if isinstance(node, ast.Name):
        return constants.get(node.id)
    return None


def throttle_scopes_and_cache_keys():
    """Scan the apps' code: ({scope: where}, {key head: where}, [calls whose scope is not a
    literal]). A scope is the first argument of every call of comments.throttle.hit(); a key head
    is the literal start of a key given to a cache method, or returned by the helper that makes
    it (avatars._cache_key)."""
    scopes, keys, unreadable = {}, {}, []
    for file in source_files():
        tree = ast.parse(file.read_text(encoding="utf-8"))
        where = str(file.relative_to(ROOT))
        constants = {
            target.id: node.value.value
            for node in tree.body
            if isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        key_makers = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.name.endswith("_key"):
                for inner in ast.walk(node):
                    if isinstance(inner, ast.Return) and inner.value is not None:
                        head = literal_head(inner.value, constants)
                        if head and ":" in head:
                            key_makers[node.name] = head
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            first = node.args[0]
            if name == "hit" and ("throttle" in ast.unparse(func) or where.endswith("throttle.py")):
                scope = literal_head(first, constants)
                if isinstance(first, ast.Constant | ast.Name) and scope:
                    scopes.setdefault(scope, f"{where}:{node.lineno}")
                else:
                    unreadable.append(f"{where}:{node.lineno}")
            elif name in CACHE_METHODS and "cache" in ast.unparse(
                func.value if isinstance(func, ast.Attribute) else func
            ):
                if isinstance(first, ast.ListComp | ast.SetComp | ast.GeneratorExp):
                    candidates = [first.elt]
                elif isinstance(first, ast.List | ast.Tuple | ast.Set):
                    candidates = first.elts
                else:
                    candidates = [first]
                for candidate in candidates:
                    head = literal_head(candidate, constants)
                    if head is None and isinstance(candidate, ast.Call):
                        maker = getattr(candidate.func, "id", getattr(candidate.func, "attr", ""))
                        head = key_makers.get(maker)
                    if head and not head.startswith(THROTTLE_PREFIX):
                        keys.setdefault(head, f"{where}:{node.lineno}")
    return scopes, keys, unreadable


def inventory_cache_patterns():
    """The cache keys the inventory names ("cache comments:throttle:comment:*")."""
    patterns = []
    for entry in inventory.entries():
        for part in entry.field.split(", "):
            if part.startswith("cache "):
                patterns.append(part.removeprefix("cache "))
    return patterns


def test_every_throttle_scope_in_the_code_has_its_inventory_entry():
    """A new counter (a comments.throttle.hit() with a new scope, anywhere in the project) fails
    here until the inventory says what it counts and how long it is kept."""
    scopes, _keys, unreadable = throttle_scopes_and_cache_keys()
    assert not unreadable, (
        f"give these throttle scopes as literals, so they can be checked: {unreadable}"
    )
    # the scan does find the counters the code has
    assert {"comment", "manage-link", "confirmation"} <= set(scopes)
    patterns = inventory_cache_patterns()
    for scope, where in scopes.items():
        assert f"{THROTTLE_PREFIX}{scope}:*" in patterns, (scope, where)


def test_every_cache_key_of_the_code_is_listed_or_declared_not_personal():
    _scopes, keys, _unreadable = throttle_scopes_and_cache_keys()
    assert "comments:gravatar:" in keys  # the scan sees the avatars' keys
    patterns = inventory_cache_patterns()
    for head, where in keys.items():
        listed = any(fnmatch.fnmatch(head + "x", pattern) for pattern in patterns)
        assert listed or head in NOT_PERSONAL_KEYS, (head, where)


def key_like_literals():
    """Every string in the apps' code that starts like a cache key, wherever it is used (a key
    built in a helper escapes the scan of cache calls above)."""
    found = {}
    for file in source_files():
        tree = ast.parse(file.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            head = (
                literal_head(node, {}) if isinstance(node, ast.Constant | ast.JoinedStr) else None
            )
            if head and KEY_HEAD.match(head):
                found.setdefault(KEY_HEAD.match(head)[0], f"{file.relative_to(ROOT)}:{node.lineno}")
    return found


def test_every_key_like_prefix_of_the_code_is_in_the_inventory_or_declared():
    """infra/throttle.py's keys (hub:throttle:<scope>:…) are made by a helper: this scan sees
    them."""
    literals = key_like_literals()
    assert "hub:throttle:" in literals
    patterns = inventory_cache_patterns()
    covered = [pattern.split("*")[0] for pattern in patterns] + list(NOT_PERSONAL_KEYS)
    for head, where in literals.items():
        assert any(prefix.startswith(head) or head.startswith(prefix) for prefix in covered), (
            head,
            where,
        )


def test_the_inventory_names_no_cache_key_the_code_does_not_write():
    """The old names (comments:rate:*, comments:confirmation:*) matched no key at all."""
    scopes, keys, _unreadable = throttle_scopes_and_cache_keys()
    written = {f"{THROTTLE_PREFIX}{scope}:" for scope in scopes} | set(keys)
    # the project's own counters (hub:throttle:<scope>:…, scopes made in a helper) are shown
    # written by test_the_project_counters_real_requests_write_match_the_inventory
    for pattern in inventory_cache_patterns():
        if pattern.startswith("hub:throttle:"):
            continue
        assert any(fnmatch.fnmatch(head + "x", pattern) for head in written), pattern


def cache_keys_written():
    """Every key in every cache now (the tests' caches are in memory), without Django's
    KEY_PREFIX and version."""
    found = set()
    for cache in caches.all():
        for made in getattr(cache, "_cache", {}):
            found.add(made.split(":", 2)[2])
    return found


def test_the_keys_real_requests_write_match_the_inventory(client, settings, bretagne_site):
    """Post a comment asking for notifications, ask for a "Manage my comments" link, read the
    avatar: every comments key the caches then hold is one the inventory names."""
    settings.COMMENTS_GRAVATAR_URL = "http://127.0.0.1:1/avatar/"  # nothing listens: a miss
    settings.COMMENTS_GRAVATAR_TIMEOUT = 0.5
    post = bretagne_post(bretagne_site)
    assert send(client, post, notify="on", use_gravatar="on").status_code == 303
    comment = Comment.objects.get()
    Comment.objects.filter(pk=comment.pk).update(status=CommentStatus.APPROVED)
    response = client.get("/comments/manage/", {"lang": "en"}, HTTP_HOST=BRETAGNE)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode())
    sent = client.post(
        "/comments/manage/",
        {
            "email": comment.email,
            "lang": "en",
            **({"csrfmiddlewaretoken": token[1]} if token else {}),
        },
        HTTP_HOST=BRETAGNE,
    )
    assert sent.status_code in (302, 303)
    assert (
        client.get(f"/comments/avatar/{comment.avatar_key}/", HTTP_HOST=BRETAGNE).status_code == 200
    )

    keys = {key for key in cache_keys_written() if key.startswith("comments:")}
    patterns = inventory_cache_patterns()
    scopes = {key.split(":")[2] for key in keys if key.startswith(THROTTLE_PREFIX)}
    assert {"comment", "manage-link", "confirmation"} <= scopes
    for key in keys:
        assert any(fnmatch.fnmatch(key, pattern) for pattern in patterns), key


def test_the_project_counters_real_requests_write_match_the_inventory(
    client, bretagne_site, django_user_model
):
    """A wrong page password and a staff password reset: every key of the project's own
    counters then in the caches is named by the inventory (COMMENTS_INVENTORY_EXTRA) or declared
    not personal."""
    post = bretagne_post(bretagne_site)
    restriction = PageViewRestriction.objects.create(
        page=post, restriction_type=PageViewRestriction.PASSWORD, password="bonne-reponse"
    )
    wrong = client.post(
        f"/_util/authenticate_with_password/{restriction.pk}/{post.pk}/",
        {"password": "faux", "return_url": "/"},
        HTTP_HOST=BRETAGNE,
    )
    assert wrong.status_code == 200
    django_user_model.objects.create_user("camille", "camille@example.org", "x")
    reset = client.post("/admin/password_reset/", {"email": "camille@example.org"})
    assert reset.status_code in (200, 302)

    keys = {key for key in cache_keys_written() if key.startswith("hub:")}
    scopes = {key.split(":")[2] for key in keys}
    assert {"page-password", "password-address", "reset-email", "reset-address"} <= scopes
    patterns = inventory_cache_patterns()
    named = {p.split(":")[2] for p in patterns if p.startswith("hub:throttle:")}
    assert named <= scopes, named - scopes  # no entry for a counter that does not exist
    for key in keys:
        listed = any(fnmatch.fnmatch(key, pattern) for pattern in patterns)
        assert listed or any(key.startswith(prefix) for prefix in NOT_PERSONAL_KEYS), key
    policy = privacy_inventory("--format", "markdown")
    assert "hub:throttle:password-address:*" in policy and "hub:throttle:reset-email:*" in policy
