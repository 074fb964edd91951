"""The comment form, with its two local anti-robot checks (honeypot and signed timestamp)."""

import time

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from . import conf
from .models import Comment, CommentStatus

TIMESTAMP_SALT = "comments.form-timestamp"
# The fields where a visitor types personal data, and what screen readers announce with them: the
# privacy notice (comments/privacy_notice.html), after the e-mail field's help text.
NOTICE_ID = "comment-privacy"
NOTICE_DESCRIBES = {
    "name": NOTICE_ID,
    "email": f"comment-email_helptext {NOTICE_ID}",
    "url": NOTICE_ID,
    "body": NOTICE_ID,
}


def single_line(text):
    """`text` with every run of whitespace or line breaks made one space and other control (and
    unprintable) characters dropped."""
    printable = "".join(char if char.isprintable() else " " for char in text or "")
    return " ".join(printable.split())


def signed_timestamp(now=None):
    """The value of the form's hidden `timestamp` field: when the form was shown, signed."""
    now = time.time() if now is None else now
    return signing.dumps(int(now), salt=TIMESTAMP_SALT)


class CommentForm(forms.Form):
    """A visitor's comment on `page`; `parent` must be an approved comment of the same page, not
    removed."""

    name = forms.CharField(label=_("Name"), max_length=100)
    email = forms.EmailField(
        label=_("E-mail (private, never shown)"),
        max_length=254,
        help_text=_("Kept private; used only to show your avatar and notify you of replies."),
    )
    url = forms.URLField(label=_("Website"), required=False, max_length=300, assume_scheme="https")
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 6}))
    notify = forms.BooleanField(label=_("Notify me of replies by e-mail"), required=False)
    use_gravatar = forms.BooleanField(label=_("Show my Gravatar"), required=False)
    parent = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    # Robots fill every field; people never see this one (hidden by CSS, out of the tab order).
    website_confirm = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    timestamp = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, page, **kwargs):
        kwargs.setdefault("auto_id", "comment-%s")  # no clash with other forms of the page
        super().__init__(*args, **kwargs)
        self.page = page
        self.fields["body"] = forms.CharField(
            label=self.fields["body"].label,
            max_length=conf.get("MAX_BODY_LENGTH"),
            widget=forms.Textarea(attrs={"rows": 6}),
        )
        for name, described_by in NOTICE_DESCRIBES.items():
            self.fields[name].widget.attrs["aria-describedby"] = described_by
        if not self.is_bound:
            self.initial.setdefault("timestamp", signed_timestamp())

    def clean_name(self):
        """One line of printable text: a line break or control character in a name would forge
        lines where it is shown as text (the moderators' digest, mail headers)."""
        name = single_line(self.cleaned_data["name"])
        if not name:
            raise forms.ValidationError(_("This field is required."))
        return name

    def clean_email(self):
        # Lowercasing may lengthen an address ("İ" becomes "i" and a combining dot): checked again,
        # as stored, else a 254-character column refuses it (PostgreSQL) with a server error.
        email = self.cleaned_data["email"].strip().lower()
        self.fields["email"].run_validators(email)
        return email

    def clean_url(self):
        url = self.cleaned_data["url"]
        if url and not url.lower().startswith(("http://", "https://")):
            raise forms.ValidationError(_("Enter a web address starting with http:// or https://."))
        return url

    def clean_body(self):
        body = self.cleaned_data["body"].replace("\r\n", "\n").strip()
        if not body:
            raise forms.ValidationError(_("This field is required."))
        return body

    def clean_website_confirm(self):
        if self.cleaned_data["website_confirm"]:
            raise forms.ValidationError(_("This field must stay empty."))
        return ""

    def clean_timestamp(self):
        try:
            shown_at = signing.loads(
                self.cleaned_data["timestamp"],
                salt=TIMESTAMP_SALT,
                max_age=conf.get("MAX_FORM_AGE_SECONDS"),
            )
        except signing.SignatureExpired as error:
            raise forms.ValidationError(
                _("This form has expired; please send your comment again."), code="expired"
            ) from error
        except signing.BadSignature as error:
            raise forms.ValidationError(
                _("This form is invalid; please send your comment again."), code="invalid"
            ) from error
        if not isinstance(shown_at, int) or time.time() - shown_at < conf.get("MIN_SUBMIT_SECONDS"):
            raise forms.ValidationError(
                _("That was very fast; please wait a few seconds and send it again."),
                code="too_fast",
            )
        return self.cleaned_data["timestamp"]

    def clean_parent(self):
        parent_id = self.cleaned_data["parent"]
        if parent_id is None:
            return None
        # Not a removed comment: its tombstone offers no reply, and its author is gone.
        parent = Comment.objects.filter(
            pk=parent_id, page_id=self.page.pk, status=CommentStatus.APPROVED, removed_at=None
        ).first()
        if parent is None:
            raise forms.ValidationError(_("The comment you reply to is not on this page."))
        return parent

    def refresh_timestamp(self):
        """A form shown again (with its errors) starts a new clock."""
        self.data = self.data.copy()
        self.data["timestamp"] = signed_timestamp()

    def non_field_or_hidden_errors(self):
        """Errors of hidden fields (timestamp, parent) shown at the top of the form."""
        errors = list(self.non_field_errors())
        for name in ("timestamp", "parent"):
            errors += list(self.errors.get(name, []))
        return errors
