"""Showing shared translatable snippets (authors, categories) in the reader's language.

wagtail-localize keeps a translated post's categories and authors pointing at the source
language's objects; pages show each one's translation in the page's locale when it exists, found
for a whole listing in one query.
"""


def localize(objects, locale):
    """Each object in `locale` when a translation exists, else the object itself; order kept."""
    objects = list(objects)
    foreign = [obj for obj in objects if obj.locale_id != locale.pk]
    if not foreign:
        return objects
    model = type(foreign[0])
    translations = {
        obj.translation_key: obj
        for obj in model.objects.filter(
            translation_key__in={obj.translation_key for obj in foreign}, locale=locale
        )
    }
    return [
        obj if obj.locale_id == locale.pk else translations.get(obj.translation_key, obj)
        for obj in objects
    ]


def localize_groups(groups, locale):
    """Localize several lists at once (e.g. each post's categories): one query in all."""
    groups = [list(group) for group in groups]
    flat = [obj for group in groups for obj in group]
    localized = iter(localize(flat, locale))
    return [[next(localized) for _ in group] for group in groups]
