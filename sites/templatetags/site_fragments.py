"""Parts of public pages kept in the cache between renders (infra.page_cache.fragment), under the
tags sites/page_cache.py gives them, so that they are thrown away exactly when what they show
changes.

    {% load site_fragments %}
    {% fragment_for_page "comments" page %}…{% endfragment_for_page %}  (this address only)
    {% fragment_for_site "footer" %}…{% endfragment_for_site %}        (every page of the site)
"""

from django import template
from django.utils.safestring import mark_safe

from wagtail.models import Site

from infra import page_cache

from .. import page_cache as rules

register = template.Library()


class FragmentNode(template.Node):
    def __init__(self, nodelist, name, page=None):
        self.nodelist, self.name, self.page = nodelist, name, page

    def render(self, context):
        request = context.get("request")
        name = self.name.resolve(context)
        if self.page is None:
            site = Site.find_for_request(request) if request is not None else None
            tags, per_path = ([page_cache.site_tag(site.pk)] if site else []), False
        else:
            page = self.page.resolve(context)
            tags, per_path = rules.fragment_tags(page, request), True
        html = page_cache.fragment(
            request, name, tags, lambda: self.nodelist.render(context), per_path=per_path
        )
        return mark_safe(html)  # noqa: S308 (rendered by this template, or by it earlier)


def _parse(parser, token, end, arguments):
    bits = token.split_contents()
    if len(bits) != arguments + 1:
        raise template.TemplateSyntaxError(f"{bits[0]} takes {arguments} argument(s)")
    nodelist = parser.parse((end,))
    parser.delete_first_token()
    return nodelist, [parser.compile_filter(bit) for bit in bits[1:]]


@register.tag
def fragment_for_page(parser, token):
    """Kept for this address until the page, its sites or their settings change."""
    nodelist, (name, page) = _parse(parser, token, "endfragment_for_page", 2)
    return FragmentNode(nodelist, name, page)


@register.tag
def fragment_for_site(parser, token):
    """Kept for every page of the current site until anything on the site changes."""
    nodelist, (name,) = _parse(parser, token, "endfragment_for_site", 1)
    return FragmentNode(nodelist, name)


@register.simple_tag(takes_context=True)
def site_menu(context):
    """The site's main menu in the reader's language (the home page's live children shown in
    menus), as [{"pk", "title", "url"}]: kept until anything on the site changes."""
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        return []

    def items():
        home = site.root_page.localized
        return [
            {"pk": item.pk, "title": item.title, "url": item.get_url(request)}
            for item in home.get_children().live().in_menu()
        ]

    return page_cache.fragment(
        request, "menu", [page_cache.site_tag(site.pk)], items, per_path=False
    )
