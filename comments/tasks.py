"""The moderators' digest task's former address: it lives in comments.digest, beside the rule it
serves. Tasks already queued under this dotted path (django-tasks-db stores each task's path) still
find it here."""

from .digest import send_comment_digest  # noqa: F401
