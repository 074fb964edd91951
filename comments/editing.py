"""The commenter's window to edit or delete their comment. First slice: not remembered yet."""


def remember(request, response, comment):
    """Let this browser edit or delete `comment` for COMMENTS_EDIT_MINUTES."""
