"""What each admin user sees: everything narrowed to the sites they work on.

Wagtail already scopes pages (page permissions on each site's home page), images and documents
(collection permissions) and site settings (GroupSitePermission). What it leaves global, this
module narrows: the page chooser, redirects, the translations report, the images and documents of
the admin API and the bulk actions' confirmation pages. Network administrators (and superusers)
see everything. The rules ask sites/roles.py who holds which role where; the admin wiring is in
sites/hooks/scoping.py and sites/redirect_views.py.
"""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, Site, get_page_models
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry

from . import network, roles

# --- Pages -------------------------------------------------------------------------------------


def choosable_pages(user, pages):
    """Narrow a page queryset to the sites the user edits; network administrators keep all."""
    if roles.is_network_admin(user):
        return pages
    return pages.filter(network.pages_condition(roles.sites_for_user(user, roles.EDITOR)))


def may_browse_page(user, page):
    """Whether the page chooser may open this page: the tree's root (whose children are then
    narrowed) or a page of a site the user edits."""
    if page.is_root() or roles.is_network_admin(user):
        return True
    return choosable_pages(user, Page.objects.filter(pk=page.pk)).exists()


def visible_translations(user, translations):
    """Narrow wagtail-localize Translations to those of the pages of the user's sites and of the
    network's own objects (authors, categories); network administrators keep all."""
    if roles.is_network_admin(user):
        return translations
    page_types = ContentType.objects.get_for_models(*get_page_models()).values()
    own_pages = choosable_pages(user, Page.objects.all()).values("translation_key")
    return translations.filter(
        ~Q(source__specific_content_type__in=page_types) | Q(source__object_id__in=own_pages)
    )


# --- Images and documents ----------------------------------------------------------------------

# Any of these on a collection makes its images or documents the user's to see.
MEDIA_ACTIONS = ("add", "change", "delete", "choose")


def visible_media(user, media):
    """Narrow a queryset of images or documents to those of the collections the user works with
    (their sites' collections; every one for network administrators), as Wagtail's own views do.
    Wagtail's admin API and the bulk actions' confirmation pages read every collection."""
    policy = policy_registry.get_by_type(media.model)
    visible = policy.instances_user_has_any_permission_for(user, MEDIA_ACTIONS)
    return media.filter(pk__in=visible.values("pk"))


# --- Redirects ---------------------------------------------------------------------------------


def redirect_sites(user):
    """Sites whose redirects the user manages: those they edit (editors and administrators)."""
    return roles.sites_for_user(user, roles.EDITOR)


def may_redirect_all_sites(user):
    """Redirects that apply to every site (site left empty) are for network administrators."""
    return roles.is_network_admin(user)


def manageable_redirects(user, redirects=None):
    redirects = Redirect.objects.all() if redirects is None else redirects
    if may_redirect_all_sites(user):
        return redirects
    return redirects.filter(site__in=redirect_sites(user))


def may_manage_redirect(user, redirect):
    if may_redirect_all_sites(user):
        return True
    if redirect.site_id is None:
        return False
    return redirect_sites(user).filter(pk=redirect.site_id).exists()


def _network_administrators_condition(prefix=""):
    return Q(**{f"{prefix}is_superuser": True}) | Q(
        **{f"{prefix}groups__name": roles.NETWORK_ADMINISTRATORS}
    )


class SiteScopedRedirectPermissionPolicy(ModelPermissionPolicy):
    """Wagtail's redirect permissions (add/change/delete_redirect), limited per instance to the
    redirects of the user's sites. Registered in place of Wagtail's own by sites/hooks/scoping.py.
    """

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and may_manage_redirect(user, instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.user_has_any_permission(user, actions) and may_manage_redirect(user, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return self.model._default_manager.none()
        return manageable_redirects(user, self.model._default_manager.all())

    def users_with_any_permission_for_instance(self, actions, instance):
        users = self.users_with_any_permission(actions).filter(is_active=True)
        condition = _network_administrators_condition()
        if instance.site_id is not None:
            site = Site.objects.filter(pk=instance.site_id).first()
            if site is not None:
                condition |= Q(pk__in=roles.users_with_role(site, roles.EDITOR).values("pk"))
        return users.filter(condition).distinct()


# --- Log entries (the site history report) -----------------------------------------------------


def visible_log_entries(user, entries):
    """Narrow a queryset of page or model log entries to what the user may know of: the pages of
    the sites they edit; redirects, images and documents of their sites; other objects (the
    network's authors, categories…) as changed by themselves or their sites' teams. Wagtail's
    site history listed every site's entries, with other sites' usernames."""
    from django.contrib.auth import get_user_model
    from django.db.models import CharField
    from django.db.models.functions import Cast

    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import PageLogEntry

    if roles.is_network_admin(user):
        return entries
    if issubclass(entries.model, PageLogEntry):
        return entries.filter(page__in=choosable_pages(user, Page.objects.all()).values("pk"))

    def ids(queryset):
        return queryset.annotate(str_pk=Cast("pk", CharField())).values("str_pk")

    scoped = {
        Redirect: manageable_redirects(user),
        get_image_model(): visible_media(user, get_image_model().objects.all()),
        get_document_model(): visible_media(user, get_document_model().objects.all()),
    }
    types = ContentType.objects.get_for_models(*scoped)
    condition = Q(pk__in=[])
    for model, visible in scoped.items():
        condition |= Q(content_type=types[model], object_id__in=ids(visible))
    colleagues = get_user_model().objects.filter(Q(pk=user.pk) | Q(groups__in=_team_groups(user)))
    condition |= ~Q(content_type__in=types.values()) & Q(user_id__in=colleagues.values("pk"))
    return entries.filter(condition)


def _team_groups(user):
    """The ids of the groups of every site the user has a role on."""
    # By name: sites.models imports what imports this module, never the reverse.
    SiteProfile = apps.get_model("maillage_sites", "SiteProfile")  # noqa: N806
    sites = Site.objects.none()
    for role in roles.ROLES:
        sites = sites | roles.sites_for_user(user, role)
    rows = SiteProfile.objects.filter(site__in=sites).values_list(
        "editors_id", "moderators_id", "administrators_id"
    )
    return {pk for row in rows for pk in row if pk}


def last_edited_page(user, content_type):
    """The page of this type last edited on the user's sites (the page types report named the
    network's latest draft, whatever its site)."""
    from django.db.models import F

    pages = choosable_pages(user, Page.objects.filter(content_type=content_type))
    order = (F("latest_revision_created_at").desc(nulls_last=True), "title", "-pk")
    return pages.order_by(*order).specific().first()
