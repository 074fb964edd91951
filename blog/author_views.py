"""The authors' admin views, each narrowed to the authors the user may see (rules in
blog/authors.py).

Subclasses of Wagtail's snippet and chooser views and of wagtail-localize's snippets API, put in
place through the extension points Wagtail offers: AuthorViewSet's view classes and chooser
viewset (blog/wagtail_hooks.py), the bulk action registry, and a register_admin_urls hook
mounted ahead of wagtail-localize's for its author URLs. An author the user may not see answers
404, as if it did not exist.
"""

from django.urls import path

from wagtail.snippets.bulk_actions.delete import DeleteBulkAction
from wagtail.snippets.views import chooser, snippets
from wagtail_localize.views import snippets_api

from sites.admin_overrides import OwnSitesBulkActionMixin

from . import authors
from .models import Author

# --- The snippet views: the authors of the user's sites ------------------------------------------


class ManageableMixin:
    """For the views that find their object through get_queryset() (edit, delete)."""

    def get_queryset(self):
        return authors.manageable(self.request.user, super().get_queryset())


class ManageableObjectMixin:
    """For the views that find it through get_base_object_queryset() (usage, history)."""

    def get_base_object_queryset(self):
        return authors.manageable(self.request.user, super().get_base_object_queryset())


class EditView(ManageableMixin, snippets.EditView):
    """Also wagtail-localize's translation editor of a translated author (its before_edit_snippet
    hook runs once the object is found)."""


class DeleteView(ManageableMixin, snippets.DeleteView):
    pass


class UsageView(ManageableObjectMixin, snippets.UsageView):
    pass


class HistoryView(ManageableObjectMixin, snippets.HistoryView):
    pass


# The copy view asks the permission policy about its object (AuthorPermissionPolicy).


# --- The chooser: the user's sites' authors, the head office's and the network's ----------------


class ChoosableMixin:
    def get_object_list(self):
        return authors.choosable(self.request.user, super().get_object_list())


class ChooseView(ChoosableMixin, chooser.ChooseView):
    pass


class ChooseResultsView(ChoosableMixin, chooser.ChooseResultsView):
    pass


class ChosenView(chooser.SnippetChosenView):
    def get_object(self, pk):
        return authors.choosable(self.request.user).get(pk=pk)


class ChosenMultipleView(chooser.SnippetChosenMultipleView):
    def get_objects(self, pks):
        return authors.choosable(self.request.user).filter(
            pk__in=[pk for pk in pks if pk.isdigit()]
        )


class CreateView(chooser.SnippetCreateView):
    """The author chooser has no creation form: Wagtail answered its POST with a server error."""

    def can_create(self):
        return self.get_creation_form_class() is not None and super().can_create()


class AuthorChooserViewSet(chooser.SnippetChooserViewSet):
    choose_view_class = ChooseView
    choose_results_view_class = ChooseResultsView
    chosen_view_class = ChosenView
    chosen_multiple_view_class = ChosenMultipleView
    create_view_class = CreateView


# --- Bulk deletion: the confirmation names only the user's authors -------------------------------


class AuthorDeleteBulkAction(OwnSitesBulkActionMixin, DeleteBulkAction):
    """Registered after Wagtail's for Author only (blog/wagtail_hooks.py), which it replaces:
    Wagtail's confirmation listed, as not deletable by the user, every author asked for."""

    models = [Author]
    visible = staticmethod(authors.manageable)


# --- wagtail-localize's views of an author ------------------------------------------------------


class AuthorSnippetsAPIViewSet(snippets_api.SnippetViewSet):
    """The translation editor's snippet API listed every author, by name."""

    def get_queryset(self):
        return authors.choosable(self.request.user, super().get_queryset())


_author = {"app_label": "blog", "model_name": "author"}

# Mounted under admin/localize/ by blog/wagtail_hooks.py ahead of wagtail-localize's URLs, at its
# paths for authors (its names, reversed with app_label "blog" and model_name "author", resolve
# here).
localize_urls = [
    path(
        "api/snippets/blog/author/",
        AuthorSnippetsAPIViewSet.as_view({"get": "list"}),
        _author,
        name="snippets_api_listing",
    ),
    path(
        "api/snippets/blog/author/<str:pk>/",
        AuthorSnippetsAPIViewSet.as_view({"get": "retrieve"}),
        _author,
        name="snippets_api_detail",
    ),
]
