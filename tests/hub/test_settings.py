"""Configuration from the environment: good values work, bad ones stop start-up, naming the
variable."""

import os

from django.core.exceptions import ImproperlyConfigured

import pytest

from hub.settings.env import database_config, env_bool
from tests.support.manage import ROOT, run_manage


def test_postgres_url_is_parsed():
    config = database_config("postgres://maillage:secret@db.example.org:5433/network")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["NAME"] == "network"
    assert config["HOST"] == "db.example.org"
    assert config["PORT"] == 5433
    assert config["USER"] == "maillage"


def test_sqlite_url_is_parsed():
    config = database_config("sqlite:////var/lib/maillage/db.sqlite3")
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == "/var/lib/maillage/db.sqlite3"


def test_persistent_connections_enable_health_checks():
    config = database_config("postgres://u@h/db", conn_max_age=60)
    assert config["CONN_MAX_AGE"] == 60
    assert config["CONN_HEALTH_CHECKS"] is True


@pytest.mark.parametrize(
    "url",
    [
        "notaurl",
        "",
        "   ",
        "foo://x/y",
        "postgres://u@h:notaport/db",
        "postgres://u@h:5432/",
        "mysql://u@h/db",
    ],
)
def test_malformed_database_url_names_the_variable(url):
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        database_config(url)


def test_boolean_variables_reject_nonsense(monkeypatch):
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        env_bool("DEBUG")
    monkeypatch.setenv("DEBUG", "yes")
    assert env_bool("DEBUG") is True


def test_default_database_is_a_sqlite_file_in_the_project():
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.DATABASES['default']['NAME'])",
        DJANGO_SETTINGS_MODULE="hub.settings.dev",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(ROOT / "db.sqlite3")


def test_start_up_stops_on_malformed_database_url():
    result = run_manage("check", DJANGO_SETTINGS_MODULE="hub.settings.dev", DATABASE_URL="notaurl")
    assert result.returncode != 0
    assert "DATABASE_URL is malformed" in result.stderr


def test_production_refuses_to_start_without_secret_key():
    result = run_manage(
        "check",
        DJANGO_SETTINGS_MODULE="hub.settings.production",
        ALLOWED_HOSTS="example.org",
    )
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_configured_as_the_readme_says_passes_the_deploy_check():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="hub.settings.production",
        SECRET_KEY="kq3X9-vN2mP7_rT5wY8zA1bC4dE6fG0hJ-kL3nQ5sU7xW9yZ2aB4cD6eF8gH0jK",
        DATABASE_URL="postgres://maillage@127.0.0.1:5432/maillage",
        BASE_URL="https://maillage.example.org",
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_are_safe_by_default():
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
        "s.EMAIL_BACKEND)",
        DJANGO_SETTINGS_MODULE="hub.settings.production",
        SECRET_KEY="x" * 60,
        ALLOWED_HOSTS="example.org",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "False",
        "True",
        "True",
        "True",
        "django.core.mail.backends.console.EmailBackend",
    ]


def test_production_hardening_is_on_by_default():
    """The policies, the login throttle and the upload checks are in the production settings,
    not only in the tests that switch them on."""
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; m = s.MIDDLEWARE; "
        "print(s.AXES_ENABLED, s.AXES_HANDLER, s.AXES_LOCKOUT_PARAMETERS, s.AXES_FAILURE_LIMIT, "
        "int(s.AXES_COOLOFF_TIME.total_seconds()), s.AUTHENTICATION_BACKENDS[0], "
        "m.index('infra.security.ContentSecurityPolicyMiddleware') "
        "< m.index('infra.page_cache.PageCacheMiddleware'), "
        "m.index('infra.security.PermissionsPolicyMiddleware') "
        "< m.index('infra.page_cache.PageCacheMiddleware'), m[-1], "
        "s.CONTENT_SECURITY_POLICY['DIRECTIVES']['script-src'], "
        "s.WAGTAILDOCS_DOCUMENT_FORM_BASE, s.WAGTAILDOCS_MAX_UPLOAD_SIZE, "
        "s.WAGTAILIMAGES_MAX_UPLOAD_SIZE, 'svg' in s.WAGTAILIMAGES_EXTENSIONS, sep='|')",
        DJANGO_SETTINGS_MODULE="hub.settings.production",
        SECRET_KEY="x" * 60,
        ALLOWED_HOSTS="example.org",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().split("|") == [
        "True",
        "axes.handlers.cache.AxesCacheHandler",
        "[['username', 'ip_address']]",
        "5",
        "900",
        "axes.backends.AxesStandaloneBackend",
        "True",
        "True",
        "axes.middleware.AxesMiddleware",
        "[\"'self'\"]",
        "infra.uploads.DocumentForm",
        str(10 * 1024 * 1024),
        str(10 * 1024 * 1024),
        "False",
    ]


def test_hardening_limits_come_from_the_environment():
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; "
        "print(s.AXES_FAILURE_LIMIT, int(s.AXES_COOLOFF_TIME.total_seconds()), "
        "s.WAGTAILIMAGES_MAX_UPLOAD_SIZE, s.WAGTAILDOCS_MAX_UPLOAD_SIZE, "
        "s.CONTENT_SECURITY_POLICY['DIRECTIVES']['report-uri'], "
        "s.CONTENT_SECURITY_POLICY_ADMIN['DIRECTIVES']['report-uri'])",
        DJANGO_SETTINGS_MODULE="hub.settings.dev",
        ADMIN_LOGIN_FAILURE_LIMIT="8",
        ADMIN_LOGIN_COOLOFF_MINUTES="60",
        MAX_IMAGE_UPLOAD_MB="4",
        MAX_DOCUMENT_UPLOAD_MB="25",
        CSP_REPORT_URI="https://reports.example.org/csp",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "8",
        "3600",
        str(4 * 1024 * 1024),
        str(25 * 1024 * 1024),
        "https://reports.example.org/csp",
        "https://reports.example.org/csp",
    ]


