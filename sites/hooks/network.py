"""Admin hooks for this area (see sites/wagtail_hooks.py)."""
