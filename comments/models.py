"""Visitors' comments on any Wagtail page (Wagtail's own `comments` are the editors' notes)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


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
        ]

    def __str__(self):
        return f"{self.author_name}: {self.body[:50]}"

    @property
    def is_public(self):
        return self.status == CommentStatus.APPROVED
