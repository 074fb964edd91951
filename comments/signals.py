"""What the comments app tells the project: which pages' visible comments just changed.

Sent with `page_ids` (a set) when a comment is approved, changed, removed or anonymized, so that
whatever shows those comments (a page cache, a search index) can refresh; nothing is sent for
comments no visitor sees (pending, spam). comments/ knows nothing of who listens.
"""

from django.dispatch import Signal

comments_changed = Signal()


def changed(page_ids):
    page_ids = {page_id for page_id in page_ids if page_id is not None}
    if page_ids:
        comments_changed.send(sender=None, page_ids=page_ids)