@pytest.mark.parametrize("variable", ["ADMIN_LOGIN_FAILURE_LIMIT", "ADMIN_LOGIN_COOLOFF_MINUTES"])
def test_a_login_throttle_that_would_never_lift_or_always_lock_stops_start_up(variable):
    result = run_manage("check", DJANGO_SETTINGS_MODULE="hub.settings.dev", **{variable: "0"})
    assert result.returncode != 0
    assert variable in result.stderr


def test_smtp_is_used_when_email_host_is_set():
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT)",
        DJANGO_SETTINGS_MODULE="hub.settings.dev",
        EMAIL_HOST="smtp.example.org",
        EMAIL_PORT="2525",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.example.org",
        "2525",
    ]


def test_redis_url_switches_the_cache_to_redis():
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; print(s.CACHES['default']['BACKEND'])",
        DJANGO_SETTINGS_MODULE="hub.settings.dev",
        REDIS_URL="redis://127.0.0.1:6379/1",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "infra.cache.RedisCache"  # Django's, reusing its clients


def test_without_redis_the_cache_is_the_database_shared_by_every_worker():
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; print(s.CACHES['default']['BACKEND'])",
        DJANGO_SETTINGS_MODULE="hub.settings.dev",
        REDIS_URL="",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.core.cache.backends.db.DatabaseCache"


SECURITY_CACHE = (
    "from django.conf import settings as s; c = s.CACHES['security']; "
    "print(c['BACKEND'], c['LOCATION'], s.AXES_CACHE, s.COMMENTS_THROTTLE_CACHE)"
)


@pytest.mark.parametrize("redis_url", ["", "redis://127.0.0.1:6379/1"])
def test_counters_that_protect_have_a_database_table_of_their_own_by_default(redis_url):
    """With or without Redis for the pages: lockouts and rate limits never share their cache."""
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        SECURITY_CACHE,
        DJANGO_SETTINGS_MODULE="hub.settings.dev",
        REDIS_URL=redis_url,
        REDIS_SECURITY_URL="",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "infra.cache.CounterDatabaseCache",
        "maillage_security_cache",
        "security",
        "security",
    ]


def test_redis_security_url_puts_the_counters_in_a_redis_of_their_own():
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        SECURITY_CACHE,
        DJANGO_SETTINGS_MODULE="hub.settings.dev",
        REDIS_URL="redis://127.0.0.1:6379/1",
        REDIS_SECURITY_URL="redis://127.0.0.1:6380/0",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "infra.cache.RedisCache",
        "redis://127.0.0.1:6380/0",
        "security",
        "security",
    ]


def test_a_purging_proxy_and_cloudflare_are_configured_from_the_environment():
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; "
        "print(sorted((k, v['BACKEND'].rsplit('.', 1)[1]) "
        "for k, v in s.WAGTAILFRONTENDCACHE.items()))",
        DJANGO_SETTINGS_MODULE="hub.settings.dev",
        FRONTEND_CACHE_URL="http://127.0.0.1:6081/",
        CLOUDFLARE_API_TOKEN="token",
        CLOUDFLARE_ZONE_ID="zone",
    )
    assert result.returncode == 0, result.stderr
    assert (
        result.stdout.strip() == "[('cloudflare', 'CloudflareBackend'), ('proxy', 'HTTPBackend')]"
    )


def test_tasks_backend_database_queues_tasks_for_the_worker():
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; print(s.TASKS['default']['BACKEND'])",
        DJANGO_SETTINGS_MODULE="hub.settings.dev",
        TASKS_BACKEND="database",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django_tasks_db.DatabaseBackend"


def test_an_unknown_tasks_backend_stops_start_up_naming_the_variable():
    result = run_manage("check", DJANGO_SETTINGS_MODULE="hub.settings.dev", TASKS_BACKEND="celery")
    assert result.returncode != 0
    assert "TASKS_BACKEND='celery'" in result.stderr


def test_every_variable_is_documented():
    """Each variable the settings read appears in .env.example and in the README."""
    import re

    read = set()
    for path in (ROOT / "hub" / "settings").glob("*.py"):
        read |= set(re.findall(r'env_(?:str|bool|int|list)\("([A-Z_]+)"', path.read_text()))
    example = (ROOT / ".env.example").read_text()
    readme = (ROOT / "README.md").read_text()
    assert read, "no variables found: the pattern no longer matches the settings"
    for name in sorted(read):
        assert re.search(rf"^#?\s*{name}=", example, re.M), f"{name} missing from .env.example"
        assert f"`{name}`" in readme, f"{name} missing from README"


@pytest.mark.django_db
def test_ci_runs_on_postgresql():
    """CI sets MAILLAGE_REQUIRE_POSTGRES: the suite must then really be on PostgreSQL."""
    from django.db import connection

    if not os.environ.get("MAILLAGE_REQUIRE_POSTGRES"):
        pytest.skip("MAILLAGE_REQUIRE_POSTGRES is not set (CI sets it)")
    assert connection.vendor == "postgresql"
