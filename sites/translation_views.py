"""wagtail-localize's views that name a page, each behind a site check (sites/translation.py).

wagtail-localize lets anyone with its global submit_translation permission (which each site's
editors and administrators have) submit or update the translation of any page, and its editor's
views and APIs ask only whether the user may edit the target page. These subclasses and wrappers
first refuse a page, a translation or a translation source of another site, for the source page
and the target page alike. hub/urls.py mounts `urls` under admin/localize/ ahead of Wagtail's
admin URLs, at wagtail-localize's paths, so every reverse() of its names resolves here. The
translation editor itself is Wagtail's page edit view (wagtail-localize's before_edit_page hook),
which Wagtail's page permissions already keep to the user's sites, as they do "restart
translation" and "convert to alias" started from it.
"""

import functools

from django import forms
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.urls import path
from django.views.decorators.cache import never_cache

from wagtail.admin.auth import require_admin_access
from wagtail.models import Page
from wagtail.permissions import policy_registry
from wagtail.utils.urlpatterns import decorate_urlpatterns
from wagtail_localize.models import Translation, TranslationSource
from wagtail_localize.views import (
    convert,
    edit_translation,
    submit_translations,
    update_translations,
)

from . import roles, scoping, translation


def _refuse_unless(user, pages):
    if not translation.may_translate(user, pages):
        raise PermissionDenied


class SiteScopedSubmitPageTranslationView(submit_translations.SubmitPageTranslationView):
    """Only a page of the user's sites; only the languages the public site serves; the subtree
    only if it holds no page of another site (a site nested in this one)."""

    def get_object(self):
        page = super().get_object()
        _refuse_unless(self.request.user, [page])
        return page

    def get_form(self):
        form = super().get_form()
        locales = form.fields["locales"]
        locales.queryset = locales.queryset.filter(pk__in=translation.site_languages())
        if not self._may_include_subtree():
            form.fields["include_subtree"].widget = forms.HiddenInput()
        return form

    def _may_include_subtree(self):
        user = self.request.user
        if roles.is_network_admin(user):
            return True
        descendants = self.object.get_descendants()
        return scoping.choosable_pages(user, descendants).count() == descendants.count()

    @transaction.atomic
    def form_valid(self, form):
        if not self._may_include_subtree():
            form.cleaned_data["include_subtree"] = False
        translation.translate_ancestors(
            self.object, form.cleaned_data["locales"], self.request.user
        )
        return super().form_valid(form)


class NetworkSubmitSnippetTranslationView(submit_translations.SubmitSnippetTranslationView):
    """Snippets (authors, categories) belong to no site's page tree: translating one stays the
    network administrators' (the permission site teams hold is for their pages)."""

    def dispatch(self, request, *args, **kwargs):
        if not roles.is_network_admin(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class SiteScopedUpdateTranslationsView(update_translations.UpdateTranslationsView):
    """Syncing (and maybe publishing) a source's translations: the source page and every
    target page must be the user's; a snippet's, the network administrators'."""

    def get_object(self):
        source = super().get_object()
        user = self.request.user
        if not translation.is_page_source(source):
            if not roles.is_network_admin(user):
                raise PermissionDenied
        else:
            _refuse_unless(user, translation.source_pages(source))
        return source


def _refuse_unless_snippet_editable(user, source):
    """A snippet's translation: the user may change the snippet, as its permission policy says
    per instance (wagtail-localize asks only for the model's permission: any site's author)."""
    instance = source.get_source_instance()
    policy = policy_registry.get_by_type(type(instance))
    if not policy.user_has_permission_for_instance(user, "change", instance):
        raise PermissionDenied


def translation_of_own_pages(view):
    """For the views taking a translation_id: a page's translation must have its source page
    and its target page on the user's sites; a snippet's, a snippet the user may change."""

    @functools.wraps(view)
    def wrapper(request, translation_id, *args, **kwargs):
        found = get_object_or_404(Translation.objects.select_related("source"), pk=translation_id)
        if translation.is_page_source(found.source):
            _refuse_unless(request.user, translation.translation_pages(found))
        else:
            _refuse_unless_snippet_editable(request.user, found.source)
        return view(request, translation_id, *args, **kwargs)

    return wrapper


def convert_to_alias(request, page_id):
    """The page, and the source page it would become an alias of, must be the user's."""
    page = get_object_or_404(Page, pk=page_id)
    source = TranslationSource.objects.filter(
        object_id=page.translation_key, translations__target_locale=page.locale_id
    ).first()
    pages = [page]
    if source is not None:
        pages.append(translation.page_in(page.translation_key, source.locale_id))
    _refuse_unless(request.user, pages)
    return convert.convert_to_alias(request, page_id)


_translate = "translate/<int:translation_id>/"
_own = translation_of_own_pages

urls = decorate_urlpatterns(
    decorate_urlpatterns(
        [
            path(
                "submit/page/<int:page_id>/",
                SiteScopedSubmitPageTranslationView.as_view(),
                name="submit_page_translation",
            ),
            path(
                "submit/snippet/<slug:app_label>/<slug:model_name>/<str:pk>/",
                NetworkSubmitSnippetTranslationView.as_view(),
                name="submit_snippet_translation",
            ),
            path(
                "update/<int:translation_source_id>/",
                SiteScopedUpdateTranslationsView.as_view(),
                name="update_translations",
            ),
            path(
                _translate + "strings/<int:string_segment_id>/edit/",
                _own(edit_translation.edit_string_translation),
                name="edit_string_translation",
            ),
            path(
                _translate + "overrides/<int:overridable_segment_id>/edit/",
                _own(edit_translation.edit_override),
                name="edit_override",
            ),
            path(
                _translate + "pofile/download/",
                _own(edit_translation.download_pofile),
                name="download_pofile",
            ),
            path(
                _translate + "pofile/upload/",
                _own(edit_translation.upload_pofile),
                name="upload_pofile",
            ),
            path(
                _translate + "machine_translate/",
                _own(edit_translation.machine_translate),
                name="machine_translate",
            ),
            path(
                _translate + "preview/",
                _own(edit_translation.preview_translation),
                name="preview_translation",
            ),
            path(
                _translate + "preview/<str:mode>/",
                _own(edit_translation.preview_translation),
                name="preview_translation",
            ),
            path(
                _translate + "disable/",
                _own(edit_translation.stop_translation),
                name="stop_translation",
            ),
            path("page/<int:page_id>/convert_to_alias/", convert_to_alias, name="convert_to_alias"),
        ],
        require_admin_access,
    ),
    never_cache,
)
