"""Reading configuration from environment variables, failing closed with a clear message.

Every setting Maillage reads from the environment goes through these helpers, so that a
malformed value stops start-up with an error naming the variable instead of a traceback
from deep inside Django.
"""

import os

from django.core.exceptions import ImproperlyConfigured

import dj_database_url

TRUE_VALUES = {"1", "true", "yes", "on"}
FALSE_VALUES = {"0", "false", "no", "off", ""}


def env_str(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE_VALUES:
        return True
    if value in FALSE_VALUES:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false, yes/no), got {raw!r}.")


def env_int(name, default):
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}.") from None


def env_list(name, default=()):
    """A comma-separated list; blanks are dropped."""
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def database_config(url, *, conn_max_age=0):
    """Turn a DATABASE_URL into Django's DATABASES["default"], or explain why it cannot."""
    if not url or not url.strip():
        raise ImproperlyConfigured(
            "DATABASE_URL is empty: set it to postgres://user@host:5432/name or "
            "sqlite:////absolute/path/db.sqlite3, or unset it to use the SQLite default."
        )
    try:
        config = dj_database_url.parse(
            url.strip(), conn_max_age=conn_max_age, conn_health_checks=conn_max_age > 0
        )
    except Exception as exc:  # dj-database-url raises several unrelated types
        raise ImproperlyConfigured(
            f"DATABASE_URL is malformed ({exc.__class__.__name__}: {exc}). "
            "Expected postgres://user@host:5432/name or sqlite:////absolute/path/db.sqlite3."
        ) from None
    engine = config.get("ENGINE", "")
    if engine not in ("django.db.backends.postgresql", "django.db.backends.sqlite3"):
        raise ImproperlyConfigured(
            f"DATABASE_URL uses an unsupported database ({engine or 'none'}): "
            "Maillage runs on PostgreSQL (postgres://…) or SQLite (sqlite:///…)."
        )
    if not config.get("NAME"):
        raise ImproperlyConfigured("DATABASE_URL names no database (the path after the host).")
    return config
