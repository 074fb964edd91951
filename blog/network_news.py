"""The filters of the network news (NetworkNewsPage): by site, kind of site and category.

They come from a plain GET form, so that they work without JavaScript and every filtered listing
and feed has its own address. A value that matches nothing known (a site id that does not exist,
an unknown kind or category) never makes an error page: the listing shows that nothing matches.

This module does not import blog.models: the page passes in what the filters choose from.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django import forms
from django.utils.translation import gettext_lazy as _

from sites.models import SiteKind

FILTERS = ("site", "kind", "category")


def site_kind(site):
    """The site's kind in the network (SiteKind), or None for a site without a profile."""
    return getattr(getattr(site, "profile", None), "kind", None)


class NewsFilterForm(forms.Form):
    """The filters as a form: `sites` (Site objects, in the order shown), `categories` (the
    categories offered, in the page's language where translated) and `categories_by_slug` (every
    slug the listing's links may use)."""

    site = forms.ChoiceField(label=_("Site"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind of site"),
        required=False,
        choices=[("", _("All kinds of site")), *SiteKind.choices],
    )
    category = forms.CharField(label=_("Category"), required=False, widget=forms.Select)

    def __init__(self, data, *, sites, categories, categories_by_slug):
        super().__init__(data, auto_id="news-filter-%s", label_suffix="")
        self.sites = {str(site.pk): site for site in sites}
        self.categories_by_slug = categories_by_slug
        self.fields["site"].choices = [
            ("", _("All sites")),
            *[(str(site.pk), site.site_name or site.hostname) for site in sites],
        ]
        self.fields["category"].widget.choices = [
            ("", _("All categories")),
            *[(category.slug, category.name) for category in categories],
        ]

    def clean_site(self):
        value = self.cleaned_data["site"]
        return self.sites[value] if value else None

    def clean_category(self):
        slug = self.cleaned_data["category"]
        if not slug:
            return None
        category = self.categories_by_slug.get(slug)
        if category is None:
            raise forms.ValidationError(_("There is no such category."), code="invalid_choice")
        return category


@dataclass(frozen=True)
class NewsFilters:
    """The filters a reader asked for. `valid` is False when one of them matches nothing known;
    `query` holds them as a query string (without the page number), for pagination and feeds."""

    form: NewsFilterForm
    valid: bool = True
    site: object = None
    kind: str = ""
    category: object = None
    query: str = ""
    labels: list = field(default_factory=list)

    @property
    def active(self):
        return bool(self.query)


def read_filters(data, *, sites, categories, categories_by_slug):
    """The filters in `data` (request.GET), checked against the network's sites and categories."""
    form = NewsFilterForm(
        data, sites=sites, categories=categories, categories_by_slug=categories_by_slug
    )
    valid = form.is_valid()
    cleaned = form.cleaned_data
    site, kind, category = cleaned.get("site"), cleaned.get("kind", ""), cleaned.get("category")
    labels = [
        site and (site.site_name or site.hostname),
        kind and SiteKind(kind).label,
        category and category.name,
    ]
    return NewsFilters(
        form=form,
        valid=valid,
        site=site,
        kind=kind,
        category=category,
        query=urlencode([(name, data[name]) for name in FILTERS if data.get(name)]),
        labels=[label for label in labels if label],
    )
