"""Who may do what on which site: the one place that answers it.

Each site has three groups made by the site factory (editors, moderators, administrators), linked
from its SiteProfile. Network administrators (the group below, or superusers) may do everything
everywhere. The dashboard, the choosers, the team views and comment moderation all ask here.
"""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db.models import Count, Q

from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    GroupSitePermission,
    Page,
    Site,
)

from . import network

NETWORK_ADMINISTRATORS = "Network administrators"

EDITOR = "editor"
MODERATOR = "moderator"
ADMINISTRATOR = "administrator"
ROLES = (EDITOR, MODERATOR, ADMINISTRATOR)

# Which profile groups grant a role: an administrator can do what editors and moderators do.
_GROUPS_FOR_ROLE = {
    EDITOR: ("editors", "administrators"),
    MODERATOR: ("moderators", "administrators"),
    ADMINISTRATOR: ("administrators",),
}

EDITOR_PAGE_PERMISSIONS = ("add", "change", "publish")
ADMINISTRATOR_PAGE_PERMISSIONS = ("add", "change", "publish", "lock", "unlock")
MEDIA_PERMISSIONS = (
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtailimages", "delete_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
    ("wagtaildocs", "delete_document"),
)
REDIRECT_PERMISSIONS = ("add_redirect", "change_redirect", "delete_redirect")
# wagtail-localize's one global permission to start and sync translations: editors and
# administrators hold it for their own site's pages (sites/translation_views.py checks the site).
TRANSLATE_PERMISSION = ("wagtail_localize", "submit_translation")


def _permission(app_label, codename):
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def is_network_admin(user):
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    cache = getattr(user, "_maillage_is_network_admin", None)
    if cache is None:
        cache = user.groups.filter(name=NETWORK_ADMINISTRATORS).exists()
        user._maillage_is_network_admin = cache
    return cache


def sites_for_user(user, role=EDITOR):
    """The Sites on which the user holds the role (all of them for network administrators)."""
    if role not in ROLES:
        raise ValueError(f"Unknown role {role!r}; expected one of {ROLES}.")
    if is_network_admin(user):
        return Site.objects.all()
    if not user.is_authenticated or not user.is_active:
        return Site.objects.none()
    condition = Q()
    for field in _GROUPS_FOR_ROLE[role]:
        condition |= Q(**{f"profile__{field}__user": user})
    return Site.objects.filter(condition).distinct()


def has_role(user, site, role=EDITOR):
    return sites_for_user(user, role).filter(pk=site.pk).exists()


def site_for_page(page):
    """The Site a page belongs to, translations included: sites.network.site_for_page."""
    return network.site_for_page(page)


def users_with_role(site, role):
    """Active users holding the role on this site, network administrators not included."""
    profile = getattr(site, "profile", None)
    if profile is None:
        return get_user_model().objects.none()
    group_ids = [
        getattr(profile, f"{field}_id")
        for field in _GROUPS_FOR_ROLE[role]
        if getattr(profile, f"{field}_id")
    ]
    return get_user_model().objects.filter(is_active=True, groups__in=group_ids).distinct()


def _reachable(users):
    """Those of the users who are active and have an e-mail address."""
    return users.filter(is_active=True).exclude(email="")


def network_administrators():
    """Active users of the network administrators group and superusers (is_network_admin)."""
    condition = Q(is_superuser=True) | Q(groups__name=NETWORK_ADMINISTRATORS)
    return get_user_model().objects.filter(condition, is_active=True).distinct()


def moderators_for_page(page):
    """Used by comments/ (through a setting) to know who moderates a page's comments, and so
    who gets its site's digest: the site's moderators and administrators (both hold the
    moderator role), active and with an e-mail address; if the site has none, the network
    administrators, so that no pending comment goes unseen. Two queries at most (and the one
    that finds the site); a list."""
    site = site_for_page(page)
    if site is None:
        return []
    team = list(_reachable(users_with_role(site, MODERATOR)))
    return team or list(_reachable(network_administrators()))


