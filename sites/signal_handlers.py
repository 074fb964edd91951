from django.db.models.signals import post_delete, post_save, pre_save

from wagtail.models import Page, Site
from wagtail.signals import copy_for_translation_done, page_published, post_page_move

from comments.models import Comment
from infra import hosts

from . import network, page_cache, roles


def grant_permissions_on_translated_home(sender, source_obj, target_obj, **kwargs):
    """A translated home page is a sibling of the site's root: its team needs the same rights."""
    site = Site.objects.filter(root_page_id=source_obj.pk).select_related("profile").first()
    profile = getattr(site, "profile", None) if site else None
    if profile is not None:
        roles.grant_site_roles(profile)


def translate_policy_pages_with_home(sender, instance, **kwargs):
    """A translation of a site's home page published: the site's privacy policy and legal notice
    follow, in its language (sites.factory.translate_default_pages). On publication rather than
    on copy_for_translation_done, whose caller then saves the home it holds again."""
    site = network.site_for_page(instance)
    if site is None or site.root_page_id == instance.pk:
        return  # not a site's page, or the site's own root (another Site's, maybe)
    if instance.pk in {home.page_id for home in network.homes(site)}:
        from .factory import translate_default_pages

        if translate_default_pages(site, instance.locale):
            instance.numchild = type(instance).objects.get(pk=instance.pk).numchild


def forget_site_hosts(sender, **kwargs):
    hosts.forget_site_hostnames()
    network.forget()


# --- One map of the network: what follows when a Site's pages change ------------------------


def rekey_comments(paths):
    """Store the current site key (sites.network.site_key) on the comments under these tree
    paths, and under the homes nested in them: comments/ groups by it (rate limit, known
    commenters, digests, counts)."""
    homes = {home.path for home in network.network_map().homes}
    paths = set(paths)
    paths |= {home for home in homes if any(home.startswith(path) for path in paths)}
    for path in sorted(paths, key=len):  # a nested home after the tree holding it
        key = network.site_key_for_path(path)
        Comment.objects.filter(page__path__startswith=path).exclude(site_key=key).update(
            site_key=key
        )


def remember_previous_root(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        return
    instance._maillage_previous_root = (
        Site.objects.filter(pk=instance.pk).values_list("root_page_id", flat=True).first()
    )


def follow_site_pages(sender, instance, raw=False, created=False, **kwargs):
    """A Site made, deleted or given another root page: the homes of the sites sharing its
    translations change (a translated home that is now a Site's root is that Site's alone), so
    the comments there take their new site key and the teams' page permissions follow."""
    if raw:
        return
    roots = {instance.root_page_id, getattr(instance, "_maillage_previous_root", None)}
    if not created and kwargs.get("signal") is post_save and len(roots) == 1:
        return  # the same root page (its host name, say): the same pages
    keys = Page.objects.filter(pk__in=[pk for pk in roots if pk]).values("translation_key")
    network.forget()
    homes = Page.objects.filter(translation_key__in=keys)
    rekey_comments(homes.values_list("path", flat=True))
    sharing = Site.objects.filter(root_page__translation_key__in=keys).exclude(pk=instance.pk)
    for site in [*sharing.select_related("root_page"), instance]:
        if kwargs.get("signal") is post_delete and site.pk == instance.pk:
            continue
        roles.sync_home_permissions(site)


def follow_moved_page(sender, instance, **kwargs):
    """A page moved (maybe to another site): its comments take the site key of where it is."""
    if network.is_home_or_translation(instance):
        network.forget()
    rekey_comments([instance.path])


def forget_map_for_home(sender, instance, **kwargs):
    """A home page or a translation of one saved or deleted: the map may change (a translation
    made, a home's slug changed)."""
    if isinstance(instance, Page) and network.is_home_or_translation(instance):
        network.forget()


def forget_map_for_profile(sender, **kwargs):
    """A site's profile saved or deleted: its status (draft, live, archived) is on the map."""
    network.forget()


def connect():
    from .models import SiteProfile

    copy_for_translation_done.connect(
        grant_permissions_on_translated_home, dispatch_uid="sites.translated_home"
    )
    page_published.connect(
        translate_policy_pages_with_home, dispatch_uid="sites.translated_policy_pages"
    )
    post_save.connect(forget_site_hosts, sender=Site, dispatch_uid="sites.hosts_save")
    post_delete.connect(forget_site_hosts, sender=Site, dispatch_uid="sites.hosts_delete")
    pre_save.connect(remember_previous_root, sender=Site, dispatch_uid="sites.previous_root")
    post_save.connect(follow_site_pages, sender=Site, dispatch_uid="sites.pages_save")
    post_delete.connect(follow_site_pages, sender=Site, dispatch_uid="sites.pages_delete")
    post_page_move.connect(follow_moved_page, dispatch_uid="sites.moved_page")
    post_save.connect(forget_map_for_home, dispatch_uid="sites.map_page_save")
    post_delete.connect(forget_map_for_home, dispatch_uid="sites.map_page_delete")
    for name, signal in (("save", post_save), ("delete", post_delete)):
        uid = f"sites.map_profile_{name}"
        signal.connect(forget_map_for_profile, sender=SiteProfile, dispatch_uid=uid)
    page_cache.connect()
