"""What personal data the comments keep, why, on which legal basis, for how long, and who sees it.

One inventory, as data, from which the README's "Privacy" section (`manage.py privacy_inventory`)
and each new site's privacy policy (comments/privacy/policy.html) are generated: they cannot drift
from each other nor from the settings, since every duration is read from comments.conf when the
entries are built. Every string is lazy, so the same entries read in French or English.
"""

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import avatars, conf


@dataclass(frozen=True)
class Entry:
    """One kind of personal data: `field` says where it lives (a model field, a cookie, the cache),
    the others are sentences for readers."""

    field: str
    data: str
    purpose: str
    basis: str
    retention: str
    audience: str


CONSENT = _("Consent (GDPR art. 6(1)(a)); you can withdraw it at any time")
LEGITIMATE_INTEREST = _("Legitimate interest (GDPR art. 6(1)(f))")
LEGAL_OBLIGATION = _("Legal obligation (GDPR art. 6(1)(c))")
NECESSARY = _(
    "Legitimate interest (GDPR art. 6(1)(f)); a cookie strictly necessary for a service you asked "
    "for, so no consent is needed"
)
PUBLIC = _("Everyone: it is published")
MODERATORS = _("The site's moderators and the network's administrators, never the public")
NOBODY = _("Nobody: only the software uses it")
YOUR_BROWSER = _("Only your browser")

DAY = 24 * 60 * 60


def _duration(seconds):
    """A period in the largest whole unit: 86400 -> "1 day", 600 -> "10 minutes"."""
    if seconds % DAY == 0:
        days = seconds // DAY
        return ngettext("%(count)d day", "%(count)d days", days) % {"count": days}
    if seconds % 3600 == 0:
        hours = seconds // 3600
        return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}
    if seconds % 60 == 0:
        minutes = seconds // 60
        return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
    return ngettext("%(count)d second", "%(count)d seconds", seconds) % {"count": seconds}


def _months(count):
    return ngettext("%(count)d month", "%(count)d months", count) % {"count": count}


def _fill(template, **values):
    return str(template) % {name: str(value) for name, value in values.items()}


# Computed when read, not when built: so in the reader's language.
duration = lazy(_duration, str)
months = lazy(_months, str)
fill = lazy(_fill, str)


def _until_anonymized(count):
    return fill(
        _(
            "Until the comment is anonymized, %(months)s after its post is unpublished, or until "
            "you erase it"
        ),
        months=months(count),
    )


