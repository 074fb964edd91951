"""Keep the unpublication clock (comments.lifecycle) in step with Wagtail's page signals."""

from wagtail.signals import page_published, page_unpublished

from . import lifecycle


def start_clock(sender, instance, **kwargs):
    lifecycle.page_unpublished(instance)


def stop_clock(sender, instance, **kwargs):
    lifecycle.page_published(instance)


def connect():
    page_unpublished.connect(start_clock, dispatch_uid="comments.start_clock")
    page_published.connect(stop_clock, dispatch_uid="comments.stop_clock")
