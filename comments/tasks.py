"""Background work of moderation (django-tasks): the moderators' digest."""

from django_tasks import task

from . import digest, mail


@task()
def send_comment_digest(root_path, attempt=1, rest=None):
    """Mail the digest of the tree under `root_path` if its window allows; returns the number
    of e-mails sent (0: not due, nothing new or nobody to tell).

    When the mail server fails, the task enqueues itself for later (comments.mail) with the next
    `attempt`: the whole digest again when nothing went, else `rest`, what the moderators left
    out still have to receive (digest.send_digest)."""
    try:
        return digest.send_digest(root_path, rest=rest)
    except mail.Undelivered as failure:
        mail.retry_later(send_comment_digest, attempt, failure.error, root_path, rest=failure.rest)
        return failure.sent
