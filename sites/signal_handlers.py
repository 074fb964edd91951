from django.db.models.signals import post_delete, post_save

from wagtail.models import Site
from wagtail.signals import copy_for_translation_done

from hub import hosts

from . import page_cache, roles


def grant_permissions_on_translated_home(sender, source_obj, target_obj, **kwargs):
    """A translated home page is a sibling of the site's root: its team needs the same rights."""
    site = Site.objects.filter(root_page_id=source_obj.pk).select_related("profile").first()
    profile = getattr(site, "profile", None) if site else None
    if profile is not None:
        roles.grant_site_roles(profile)


def forget_site_hosts(sender, **kwargs):
    hosts.forget_site_hostnames()


def connect():
    copy_for_translation_done.connect(
        grant_permissions_on_translated_home, dispatch_uid="sites.translated_home"
    )
    post_save.connect(forget_site_hosts, sender=Site, dispatch_uid="sites.hosts_save")
    post_delete.connect(forget_site_hosts, sender=Site, dispatch_uid="sites.hosts_delete")
    page_cache.connect()
