"""Admin wiring, one module per area; imported by sites/wagtail_hooks.py."""
