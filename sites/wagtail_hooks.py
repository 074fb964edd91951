"""Admin wiring only. Each area keeps its hooks in sites/hooks/<area>.py:
network (add a site, dashboard, checklist), scoping (per-site visibility), team (members)."""

from .hooks import network, scoping, team  # noqa: F401
