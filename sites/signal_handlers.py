from django.db.models.signals import post_delete, post_save

from wagtail.models import Site
from wagtail.signals import copy_for_translation_done, page_published

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
    if instance.depth != 2:
        return
    site = (
        Site.objects.filter(root_page__translation_key=instance.translation_key)
        .exclude(root_page_id=instance.pk)
        .first()
    )
    if site is not None:
        from .factory import translate_default_pages

        if translate_default_pages(site, instance.locale):
            instance.numchild = type(instance).objects.get(pk=instance.pk).numchild


def forget_site_hosts(sender, **kwargs):
    hosts.forget_site_hostnames()
    network.forget()


def connect():
    copy_for_translation_done.connect(
        grant_permissions_on_translated_home, dispatch_uid="sites.translated_home"
    )
    page_published.connect(
        translate_policy_pages_with_home, dispatch_uid="sites.translated_policy_pages"
    )
    post_save.connect(forget_site_hosts, sender=Site, dispatch_uid="sites.hosts_save")
    post_delete.connect(forget_site_hosts, sender=Site, dispatch_uid="sites.hosts_delete")
    page_cache.connect()