def entries():
    """The inventory with the current settings applied (call it again after changing them)."""
    from . import selfservice, trust  # they need the models, loaded after this module

    manage_link_seconds = selfservice.LINK_MAX_AGE
    trust_seconds = trust.MAX_AGE
    ip_seconds = conf.get("IP_RETENTION_DAYS") * DAY
    spam_seconds = conf.get("SPAM_RETENTION_DAYS") * DAY
    subscription_seconds = conf.get("UNCONFIRMED_SUBSCRIPTION_DAYS") * DAY
    gravatar_seconds = conf.get("GRAVATAR_CACHE_SECONDS")
    miss_seconds = min(avatars.MISS_SECONDS, gravatar_seconds)
    edit_seconds = conf.get("EDIT_MINUTES") * 60
    rate_seconds = conf.parse_rate(conf.get("RATE_LIMIT"))[1]
    confirmation_seconds = conf.parse_rate(conf.get("CONFIRMATION_RATE_LIMIT"))[1]
    until_anonymized = _until_anonymized(conf.get("ANONYMIZE_AFTER_MONTHS"))
    legal_seconds = conf.get("IDENTIFICATION_RETENTION_DAYS") * DAY
    return (
        Entry(
            field="Comment.author_name",
            data=_("Your name, as you typed it"),
            purpose=_("To sign your comment"),
            basis=LEGITIMATE_INTEREST,
            retention=fill(_('%(until)s; then it reads "Anonymous"'), until=until_anonymized),
            audience=PUBLIC,
        ),
        Entry(
            field="Comment.email",
            data=_("Your e-mail address"),
            purpose=_(
                "To recognise a commenter whose earlier comments were approved, to reach you "
                "about your comment, and to send the reply notifications you asked for; it is "
                "never shown"
            ),
            basis=LEGITIMATE_INTEREST,
            retention=until_anonymized,
            audience=MODERATORS,
        ),
        Entry(
            field="Comment.url",
            data=_("Your website, if you give one"),
            purpose=_("To link your name to it"),
            basis=LEGITIMATE_INTEREST,
            retention=until_anonymized,
            audience=PUBLIC,
        ),
        Entry(
            field="Comment.body",
            data=_("Your message"),
            purpose=_("To publish it under the post, once approved"),
            basis=LEGITIMATE_INTEREST,
            retention=_(
                "As long as the post exists; e-mail addresses and phone numbers written in it are "
                "removed when the comment is anonymized, and you can erase it at any time"
            ),
            audience=PUBLIC,
        ),
        Entry(
            field="Comment.ip_address, Comment.user_agent",
            data=_("Your IP address and your browser's identification"),
            purpose=_("To fight spam and answer abuse reports"),
            basis=LEGITIMATE_INTEREST,
            retention=fill(
                _(
                    "%(days)s after the comment was posted: long enough to trace a spam wave or "
                    "answer an abuse report, short enough not to keep a record of visitors"
                ),
                days=duration(ip_seconds),
            ),
            audience=MODERATORS,
        ),
        Entry(
            field="Comment.status = spam / rejected",
            data=_("A comment held as spam or rejected by a moderator, with all its data"),
            purpose=_("To let moderators correct a mistake of the spam filter"),
            basis=LEGITIMATE_INTEREST,
            retention=fill(_("Deleted %(days)s after it was posted"), days=duration(spam_seconds)),
            audience=MODERATORS,
        ),
        Entry(
            field="Comment.avatar_key",
            data=_(
                "Your avatar's key: a keyed fingerprint of your e-mail address that cannot be "
                "traced back to it without this installation's secret"
            ),
            purpose=_("To show the same avatar beside each of your comments"),
            basis=LEGITIMATE_INTEREST,
            retention=until_anonymized,
            audience=PUBLIC,
        ),
        Entry(
            field="Comment.use_gravatar, ConfirmedEmail.gravatar_since, cache comments:gravatar:*",
            data=_(
                'Your choice "show my Gravatar", given from a link we e-mailed to your address, '
                "and the Gravatar image our server fetched"
            ),
            purpose=_(
                "To show your Gravatar: our server, never your browser, asks Gravatar (Automattic "
                "Inc.) for it, sending the MD5 hash of your e-mail address"
            ),
            basis=CONSENT,
            retention=fill(
                _(
                    "The image: %(image)s in our cache (the fact that you have none: %(miss)s "
                    "at most), removed when the comment is anonymized. Your choice: until you "
                    "withdraw it from the same kind of link, or no comment carries the address any "
                    "more"
                ),
                image=duration(gravatar_seconds),
                miss=duration(miss_seconds),
            ),
            audience=PUBLIC,
        ),
        Entry(
            field="Subscription (email, token_hash, confirmed_at, unsubscribed_at)",
            data=_("Your request to be notified of replies, with your e-mail address"),
            purpose=_("To e-mail you when someone replies, once you have confirmed the request"),
            basis=CONSENT,
            retention=fill(
                _(
                    "Unconfirmed: deleted after %(days)s. Confirmed: until the comment is "
                    "anonymized or erased; unsubscribing stops the e-mails at once"
                ),
                days=duration(subscription_seconds),
            ),
            audience=NOBODY,
        ),
        Entry(
            field="ConfirmedEmail (email, confirmed_at)",
            data=_("That you proved an e-mail address is yours, with a link we sent to it"),
            purpose=_(
                "To publish at once the comments of a commenter already approved on the site, "
                "when the site holds only first comments for moderation"
            ),
            basis=LEGITIMATE_INTEREST,
            retention=_("As long as one of your comments still carries the address"),
            audience=NOBODY,
        ),
        Entry(
            field="ManageLink (token_hash, email, created_at)",
            data=_(
                "The e-mail address a “Manage my comments” link was sent to, with a fingerprint "
                "of the link (the link itself holds nothing derived from your address)"
            ),
            purpose=_("To open your comments when you follow the link"),
            basis=LEGITIMATE_INTEREST,
            retention=fill(
                _("The link works for %(time)s; the record is deleted the next day at the latest"),
                time=duration(manage_link_seconds),
            ),
            audience=NOBODY,
        ),
        Entry(
            field="cookie comments_trust",
            data=_(
                "A signed cookie with keyed fingerprints of the e-mail addresses you proved are "
                "yours, or whose comments from this browser were approved; not the addresses"
            ),
            purpose=_(
                "To publish at once, on a site that holds only first comments, the comments of "
                "this browser's approved commenter, and nobody else typing the same address"
            ),
            basis=NECESSARY,
            retention=duration(trust_seconds),
            audience=YOUR_BROWSER,
        ),
        Entry(
            field="cookie comments_edit",
            data=_(
                "A signed cookie with the numbers and times of the comments you just posted; "
                "nothing that identifies you"
            ),
            purpose=_("To let you edit or delete your comment from the same browser"),
            basis=NECESSARY,
            retention=duration(edit_seconds),
            audience=YOUR_BROWSER,
        ),
        Entry(
            field="cache comments:throttle:comment:*",
            data=_(
                "A count of the comments sent from your IP address to the site, under a keyed "
                "hash of the address and the site"
            ),
            purpose=_("To limit how many comments one address may send (anti-spam)"),
            basis=LEGITIMATE_INTEREST,
            retention=duration(rate_seconds),
            audience=NOBODY,
        ),
        Entry(
            field="cache comments:throttle:manage-link:*",
            data=_(
                "A count of the “Manage my comments” links asked for from your IP address, under "
                "a keyed hash of it"
            ),
            purpose=_("To limit how many of these links one address may ask for"),
            basis=LEGITIMATE_INTEREST,
            retention=duration(rate_seconds),
            audience=NOBODY,
        ),
        Entry(
            field="cache comments:throttle:confirmation:*",
            data=_(
                "A count of the e-mails sent to your address to confirm a notification request "
                "or with a “Manage my comments” link, under a keyed hash of it"
            ),
            purpose=_("To stop anyone from using our forms to send e-mails to strangers"),
            basis=LEGITIMATE_INTEREST,
            retention=duration(confirmation_seconds),
            audience=NOBODY,
        ),
    ) + _more_entries(legal_seconds)


