"""Base settings: production-safe. dev.py and test.py only loosen them.

Everything that differs between deployments comes from environment variables, each listed
with its default in .env.example and the README.
"""

from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from csp.constants import NONE, SELF, UNSAFE_INLINE

from .env import database_config, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
HUB_DIR = BASE_DIR / "hub"

# --- Core -------------------------------------------------------------------------------------

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set: generate one with "
        "`python -c 'import secrets; print(secrets.token_urlsafe(50))'` and export SECRET_KEY."
    )

DEBUG = env_bool("DEBUG", False)
# Host names come from the Site table plus ALLOWED_HOSTS; infra.hosts.SiteHostsMiddleware, first in
# MIDDLEWARE, answers 400 to any other, so Django's own check is opened up.
MAILLAGE_ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
ALLOWED_HOSTS = ["*"]

INSTALLED_APPS = [
    "hub",
    "sites.apps.SitesConfig",
    "blog",
    "comments",
    "search",
    "infra",
    "django_tasks",
    "django_tasks_db",
    "wagtail_localize",
    "wagtail_localize.locales",  # replaces wagtail.locales
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.frontend_cache",
    "wagtail.embeds",
    "wagtail.sites",
    "sites.apps.UsersConfig",  # wagtail.users with superusers' accounts kept to superusers
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "csp",
    "axes",
]

MIDDLEWARE = [
    # Behind a reverse proxy: the visitor's address from X-Forwarded-For, before anything reads it.
    "infra.proxies.TrustedProxyMiddleware",
    "infra.hosts.SiteHostsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Outside the page cache: a cached page gets the headers of the moment (infra/security.py).
    "infra.security.ContentSecurityPolicyMiddleware",
    "infra.security.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A draft site to its team only, an archived one 410 (sites.lifecycle); before the page cache.
    "sites.middleware.SiteLifeMiddleware",
    # Fills the comment form's CSRF token and timestamp, cached page or not; then the page cache.
    "comments.middleware.FormStateMiddleware",
    "infra.page_cache.PageCacheMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "hub.urls"
WSGI_APPLICATION = "hub.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "hub.context_processors.current_site",
            ],
        },
    },
]

# --- Database and cache -----------------------------------------------------------------------

DATABASES = {
    "default": database_config(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("CONN_MAX_AGE", 0),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "infra.cache.RedisCache",  # Django's, reusing its clients
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "maillage",
        }
    }
else:
    # Shared by every worker process (rate limits must hold across them); the table is created by
    # the comments app's migrations.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "maillage_cache",
            # Cached pages live here too: Django's default (300 entries) would cull them, and the
            # page cache's tag versions with them, all the time.
            "OPTIONS": {"MAX_ENTRIES": 50_000},
        }
    }
# Counters that protect (sign-in lockouts, the comments' and e-mails' rate limits, page passwords,
# password resets) never share a cache with pages: page traffic would push them out, and 10,000
# page views would lift a lockout. Their own table, whose cull deletes only expired counters
# (infra.cache.CounterDatabaseCache), also made by `migrate`; or a Redis that never evicts
# (REDIS_SECURITY_URL, `maxmemory-policy noeviction`: see the README's Production deployment).
REDIS_SECURITY_URL = env_str("REDIS_SECURITY_URL", "")
if REDIS_SECURITY_URL:
    CACHES["security"] = {
        "BACKEND": "infra.cache.RedisCache",
        "LOCATION": REDIS_SECURITY_URL,
        "KEY_PREFIX": "maillage-security",
    }
else:
    CACHES["security"] = {
        "BACKEND": "infra.cache.CounterDatabaseCache",
        "LOCATION": "maillage_security_cache",
        # Above this many rows, each write first deletes the expired ones (never a live one).
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }

# Whole pages for anonymous visitors (infra/page_cache.py), in the cache above, invalidated when
# what they show changes; the lifetime only bounds what time alone changes (comments closing).
MAILLAGE_PAGE_CACHE = env_bool("MAILLAGE_PAGE_CACHE", True)
MAILLAGE_PAGE_CACHE_SECONDS = env_int("MAILLAGE_PAGE_CACHE_SECONDS", 600)
# Costly parts of pages (a post's comments, a site's menu and footer) kept the same way for
# anonymous visitors, so that a page the page cache misses still renders fast (infra.page_cache).
MAILLAGE_FRAGMENT_CACHE = env_bool("MAILLAGE_FRAGMENT_CACHE", True)
# Addresses never cached, not even looked up (none of their views declares tags).
MAILLAGE_PAGE_CACHE_SKIP_PATHS = ["/admin/", "/comments/", "/documents/", "/static/", "/healthz"]
# A visitor with one of these cookies sees a page of their own: never served from or stored in it.
MAILLAGE_PAGE_CACHE_SKIP_COOKIES = [
    "sessionid",  # logged in, previews, page passwords (SESSION_COOKIE_NAME)
    "messages",  # a notice waiting to be shown
    "comments_edit",  # the comment edit window (comments.editing.COOKIE_NAME)
]

