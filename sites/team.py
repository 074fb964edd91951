"""Delegated team management: a site's administrators manage the members of its three groups.

They may add existing accounts, invite new people and remove members, on their own site only.
Nothing here can grant more than membership of one of the site's editors, moderators or
administrators groups: no superuser or staff flag, no other group, no permission. Network
administrators may manage every site's team. Views (sites/team_views.py) only call these
functions, which raise PermissionDenied (not allowed at all) or ValidationError (allowed, but
not like this) with a message meant for the person acting.
"""

import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import roles

logger = logging.getLogger(__name__)

# The profile field holding each role's group.
ROLE_GROUP_FIELDS = {
    roles.EDITOR: "editors",
    roles.MODERATOR: "moderators",
    roles.ADMINISTRATOR: "administrators",
}
ROLE_LABELS = {
    roles.EDITOR: gettext_lazy("Editors"),
    roles.MODERATOR: gettext_lazy("Moderators"),
    roles.ADMINISTRATOR: gettext_lazy("Administrators"),
}
ROLE_CHOICES = [
    (roles.EDITOR, gettext_lazy("Editor")),
    (roles.MODERATOR, gettext_lazy("Moderator")),
    (roles.ADMINISTRATOR, gettext_lazy("Administrator")),
]


def may_manage_team(actor, site):
    """Administrators of the site, and network administrators."""
    return getattr(site, "profile", None) is not None and roles.has_role(
        actor, site, roles.ADMINISTRATOR
    )


def managed_sites(actor):
    """Sites whose team the actor manages."""
    return roles.sites_for_user(actor, roles.ADMINISTRATOR).filter(profile__isnull=False)


def _check_actor(actor, site):
    if not may_manage_team(actor, site):
        raise PermissionDenied(_("You are not an administrator of this site."))


def team_group(site, role):
    """The site's group for a role; a role that is not one of the three is refused."""
    if role not in ROLE_GROUP_FIELDS:
        raise ValidationError(_("Choose editor, moderator or administrator."), code="role")
    group = getattr(site.profile, ROLE_GROUP_FIELDS[role])
    if group is None:
        raise ValidationError(
            _("This site has no %(role)s group; ask a network administrator.")
            % {"role": ROLE_LABELS[role]},
            code="role",
        )
    return group


def members(site):
    """{role: [users]} for the site's three groups, by username."""
    team = {}
    for role in ROLE_GROUP_FIELDS:
        group = getattr(site.profile, ROLE_GROUP_FIELDS[role])
        users = group.user_set.order_by("username") if group else get_user_model().objects.none()
        team[role] = list(users)
    return team


def find_user(identifier):
    """The one account whose username or e-mail address is this (case does not matter)."""
    identifier = (identifier or "").strip()
    if not identifier:
        raise ValidationError(_("Give a username or an e-mail address."), code="required")
    users = get_user_model().objects.all()
    matches = list(users.filter(username__iexact=identifier)[:2])
    if not matches:
        matches = list(users.filter(email__iexact=identifier)[:2])
    if not matches:
        raise ValidationError(
            _("No account matches “%(identifier)s”. To give a new person access, invite them.")
            % {"identifier": identifier},
            code="not_found",
        )
    if len(matches) > 1:
        raise ValidationError(
            _("Several accounts use this e-mail address; give the username instead."),
            code="ambiguous",
        )
    user = matches[0]
    if not user.is_active:
        raise ValidationError(
            _("This account is deactivated; ask a network administrator."), code="inactive"
        )
    return user


def add_member(actor, site, user, role):
    """Put an existing account in one of the site's groups."""
    _check_actor(actor, site)
    group = team_group(site, role)
    if group.user_set.filter(pk=user.pk).exists():
        raise ValidationError(
            _("%(user)s is already in %(group)s.") % {"user": user, "group": group.name},
            code="duplicate",
        )
    group.user_set.add(user)
    logger.info("User %s added user %s to group %s", actor.pk, user.pk, group.pk)


def remove_member(actor, site, user, role):
    """Take a member out of one of the site's groups.

    Network administrators' memberships are left to the network, and a site always keeps one
    active administrator (so that someone can still manage its team).
    """
    _check_actor(actor, site)
    group = team_group(site, role)
    if not group.user_set.filter(pk=user.pk).exists():
        raise ValidationError(
            _("%(user)s is not in %(group)s.") % {"user": user, "group": group.name},
            code="not_member",
        )
    if roles.is_network_admin(user) and not roles.is_network_admin(actor):
        raise PermissionDenied(_("Only network administrators can change a network administrator."))
    if role == roles.ADMINISTRATOR:
        others = roles.users_with_role(site, roles.ADMINISTRATOR).exclude(pk=user.pk)
        if not others.exists():
            if user.pk == actor.pk:
                message = _(
                    "You are this site's last administrator: add another administrator before "
                    "leaving the role, so that someone can still manage the team."
                )
            else:
                message = _(
                    "%(user)s is this site's last administrator: add another administrator first."
                ) % {"user": user}
            raise ValidationError(message, code="last_administrator")
    group.user_set.remove(user)
    logger.info("User %s removed user %s from group %s", actor.pk, user.pk, group.pk)


class _InvitationEmail(PasswordResetForm):
    """Django's password-reset e-mail (uid and token from default_token_generator) addressed to
    one new account, whose password is still unusable (the stock form skips those)."""

    def __init__(self, user):
        super().__init__({"email": user.email})
        self.invited = user

    def get_users(self, email):
        return [self.invited]


def invitation_pending(user):
    """An invited account whose owner has not chosen a password yet."""
    return user.is_active and not user.has_usable_password() and user.last_login is None


def invite(actor, site, email, name, role):
    """Create an account for a new person, put it in one of the site's groups, and e-mail them a
    link to choose their password (valid for settings.PASSWORD_RESET_TIMEOUT).

    Inviting again someone whose invitation is still pending sends a fresh link (the first one
    may have expired); any other existing account is to be added, not invited.
    """
    _check_actor(actor, site)
    group = team_group(site, role)
    User = get_user_model()
    email = User.objects.normalize_email((email or "").strip())
    existing = User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email)).first()
    if existing is not None and not invitation_pending(existing):
        raise ValidationError(
            _("An account already uses %(email)s: add it as an existing member instead.")
            % {"email": email},
            code="exists",
        )
    first_name, _space, last_name = (name or "").strip().partition(" ")
    with transaction.atomic():
        if existing is None:
            user = User(
                username=email.lower(),
                email=email,
                first_name=first_name[:150],
                last_name=last_name.strip()[:150],
            )
            user.set_unusable_password()
            user.full_clean(exclude=["password"])
            user.save()
        else:
            user = existing
        group.user_set.add(user)
        # Sent inside the transaction: if the mail cannot leave, no half-invited account stays.
        _send_invitation(actor, site, group, role, user)
    logger.info("User %s invited user %s into group %s", actor.pk, user.pk, group.pk)
    return user


def _send_invitation(actor, site, group, role, user):
    admin_url = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    message = _InvitationEmail(user)
    message.is_valid()
    message.save(
        domain_override=admin_url.netloc,
        use_https=admin_url.scheme == "https",
        subject_template_name="maillage_sites/team/invitation_subject.txt",
        email_template_name="maillage_sites/team/invitation_email.txt",
        extra_email_context={
            "inviter": actor.get_full_name() or actor.get_username(),
            "site_name": site.site_name,
            "group": group.name,
            "role": dict(ROLE_CHOICES)[role],
            "name": user.first_name,
        },
    )
