"""Tests: the dev loosening plus fast hashing, in-memory mail and a stable language."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-insecure-key-never-use-in-production")
os.environ.setdefault("DEBUG", "0")

from .dev import *  # noqa: E402, F403

MAILLAGE_ALLOWED_HOSTS = [*MAILLAGE_ALLOWED_HOSTS, "testserver"]  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # Apart from the pages, as in production (tests/infra/test_security_cache.py checks it).
    "security": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "security",
    },
}
WAGTAILADMIN_BASE_URL = "http://localhost"
# Off unless a test turns it on (tests/infra/test_page_cache.py and the query budgets do, with and
# without it); MAILLAGE_PAGE_CACHE=1 runs the whole suite with it.
MAILLAGE_PAGE_CACHE = env_bool("MAILLAGE_PAGE_CACHE", False)  # noqa: F405
MAILLAGE_FRAGMENT_CACHE = env_bool("MAILLAGE_FRAGMENT_CACHE", False)  # noqa: F405
# django-axes needs `request` in authenticate(), which Client.login() does not pass: the lockout is
# off but for tests/security/test_login_throttle.py, which turns it on. Its cache check wants a
# cache shared by processes, which the tests' one process does not need.
AXES_ENABLED = False
SILENCED_SYSTEM_CHECKS = ["axes.W001"]
