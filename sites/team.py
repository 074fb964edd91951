"""Delegated team management: a site's administrators manage the members of its three groups.

They may give members of their own site's team another role, invite people (a signed link mailed
to them, which they accept) and remove members, on their own site only.
Nothing here can grant more than membership of one of the site's editors, moderators or
administrators groups: no superuser or staff flag, no other group, no permission. Network
administrators may manage every site's team. Views (sites/team_views.py) only call these
functions, which raise PermissionDenied (not allowed at all) or ValidationError (allowed, but
not like this) with a message meant for the person acting.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.models import Site

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


def site_members(site):
    """Every account in one of the site's three groups: the only people the team page names, and
    the only ones an administrator may give another role without inviting them."""
    profile = getattr(site, "profile", None)
    if profile is None:
        return get_user_model().objects.none()
    return (
        get_user_model()
        .objects.filter(groups__in=[group.pk for group in profile.groups])
        .distinct()
        .order_by("username")
    )


def add_member(actor, site, user, role):
    """Give a member of the site's team another of its roles."""
    _check_actor(actor, site)
    group = team_group(site, role)
    if not site_members(site).filter(pk=user.pk).exists():
        # Anyone else joins through an invitation mailed to them, never by being named here.
        raise ValidationError(
            _("Only members of this site's team can be given another role; invite anyone else."),
            code="not_member",
        )
    if not user.is_active:
        raise ValidationError(
            _("This account is deactivated; ask a network administrator."), code="inactive"
        )
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


def invitation_pending(user):
    """An account made by an earlier invitation whose owner has not chosen a password yet."""
    return user.is_active and not user.has_usable_password() and user.last_login is None


# --- Invitations ---------------------------------------------------------------------------------
# An invitation is a signed, expiring link mailed to an address; nothing is created and nobody
# joins until the owner of that mailbox opens it and accepts, signed in or with a new account.
# The answer to the inviting administrator is the same whether or not an account uses the
# address: accounts are never looked up by an e-mail address, which anyone can type into their
# profile.

INVITATION_SALT = "maillage.team.invitation"


@dataclass(frozen=True)
class Invitation:
    site: Site
    role: str
    email: str
    name: str
    inviter: object

    @property
    def group(self):
        return team_group(self.site, self.role)

    @property
    def role_label(self):
        return dict(ROLE_CHOICES)[self.role]


def invitation_max_age():
    return settings.PASSWORD_RESET_TIMEOUT


def invite(actor, site, email, name, role):
    """E-mail an invitation link to join one of the site's groups (valid for
    settings.PASSWORD_RESET_TIMEOUT). Nothing else happens until it is accepted."""
    _check_actor(actor, site)
    team_group(site, role)
    email = get_user_model().objects.normalize_email((email or "").strip())
    if not email:
        raise ValidationError(_("Give an e-mail address."), code="required")
    name = (name or "").strip()[:150]
    token = signing.dumps(
        {"site": site.pk, "role": role, "email": email, "name": name, "by": actor.pk},
        salt=INVITATION_SALT,
        compress=True,
    )
    _send_invitation(actor, site, role, email, name, token)
    logger.info("User %s invited someone into site %s as %s", actor.pk, site.pk, role)
    return email


def read_invitation(token):
    """The invitation a link carries, or ValidationError if it is forged, expired, or its
    inviter no longer manages the site's team."""
    invalid = ValidationError(
        _("This invitation link is invalid or has expired: ask for a new invitation."),
        code="invalid",
    )
    try:
        data = signing.loads(token, salt=INVITATION_SALT, max_age=invitation_max_age())
        site = Site.objects.select_related("profile").get(pk=data["site"])
        inviter = get_user_model().objects.get(pk=data["by"], is_active=True)
        invitation = Invitation(site, data["role"], data["email"], data.get("name", ""), inviter)
    except (signing.BadSignature, KeyError, TypeError, ObjectDoesNotExist):
        raise invalid from None
    if not may_manage_team(inviter, site) or invitation.role not in ROLE_GROUP_FIELDS:
        raise invalid
    team_group(site, invitation.role)
    return invitation


def accept_invitation(invitation, user):
    """The signed-in holder of the link joins the group."""
    if not user.is_active:
        raise PermissionDenied(_("This account is deactivated; ask a network administrator."))
    group = invitation.group
    if group.user_set.filter(pk=user.pk).exists():
        raise ValidationError(
            _("You are already in %(group)s.") % {"group": group.name}, code="duplicate"
        )
    group.user_set.add(user)
    logger.info(
        "User %s accepted user %s's invitation into group %s",
        user.pk,
        invitation.inviter.pk,
        group.pk,
    )


def create_invited_account(invitation, form):
    """A new account for the holder of the link, with the invited address (proved by the link)."""
    with transaction.atomic():
        user = form.save(commit=False)
        user.email = invitation.email
        user.save()
        accept_invitation(invitation, user)
    return user


def _send_invitation(actor, site, role, email, name, token):
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    context = {
        "inviter": actor.get_full_name() or actor.get_username(),
        "site_name": site.site_name,
        "role": dict(ROLE_CHOICES)[role],
        "name": name.partition(" ")[0],
        "link": base + reverse("maillage_invitation:accept", args=[token]),
        "days": max(1, invitation_max_age() // 86400),
    }
    subject = render_to_string("maillage_sites/team/invitation_subject.txt", context)
    body = render_to_string("maillage_sites/team/invitation_email.txt", context)
    send_mail(" ".join(subject.split()), body, None, [email])