def moderation_staffing(sites):
    """{site id: (moderators, administrators)}: how many active users with an e-mail address
    are in each site's moderators and administrators groups, in one query (the dashboard flags
    the sites with no moderator: their digest goes to the administrators, or the network's)."""
    # The sites come with select_related("profile"): reading their groups' ids costs nothing.
    profiles = {site.pk: getattr(site, "profile", None) for site in sites}
    group_ids = {
        group_id
        for profile in profiles.values()
        if profile is not None
        for group_id in (profile.moderators_id, profile.administrators_id)
        if group_id
    }
    members = (
        get_user_model()
        .groups.through.objects.filter(group_id__in=group_ids, user__is_active=True)
        .exclude(user__email="")
    )
    counts = dict(
        members.order_by()
        .values("group_id")
        .annotate(count=Count("user_id", distinct=True))
        .values_list("group_id", "count")
    )
    return {
        site_id: (
            (counts.get(profile.moderators_id, 0), counts.get(profile.administrators_id, 0))
            if profile is not None
            else (0, 0)
        )
        for site_id, profile in profiles.items()
    }


def comment_scope_for_user(user):
    """Used by comments/ (through COMMENTS_MODERATION_SCOPE): the pages whose comments the user
    moderates, or None for every page (network administrators and superusers).

    A moderator's pages are those of the sites they moderate (sites.network: their homes, the
    translations that are no other Site's root, and what is below). One query reads the sites;
    the result is a lazy queryset, used as a subquery (Comment.objects.filter(page__in=scope)).
    """
    if is_network_admin(user):
        return None
    sites = list(sites_for_user(user, MODERATOR).values_list("pk", flat=True))
    if not sites:
        return Page.objects.none()
    return Page.objects.filter(network.pages_condition(sites))


def manageable_groups(user):
    """Groups whose members the user may add or remove: their sites' three groups."""
    if is_network_admin(user):
        return Group.objects.all()
    sites = sites_for_user(user, ADMINISTRATOR)
    ids = set()
    for profile in _profiles(sites):
        ids.update(group.pk for group in profile.groups)
    return Group.objects.filter(pk__in=ids)


def _profiles(sites):
    # By name: sites.models imports this module (is_network_admin), never the reverse.
    SiteProfile = apps.get_model("maillage_sites", "SiteProfile")  # noqa: N806
    return SiteProfile.objects.filter(site__in=sites).select_related(
        "editors", "moderators", "administrators"
    )


# --- Granting, used by the site factory --------------------------------------------------------


def _home_pages(site):
    """The site's root page and its translations that are no other Site's root
    (sites.network.home_pages): each needs the same page permissions."""
    return network.home_pages(site)


def grant_page_permissions(group, site, permission_types):
    for page in _home_pages(site):
        for permission_type in permission_types:
            if not GroupPagePermission.objects.filter(
                group=group, page=page, permission__codename=f"{permission_type}_page"
            ).exists():
                GroupPagePermission.objects.create(
                    group=group, page=page, permission_type=permission_type
                )


def sync_home_permissions(site):
    """After a Site changed (made, its root page changed, deleted): the site's editors and
    administrators have their page permissions on each of its homes, and none on a translation
    of its home that is now another Site's root (copy_for_translation_done had granted them)."""
    profile = getattr(site, "profile", None)
    if profile is None:
        return
    groups = [group for group in (profile.editors, profile.administrators) if group is not None]
    strays = Page.objects.filter(translation_key=site.root_page.translation_key).exclude(
        pk__in=_home_pages(site).values("pk")
    )
    GroupPagePermission.objects.filter(group__in=groups, page__in=strays).delete()
    for group, page_permissions in (
        (profile.editors, EDITOR_PAGE_PERMISSIONS),
        (profile.administrators, ADMINISTRATOR_PAGE_PERMISSIONS),
    ):
        if group is not None:
            grant_page_permissions(group, site, page_permissions)


def _permissions_by_key(keys):
    """The Permission rows named by (app_label, codename) pairs, in one query; a missing one
    raises Permission.DoesNotExist, as Permission.objects.get would."""
    condition = Q()
    for app_label, codename in keys:
        condition |= Q(content_type__app_label=app_label, codename=codename)
    rows = Permission.objects.filter(condition).select_related("content_type")
    found = {(row.content_type.app_label, row.codename): row for row in rows}
    missing = set(keys) - set(found)
    if missing:
        raise Permission.DoesNotExist(f"No permission {sorted(missing)}.")
    return found


