"""Wagtail wiring only. Each area keeps its hooks in sites/hooks/<area>.py:
network (add a site, dashboard, checklist), scoping (per-site visibility), team (members),
serving (what public pages tell the page cache), users (bulk actions sparing superusers)."""

from .hooks import network, scoping, serving, team, users  # noqa: F401
