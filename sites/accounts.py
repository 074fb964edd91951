"""A change of one's own e-mail address takes effect only once confirmed from the new mailbox.

Wagtail's account settings would save any address typed in (WAGTAIL_EMAIL_MANAGEMENT_ENABLED is
off, so its field is gone): an address anyone can claim must never identify a person. The
"E-mail address" panel (sites/hooks/accounts.py) mails a signed, expiring link to the new address;
opening it while signed in as the same account, and confirming (a POST), changes the address.
The link carries a fingerprint of the account's current address and password, so it works once.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

SALT = "maillage.account.email-change"


def max_age():
    return settings.PASSWORD_RESET_TIMEOUT


def _fingerprint(user):
    return salted_hmac(SALT, f"{user.pk}|{user.email}|{user.password}").hexdigest()[:24]


def check_available(user, email):
    if get_user_model().objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
        raise ValidationError(
            _("Another account already uses this address; choose another one."), code="taken"
        )


def validate_new(user, email):
    email = get_user_model().objects.normalize_email(email.strip())
    if email.lower() == (user.email or "").lower():
        raise ValidationError(_("This is already your address."), code="same")
    check_available(user, email)
    return email


def request_change(user, email):
    """Mail the confirmation link to the new address; nothing changes yet."""
    email = validate_new(user, email)
    token = signing.dumps({"u": user.pk, "e": email, "f": _fingerprint(user)}, salt=SALT)
    context = {
        "user": user,
        "email": email,
        "link": settings.WAGTAILADMIN_BASE_URL.rstrip("/")
        + reverse("maillage_account:confirm_email", args=[token]),
        "days": max(1, max_age() // 86400),
    }
    send_mail(
        _("Confirm your new e-mail address"),
        render_to_string("maillage_sites/account/email_change.txt", context),
        None,
        [email],
    )
    return email


def read_change(token, user):
    """The new address a link confirms for this signed-in user, or an error saying why not."""
    invalid = ValidationError(
        _("This confirmation link is invalid, already used or expired; change your address again."),
        code="invalid",
    )
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age())
        pk, email, fingerprint = data["u"], data["e"], data["f"]
    except (signing.BadSignature, KeyError, TypeError):
        raise invalid from None
    if pk != user.pk:
        raise PermissionDenied(
            _("This link confirms another account's address: sign in as its owner.")
        )
    if not constant_time_compare(fingerprint, _fingerprint(user)):
        raise invalid
    check_available(user, email)
    return email


def confirm_change(token, user):
    email = read_change(token, user)
    user.email = email
    user.save(update_fields=["email"])
    return email
