"""Reply notifications with double opt-in. First slice: nothing sent yet."""


def comment_posted(comment, wants_notify):
    """A new comment was stored (any status)."""


def comment_approved(comment):
    """A comment became public (by a moderator, or at once when nothing is held)."""