def _create_missing(model, fields, wanted):
    """Insert the rows of `wanted` (tuples of ids, in the order of `fields`) that do not exist
    yet: one query reads the existing ones, one inserts the others."""
    wanted = list(dict.fromkeys(wanted))
    if not wanted:
        return
    candidates = {f"{field}__in": {row[n] for row in wanted} for n, field in enumerate(fields)}
    existing = set(model.objects.filter(**candidates).values_list(*fields))
    model.objects.bulk_create(
        model(**dict(zip(fields, row, strict=True))) for row in wanted if row not in existing
    )


def grant_site_roles(profile):
    """Give the site's three groups their permissions (idempotent): one query for the permissions,
    then each kind of grant read and inserted in bulk."""
    site = profile.site
    page_types = dict.fromkeys(EDITOR_PAGE_PERMISSIONS + ADMINISTRATOR_PAGE_PERMISSIONS)
    access_admin = ("wagtailadmin", "access_admin")
    change_settings = ("maillage_sites", "change_sitesettings")
    redirects = [("wagtailredirects", codename) for codename in REDIRECT_PERMISSIONS]
    pages = {kind: ("wagtailcore", f"{kind}_page") for kind in page_types}
    keys = [access_admin, change_settings, TRANSLATE_PERMISSION, *redirects, *MEDIA_PERMISSIONS]
    keys += pages.values()
    ids = {key: row.pk for key, row in _permissions_by_key(keys).items()}

    group_permissions, page_permissions, collection_permissions, site_permissions = [], [], [], []
    for group in profile.groups:
        group_permissions.append((group, access_admin))
    homes = list(_home_pages(site)) if (profile.editors or profile.administrators) else []
    for group, kinds in (
        (profile.editors, EDITOR_PAGE_PERMISSIONS),
        (profile.administrators, ADMINISTRATOR_PAGE_PERMISSIONS),
    ):
        if group is None:
            continue
        page_permissions += [(group, home, pages[kind]) for home in homes for kind in kinds]
        if profile.collection_id:
            collection_permissions += [(group, key) for key in MEDIA_PERMISSIONS]
        site_permissions.append(group)
        group_permissions += [(group, key) for key in (*redirects, TRANSLATE_PERMISSION)]
    if profile.moderators is not None:
        site_permissions.append(profile.moderators)  # the comment policy: sites.settings_roles
    network_administrators = ensure_network_administrators()
    site_permissions.append(network_administrators)
    group_permissions.append((network_administrators, TRANSLATE_PERMISSION))

    _create_missing(
        Group.permissions.through,
        ("group_id", "permission_id"),
        [(group.pk, ids[key]) for group, key in group_permissions],
    )
    _create_missing(
        GroupPagePermission,
        ("group_id", "page_id", "permission_id"),
        [(group.pk, home.pk, ids[key]) for group, home, key in page_permissions],
    )
    _create_missing(
        GroupCollectionPermission,
        ("group_id", "collection_id", "permission_id"),
        [(group.pk, profile.collection_id, ids[key]) for group, key in collection_permissions],
    )
    _create_missing(
        GroupSitePermission,
        ("group_id", "site_id", "permission_id"),
        [(group.pk, site.pk, ids[change_settings]) for group in site_permissions],
    )


def ensure_network_administrators():
    """The network administrators group, with rights over the whole tree and every collection."""
    group, created = Group.objects.get_or_create(name=NETWORK_ADMINISTRATORS)
    if created:
        group.permissions.add(
            _permission("wagtailadmin", "access_admin"),
            *[_permission("wagtailredirects", c) for c in REDIRECT_PERMISSIONS],
            *Permission.objects.filter(
                content_type__app_label="auth",
                codename__in=["add_user", "change_user", "delete_user", "view_user"],
            ),
            *Permission.objects.filter(
                content_type__app_label="wagtailcore",
                codename__in=["add_site", "change_site", "delete_site"],
            ),
        )
        root = Page.get_first_root_node()
        for permission_type in ("add", "change", "publish", "bulk_delete", "lock", "unlock"):
            GroupPagePermission.objects.create(
                group=group, page=root, permission_type=permission_type
            )
        root_collection = Collection.get_first_root_node()
        for app_label, codename in MEDIA_PERMISSIONS:
            GroupCollectionPermission.objects.create(
                group=group, collection=root_collection, permission=_permission(app_label, codename)
            )
    return group