# A reverse proxy or CDN in front (optional): Wagtail's frontend cache purges a page's URLs from
# it when the page is published or unpublished. FRONTEND_CACHE_URL names a proxy that accepts
# PURGE requests (Varnish, nginx with a purge module); Cloudflare with a token and zone id.
WAGTAILFRONTENDCACHE = {}
if env_str("FRONTEND_CACHE_URL"):
    WAGTAILFRONTENDCACHE["proxy"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": env_str("FRONTEND_CACHE_URL"),
    }
if env_str("CLOUDFLARE_API_TOKEN"):
    WAGTAILFRONTENDCACHE["cloudflare"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "BEARER_TOKEN": env_str("CLOUDFLARE_API_TOKEN"),
        "ZONEID": env_str("CLOUDFLARE_ZONE_ID", ""),
    }

# Background work (notification and moderation e-mails): "immediate" runs a task inside the
# request (demo, tests); "database" stores it for `manage.py db_worker` (production).
TASKS_BACKEND = env_str("TASKS_BACKEND", "immediate")
_TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND={TASKS_BACKEND!r} is not one of {', '.join(_TASK_BACKENDS)}."
    )
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASKS_BACKEND]}}

# The reverse proxies in front (addresses or networks): their X-Forwarded-For names the visitor,
# whose address the rate limits, the admin sign-in throttle and comments use (infra/proxies.py).
# Empty: REMOTE_ADDR as the connection gives it (no proxy, or one that sets it itself).
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])

# --- Authentication ---------------------------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "wagtailadmin_login"

# Sign-in attempts (Wagtail's admin login) are counted per account and address by django-axes, in
# the security cache above: no IP address is written to a table. After ADMIN_LOGIN_FAILURE_LIMIT
# failures that account is refused from that address, even with the right password, until
# ADMIN_LOGIN_COOLOFF_MINUTES have passed since the last failure; other accounts and addresses are
# not affected. The address is REMOTE_ADDR, as for comments (the proxy in front must set it).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
AXES_CACHE = "security"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = env_int("ADMIN_LOGIN_FAILURE_LIMIT", 5)
_cool_off_minutes = env_int("ADMIN_LOGIN_COOLOFF_MINUTES", 15)
AXES_COOLOFF_TIME = timedelta(minutes=_cool_off_minutes)
if AXES_FAILURE_LIMIT < 1 or _cool_off_minutes < 1:
    raise ImproperlyConfigured(
        "ADMIN_LOGIN_FAILURE_LIMIT and ADMIN_LOGIN_COOLOFF_MINUTES must be at least 1."
    )
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "comments.throttle.client_ip"
AXES_LOCKOUT_CALLABLE = "infra.security.login_lockout"
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ADMIN = False  # Django's admin is not installed
AXES_VERBOSE = False  # no banner at start-up; failures are logged with account and address masked

# --- Languages --------------------------------------------------------------------------------

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# Our catalogues first, then our corrections of other packages' French wording (not regenerated
# by makemessages, which writes to the first path only).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_overrides"]
TIME_ZONE = env_str("TIME_ZONE", "Europe/Paris")
USE_I18N = True
USE_TZ = True

# --- Static and media files -------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# --- E-mail -----------------------------------------------------------------------------------
# Console by default (nothing leaves the machine); SMTP as soon as EMAIL_HOST is set.

EMAIL_HOST = env_str("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Maillage <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security ---------------------------------------------------------------------------------

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"  # Wagtail marks its own preview views SAMEORIGIN
# SecurityMiddleware also sends X-Content-Type-Options: nosniff (SECURE_CONTENT_TYPE_NOSNIFF) and
# Cross-Origin-Opener-Policy: same-origin, Django's defaults.

# Content-Security-Policy (django-csp, through infra.security): everything from the page's own host.
# Public pages run no inline script and need no nonce; the site's colours, their one inline style,
# are allowed by hash. Images may be data: URLs; avatars are served from this host.
# CSP_REPORT_URI (optional) receives the browsers' reports of what the policy blocked.
_CSP_REPORT_URI = env_str("CSP_REPORT_URI", "") or None
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "report-uri": _CSP_REPORT_URI,
    }
}
# Wagtail's admin (MAILLAGE_ADMIN_PATH) writes inline scripts and styles (inline panels, date
# pickers, wagtail-localize's editor), shows image previews from blob: URLs and frames its own
# previews; still nothing from another host.
MAILLAGE_ADMIN_PATH = "/admin/"
CONTENT_SECURITY_POLICY_ADMIN = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, UNSAFE_INLINE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
        "report-uri": _CSP_REPORT_URI,
    }
}
# Browser features no page uses, refused to the pages and anything they embed (infra.security).
MAILLAGE_PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",  # ad targeting by the browser (Topics), and its predecessor (FLoC):
        "interest-cohort",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

# --- Wagtail ----------------------------------------------------------------------------------

