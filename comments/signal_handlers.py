"""Keep the unpublication clock (comments.lifecycle) in step with Wagtail's page signals."""

from django.db.models.signals import post_delete

from wagtail.models import get_page_models
from wagtail.signals import page_published, page_unpublished

from . import lifecycle


def start_clock(sender, instance, **kwargs):
    lifecycle.page_unpublished(instance)


def stop_clock(sender, instance, **kwargs):
    lifecycle.page_published(instance)


def drop_clock(sender, instance, **kwargs):
    """A live page being deleted is unpublished first (by Wagtail's pre_delete), which starts its
    clock after Django has collected what the deletion cascades to: the row must go too, or the
    transaction fails on its foreign key."""
    lifecycle.page_published(instance)


def connect():
    page_unpublished.connect(start_clock, dispatch_uid="comments.start_clock")
    page_published.connect(stop_clock, dispatch_uid="comments.stop_clock")
    for model in get_page_models():
        post_delete.connect(
            drop_clock, sender=model, dispatch_uid=f"comments.drop_clock.{model._meta.label}"
        )
