"""A page's approved comments as a tree, from one query."""

from .models import Comment, CommentStatus

DISPLAY_DEPTH = 3


def approved_thread(page):
    """(top-level comments, all approved comments), built from one query.

    Each comment gets `children` and `depth` (1 for top-level comments). Nesting stops at
    DISPLAY_DEPTH: every deeper reply is listed, in date order, among the replies of its
    depth-3 ancestor. A reply whose parent is not public is shown at the top level.
    """
    comments = list(
        Comment.objects.filter(page_id=page.pk, status=CommentStatus.APPROVED)
        .only(
            "pk",
            "page_id",
            "parent_id",
            "author_name",
            "url",
            "body",
            "created_at",
            "edited_at",
            "removed_at",
            "avatar_key",
            "use_gravatar",
        )
        .order_by("created_at", "pk")
    )
    by_id = {comment.pk: comment for comment in comments}
    roots = []
    for comment in comments:  # a parent is always older than its replies
        comment.children = []
        parent = by_id.get(comment.parent_id)
        if parent is None:
            comment.depth, comment.anchor = 1, None
            roots.append(comment)
        elif parent.depth < DISPLAY_DEPTH:
            comment.depth = parent.depth + 1
            comment.anchor = comment if comment.depth == DISPLAY_DEPTH else None
            parent.children.append(comment)
        else:
            comment.depth, comment.anchor = DISPLAY_DEPTH + 1, parent.anchor
            parent.anchor.children.append(comment)
    return roots, comments
