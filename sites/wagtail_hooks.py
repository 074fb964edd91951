"""Wagtail wiring only. Each area keeps its hooks in sites/hooks/<area>.py:
network (add a site, dashboard, checklist), scoping (per-site visibility), team (members),
serving (what public pages tell the page cache), users (bulk actions sparing superusers),
accounts (e-mail changes confirmed from the new mailbox), settings (who changes which part of
the site settings)."""

from .hooks import accounts, network, scoping, serving, settings, team, users  # noqa: F401
