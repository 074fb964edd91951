"""Visitors' comments on any Wagtail page (Wagtail's own `comments` are the editors' notes)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import keys


class CommentStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    SPAM = "spam", _("Spam")
    REJECTED = "rejected", _("Rejected")


class Comment(models.Model):
    """A visitor's comment, or a reply to another comment of the same page.

    Only approved comments are ever shown to the public; the e-mail, IP address and user agent are
    kept for moderation and notifications and never rendered on a public page.
    """

    page = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        related_name="visitor_comments",
        verbose_name=_("page"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("in reply to"),
    )
    author_name = models.CharField(_("name"), max_length=100)
    email = models.EmailField(_("e-mail"), max_length=254)
    url = models.URLField(_("website"), max_length=300, blank=True)
    body = models.TextField(_("message"))
    status = models.CharField(
        _("status"), max_length=10, choices=CommentStatus.choices, default=CommentStatus.PENDING
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True)
    anonymized_at = models.DateTimeField(_("anonymized"), null=True, blank=True)
    use_gravatar = models.BooleanField(_("show the Gravatar"), default=False)
    # Opaque key of the avatar URL: a keyed HMAC of the e-mail (comments.avatars), never the e-mail
    # nor a plain hash of it. Empty: the generic avatar.
    avatar_key = models.CharField(_("avatar key"), max_length=64, blank=True, db_index=True)
    # Which site the comment belongs to (comments.keys.site_key, set when it is made and kept
    # current by the project when its sites change): what the rate limit, the known-commenter
    # rule, the digests and the counts group by.
    site_key = models.CharField(_("site key"), max_length=255, blank=True, db_index=True)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    # A removed comment that had replies stays as a tombstone ("comment removed") so that the
    # replies still read; its personal values and body are cleared.
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)
    spam_reason = models.CharField(
        _("why it was held"),
        max_length=200,
        blank=True,
        help_text=_("For moderators: which check flagged this comment."),
    )

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]
        indexes = [
            # A page's approved comments in order: the public thread.
            models.Index(fields=["page", "status", "created_at"], name="comment_page_status_idx"),
            # Has this e-mail already an approved comment? ("first" moderation)
            models.Index(fields=["email", "status"], name="comment_email_status_idx"),
            # The moderation list: by status, newest first.
            models.Index(fields=["status", "-created_at"], name="comment_status_created_idx"),
        ]

    def __str__(self):
        return f"{self.author_name}: {self.body[:50]}"

    def save(self, *args, **kwargs):
        if not self.site_key and self.page_id:
            self.site_key = keys.site_key(self.page)
        if self.email and not self.avatar_key and self.anonymized_at is None:
            self.avatar_key = keys.avatar_key(self.email, self.site_key)
        super().save(*args, **kwargs)

    @property
    def is_public(self):
        return self.status == CommentStatus.APPROVED


class Subscription(models.Model):
    """A commenter's wish to hear of replies to one comment (double opt-in).

    Only a confirmed subscription is used. The token of the confirmation and unsubscribe links is
    random and stored only as its SHA-256 (a stolen database gives no working link); it never
    contains the e-mail. Revoking clears it: old links then answer that there is nothing left.
    """

    comment = models.OneToOneField(
        Comment, on_delete=models.CASCADE, related_name="subscription", verbose_name=_("comment")
    )
    email = models.EmailField(_("e-mail"), max_length=254)
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)

    class Meta:
        verbose_name = _("reply notification")
        verbose_name_plural = _("reply notifications")
        indexes = [models.Index(fields=["email"], name="subscription_email_idx")]

    def __str__(self):
        return f"Subscription to comment {self.comment_id}"

    @property
    def is_active(self):
        return self.confirmed_at is not None and self.unsubscribed_at is None


class ConfirmedEmail(models.Model):
    """An e-mail address whose owner proved they read it (a confirmation or self-service link).

    With an approved comment on a site, it lets "first comment held" moderation pass the
    commenter's next comments.
    """

    email = models.EmailField(_("e-mail"), max_length=254, unique=True)
    confirmed_at = models.DateTimeField(_("confirmed"))
    # The owner's consent to show their Gravatar on all their comments, given and withdrawn only
    # from a link mailed to the address (comments.selfservice): a comment's checkbox, which anyone
    # typing the address can tick, never switches it on.
    gravatar_since = models.DateTimeField(_("Gravatar shown since"), null=True, blank=True)

    class Meta:
        verbose_name = _("confirmed e-mail")
        verbose_name_plural = _("confirmed e-mails")

    def __str__(self):
        return f"Confirmed e-mail {self.pk}"


class ManageLink(models.Model):
    """A mailed "Manage my comments" link (comments.selfservice): which address it opens.

    The link carries a random value, stored only as its SHA-256, so it holds nothing derived from
    the address (unlike a keyed hash of it, which public avatar addresses could be matched
    against); the row lives as long as the link works (an hour).
    """

    token_hash = models.CharField(max_length=64, unique=True)
    email = models.EmailField(_("e-mail"), max_length=254)
    created_at = models.DateTimeField(_("created"), db_index=True)

    class Meta:
        verbose_name = _("manage link")
        verbose_name_plural = _("manage links")

    def __str__(self):
        return f"Manage link {self.pk}"


class ModerationDigest(models.Model):
    """When moderators of one site (its comments' site key) were last e-mailed."""

    site_key = models.CharField(max_length=255, unique=True)
    last_sent_at = models.DateTimeField()

    class Meta:
        verbose_name = _("moderation digest")
        verbose_name_plural = _("moderation digests")

    def __str__(self):
        return f"Digest for {self.site_key}"


class UnpublishedPage(models.Model):
    """The unpublication clock: since when a commented page has been continuously not live.

    Kept by Wagtail's page_unpublished / page_published signals (and reconciled by the daily
    `anonymize_comments`); a republished page loses its row, so a later unpublication starts a
    fresh clock.
    """

    page = models.OneToOneField(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
        verbose_name=_("page"),
    )
    unpublished_since = models.DateTimeField(_("unpublished since"), db_index=True)

    class Meta:
        verbose_name = _("unpublished page")
        verbose_name_plural = _("unpublished pages")

    def __str__(self):
        return f"Page {self.page_id} unpublished since {self.unpublished_since:%Y-%m-%d}"


class IdentificationRecord(models.Model):
    """What French law asks a host to keep about who posted a content (décret 2021-1362, LCEN
    art. 6): the connection's address and port and the time, one row per comment, kept
    COMMENTS_IDENTIFICATION_RETENTION_DAYS (comments.identification).

    Apart from the comment, on purpose: no foreign key, so that erasing or anonymizing the comment
    leaves the record for its legal period (GDPR art. 17(3)(b)); never in the moderation screens
    nor in the personal-data tools, only in the network administrators' logged export.
    """

    comment_id = models.BigIntegerField(_("comment"), db_index=True)
    page_id = models.BigIntegerField(_("page"))
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    port = models.PositiveIntegerField(_("port"), null=True, blank=True)
    created_at = models.DateTimeField(_("posted"), db_index=True)

    class Meta:
        verbose_name = _("identification record")
        verbose_name_plural = _("identification records")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"Identification record of comment {self.comment_id}"


class IdentificationExport(models.Model):
    """Who exported identification records, when, why and how many: the audit trail of every
    export (admin view or command), which network administrators read beside the export form."""

    exported_at = models.DateTimeField(_("exported"), auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    # Kept as written when the user is deleted; "command" for an export from manage.py.
    username = models.CharField(_("by"), max_length=150)
    reason = models.CharField(_("reason"), max_length=300)
    since = models.DateTimeField(_("from"), null=True, blank=True)
    until = models.DateTimeField(_("until"), null=True, blank=True)
    records = models.PositiveIntegerField(_("records"))

    class Meta:
        verbose_name = _("identification export")
        verbose_name_plural = _("identification exports")
        ordering = ["-exported_at", "-pk"]

    def __str__(self):
        return f"Identification export {self.pk}"