WAGTAIL_SITE_NAME = "Maillage"
BASE_URL = env_str("BASE_URL", "http://localhost:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = BASE_URL
# Wagtail's account settings would save any e-mail address typed in; sites/accounts.py changes it
# only once confirmed from the new mailbox (an address must never identify someone unproved).
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False
# Full-text search in the database (search/site_search.py). On PostgreSQL, words are stemmed
# with French rules, for pages and queries alike: the network writes in French first. The
# configuration is one per backend and every database backend writes to the same index table,
# so a second backend with "english" would overwrite the French vectors instead of adding English
# ones: English pages are stemmed as French too (exact words still match). SQLite's FTS5 ignores
# SEARCH_CONFIG (no stemming; case and accents folded). After changing it, run
# `manage.py update_index`.
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database", "SEARCH_CONFIG": "french"}
}
# Uploads. Images: Wagtail checks the extension, that the content is an image of that format
# (with Willow), the size in bytes and in pixels. No SVG: it can carry scripts. Documents: Wagtail
# checks the extension and the size; infra.uploads.DocumentForm checks that the content matches the
# extension (a .pdf is a PDF, a .docx an Office file…). The web server in front must accept
# request bodies this large (nginx: client_max_body_size).
_MB = 1024 * 1024
WAGTAILIMAGES_EXTENSIONS = ["avif", "gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = env_int("MAX_IMAGE_UPLOAD_MB", 10) * _MB
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 50_000_000  # decoded, an image this large takes ~200 MB
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "ods", "odp", "pdf", "pptx", "rtf", "txt", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = env_int("MAX_DOCUMENT_UPLOAD_MB", 10) * _MB
WAGTAILDOCS_DOCUMENT_FORM_BASE = "infra.uploads.DocumentForm"
# Documents go through Wagtail's view (collection privacy applies), which sends them with
# X-Content-Type-Options: nosniff, "Content-Security-Policy: default-src 'none'" and
# Content-Disposition: attachment with the file name (inline for PDFs, shown in the browser).
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_INLINE_CONTENT_TYPES = ["application/pdf"]
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
# A translation wagtail-localize starts is a draft (a copy of the source language), published by
# an editor once translated; by default it copied the source's live status (sites/translation.py).
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False
# No third-party requests from the admin either: Wagtail's news feed and update check stay off.
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
# Nor Gravatar: the admin shows initials instead of sending users' e-mail hashes to gravatar.com.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# --- Maillage -----------------------------------------------------------------------------------

# Page types counted as "posts" by the network dashboard and the launch checklist (sites/ does not
# import blog/).
MAILLAGE_POST_MODELS = ["blog.BlogPostPage"]
# Sites other than its own that show a page in full (sites/page_cache.py asks them what a change
# to the page makes stale).
MAILLAGE_PAGE_SHOWN_ON = ["blog.page_cache.target_site_ids"]
# A callable "app.module.function" taking a queryset of Sites and returning {site_id: count} of
# comments awaiting moderation; set by the comments feature. None: the column is hidden.
MAILLAGE_PENDING_COMMENTS_COUNTER = "comments.counts.pending_by_site"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Wagtail logs every page action and django-tasks every task at INFO: too chatty.
        "wagtail": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "django.tasks": {"level": "WARNING"},
    },
}

# --- Comments ---------------------------------------------------------------------------------
# Defaults and meaning of every COMMENTS_* setting: comments/conf.py.
COMMENTS_POLICY = "sites.policy.comment_policy_for_page"
# A site and its translations are one site for comments (sites.network: the one map).
COMMENTS_SITE_KEY = "sites.network.site_key"
COMMENTS_MODERATORS = "sites.roles.moderators_for_page"
COMMENTS_MODERATION_SCOPE = "sites.roles.comment_scope_for_user"
COMMENTS_RATE_LIMIT = env_str("COMMENTS_RATE_LIMIT", "5/10m")
COMMENTS_RATE_LIMIT_ENABLED = env_bool("COMMENTS_RATE_LIMIT_ENABLED", True)
COMMENTS_THROTTLE_CACHE = "security"
# The project's own counters of personal data (infra/throttle.py), in the same inventory.
COMMENTS_INVENTORY_EXTRA = "infra.throttle.inventory_entries"
# Mails the SMTP server could not take are tried again by the task worker (comments/mail.py).
COMMENTS_MAIL_RETRIES = env_int("COMMENTS_MAIL_RETRIES", 10)
COMMENTS_MAIL_RETRY_DELAY = env_int("COMMENTS_MAIL_RETRY_DELAY", 30)
COMMENTS_GRAVATAR_URL = env_str("COMMENTS_GRAVATAR_URL", "https://www.gravatar.com/avatar/")
# Legal retention of identification data (French hosts: 365), 0 = off; the header in which the
# trusted proxy passes the visitor's source port (e.g. HTTP_X_CLIENT_PORT), "" = none.
COMMENTS_IDENTIFICATION_RETENTION_DAYS = env_int("COMMENTS_IDENTIFICATION_RETENTION_DAYS", 0)
COMMENTS_CLIENT_PORT_HEADER = env_str("COMMENTS_CLIENT_PORT_HEADER", "")