def _more_entries(legal_seconds):
    """The identification records when they are kept, and what the project keeps beside the
    comments' data (COMMENTS_INVENTORY_EXTRA)."""
    extra = conf.get_callable("INVENTORY_EXTRA")
    project = tuple(Entry(**entry) for entry in extra()) if extra else ()
    return _legal_entries(legal_seconds) + project


def _legal_entries(seconds):
    """The identification records, listed only when the legal retention is on (else none exist:
    the daily job deletes any left)."""
    if seconds <= 0:
        return ()
    return (
        Entry(
            field="IdentificationRecord (comment_id, page_id, ip_address, port, created_at)",
            data=_(
                "The IP address and port of the connection each comment was sent from, and when"
            ),
            purpose=_(
                "To identify who posted a comment when a judge or another authority entitled to "
                "ask requires it, as French law asks of hosts (décret 2021-1362, LCEN art. 6)"
            ),
            basis=LEGAL_OBLIGATION,
            retention=fill(
                _(
                    "%(days)s after the comment was posted, in a record apart from the comment "
                    "that stays even if the comment is anonymized or erased"
                ),
                days=duration(seconds),
            ),
            audience=_(
                "Only the network's administrators, through an export that is logged, to answer "
                "such a request; never the moderators nor the public"
            ),
        ),
    )


def manage_url():
    """The self-service page's address ("Manage my comments"), or "" where it is not installed."""
    try:
        return reverse("comments:manage")
    except NoReverseMatch:
        return ""


def form_notice_context(privacy_url=""):
    """What the comment form's privacy notice (comments/privacy_notice.html) states, with the
    figures of the inventory (the same settings, the same wording of periods) and no query."""
    legal_days = conf.get("IDENTIFICATION_RETENTION_DAYS")
    return {
        "months": months(conf.get("ANONYMIZE_AFTER_MONTHS")),
        "ip_retention": duration(conf.get("IP_RETENTION_DAYS") * DAY),
        "legal_retention": duration(legal_days * DAY) if legal_days else "",
        "privacy_url": privacy_url,
        "manage_url": manage_url(),
    }


def policy_context(site_name):
    """What policy.html needs; call it in the language of the text."""
    url, label = manage_url(), _("Manage my comments")
    if url:
        link = format_html('<a href="{}">{}</a>', url, label)
    else:
        link = _("“%(page)s”") % {"page": label}
    return {
        "site_name": site_name,
        "entries": entries(),
        "months": months(conf.get("ANONYMIZE_AFTER_MONTHS")),
        "manage_link": link,
        "legal_retention": form_notice_context()["legal_retention"],
    }


def privacy_policy_html(language, site_name):
    """A site's default privacy policy in `language`, as HTML with <h2> sections, generated from
    the inventory and the current settings."""
    with translation.override(language):
        html = render_to_string("comments/privacy/policy.html", policy_context(site_name))
    return html.strip()


def markdown_table(language="en"):
    """The inventory as a Markdown table, for the README."""

    def cell(text):
        return str(text).replace("|", "\\|")

    with translation.override(language):
        headers = [
            _("Data"),
            _("Where"),
            _("Why"),
            _("Legal basis"),
            _("How long"),
            _("Who sees it"),
        ]
        lines = [
            "| " + " | ".join(cell(header) for header in headers) + " |",
            "|" + "---|" * len(headers),
        ]
        for entry in entries():
            row = [
                entry.data,
                f"`{entry.field}`",
                entry.purpose,
                entry.basis,
                entry.retention,
                entry.audience,
            ]
            lines.append("| " + " | ".join(cell(value) for value in row) + " |")
    return "\n".join(lines) + "\n"
