"""Local anti-spam checks (no third-party service). First slice: nothing flagged yet."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Verdict:
    is_spam: bool = False
    reason: str = ""
    duplicate_of: object = None


def rate_limit(request, page):
    """Seconds to wait when the client is over COMMENTS_RATE_LIMIT on the page's site, else None."""
    return None


def check(page, data, policy):
    """The verdict on a valid form's cleaned data."""
    return Verdict()
