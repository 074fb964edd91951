"""The reply-notification tasks' former address: they live in comments.notifications, beside
the rules they serve. Tasks already queued under these dotted paths (django-tasks-db stores each
task's path) still find them here."""

from .notifications import send_confirmation, send_reply_notification  # noqa: F401
