"""Translation by site teams: who may translate which page, and how a translation starts.

wagtail-localize checks one global permission (submit_translation, which the site factory gives
each site's editors and administrators) and no site: sites/translation_views.py asks here, in
front of each of its views that names a page. A translation starts as a draft of the source
language (WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False), live only once an editor has
translated and published it; its untranslated parents are started the same way, rather than
made into live aliases of the French pages (wagtail-localize's copy_parent_pages), which would
serve French labelled English at /en/….
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from wagtail.models import Locale, Page, get_page_models
from wagtail_localize.operations import translate_object

from . import roles, scoping


def site_languages():
    """Locales a page may be translated into: those the public site serves (settings.LANGUAGES,
    routed by i18n_patterns); a Locale of another language would have no address."""
    return Locale.objects.filter(language_code__in=[code for code, _name in settings.LANGUAGES])


def may_translate(user, pages):
    """Whether every one of the pages (None: a page not made yet) is on a site the user edits."""
    pages = [page for page in pages if page is not None]
    if roles.is_network_admin(user) or not pages:
        return True
    ids = {page.pk for page in pages}
    return scoping.choosable_pages(user, Page.objects.filter(pk__in=ids)).count() == len(ids)


def is_page_source(source):
    """Whether a wagtail-localize TranslationSource is a page's (rather than a snippet's)."""
    page_types = ContentType.objects.get_for_models(*get_page_models()).values()
    return source.specific_content_type_id in {content_type.pk for content_type in page_types}


def page_in(translation_key, locale_id):
    return Page.objects.filter(translation_key=translation_key, locale_id=locale_id).first()


def translation_pages(translation):
    """The source page and the target page (None if not made) of a page's Translation."""
    source = translation.source
    return [
        page_in(source.object_id, source.locale_id),
        page_in(source.object_id, translation.target_locale_id),
    ]


def source_pages(source):
    """A page's TranslationSource: the source page and the targets of its translations."""
    keys = [source.locale_id, *source.translations.values_list("target_locale_id", flat=True)]
    return list(Page.objects.filter(translation_key=source.object_id, locale_id__in=keys))


def translate_ancestors(page, locales, user=None):
    """Start the translation of each of the page's parents not yet translated into the locales,
    from its site's home down, as drafts: wagtail-localize would make them live aliases of the
    source language's pages. A parent that is such an alias becomes a draft translation."""
    for ancestor in page.get_ancestors().filter(depth__gt=1).specific():
        for locale in locales:
            existing = ancestor.get_translation_or_none(locale)
            if existing is not None and existing.alias_of_id is None:
                continue
            translate_object(ancestor, [locale], user=user)
            if existing is not None and existing.live:
                Page.objects.get(pk=existing.pk).specific.unpublish(user=user)


ENGLISH = "en"


@transaction.atomic
def start_home_translations(home, user=None):
    """A new site's home in English when the network has English (a Locale "en"), started
    through wagtail-localize (a TranslationSource of the home, a Translation to English) as a
    draft copy, for the site's editors to translate and publish. Returns the translated homes."""
    locales = list(site_languages().filter(language_code=ENGLISH).exclude(pk=home.locale_id))
    if not locales:
        return []
    translate_object(home, locales, user=user)
    return [home.get_translation(locale) for locale in locales]
