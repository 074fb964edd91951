"""Background work of moderation (django-tasks): the moderators' digest."""

from django_tasks import task

from . import digest


@task()
def send_comment_digest(root_path):
    """Mail the digest of the tree under `root_path` if its window allows; returns the number
    of e-mails sent (0: not due, nothing new or nobody to tell)."""
    return digest.send_digest(root_path)
