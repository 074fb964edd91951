"""The "Comments" area of Wagtail's admin: its viewset, menu item (with a badge of pending
comments) and permission policy.

Who may moderate is not a Django permission: it is the scope given by
COMMENTS_MODERATION_SCOPE (comments.moderation.moderation_scope), per site. A "change comment"
permission granted to a group would not say on which sites, so none is offered in the groups'
editor; the policy below answers Wagtail from the scope instead.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.sidebar import LinkMenuItem
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import BasePermissionPolicy

from . import admin_views, moderation
from .models import Comment

MODERATION_ACTIONS = {"change", "delete", "view"}


class CommentPermissionPolicy(BasePermissionPolicy):
    """Moderators may view, change (moderate) and delete the comments of their scope; nobody
    adds comments from the admin."""

    def user_has_permission(self, user, action):
        return action in MODERATION_ACTIONS and moderation.may_moderate(user)

    def user_has_any_permission(self, user, actions):
        return bool(MODERATION_ACTIONS & set(actions)) and moderation.may_moderate(user)

    def user_has_permission_for_instance(self, user, action, instance):
        return (
            action in MODERATION_ACTIONS
            and moderation.moderated_comments(user).filter(pk=instance.pk).exists()
        )

    def instances_user_has_any_permission_for(self, user, actions):
        if not MODERATION_ACTIONS & set(actions):
            return Comment.objects.none()
        return moderation.moderated_comments(user)

    def users_with_any_permission(self, actions):
        # The scope is a function of a user, not a list of users: only superusers are certain.
        return get_user_model().objects.filter(is_active=True, is_superuser=True)


class CommentsMenuItem(MenuItem):
    """Shown to users who moderate at least one site; its label carries the number of
    comments awaiting them. (Menu item instances are shared by all requests: the component is
    built afresh each time.)"""

    def is_shown(self, request):
        return moderation.may_moderate(request.user)

    def render_component(self, request):
        count = moderation.pending_count(request.user)
        label = self.label
        if count:
            label = _("%(label)s (%(count)s)") % {"label": self.label, "count": count}
        return LinkMenuItem(
            self.name,
            label,
            self.url,
            icon_name=self.icon_name,
            classname=self.classname,
            attrs={**self.attrs, "data-pending-comments": str(count)},
        )


class CommentURLFinder(ModelAdminURLFinder):
    edit_url_name = f"{admin_views.URL_NAMESPACE}:detail"


class CommentViewSet(ModelViewSet):
    """A list with filters and bulk actions, a page per comment with its thread, and the
    moderation actions. No add or edit form: moderators do not write comments."""

    model = Comment
    name = "comments"
    url_namespace = admin_views.URL_NAMESPACE
    icon = "comment"
    menu_label = gettext_lazy("Comments")
    menu_name = "comments"
    menu_order = 250
    add_to_admin_menu = True
    index_view_class = admin_views.CommentIndexView
    add_to_reference_index = False
    copy_view_enabled = False
    inspect_view_enabled = False
    url_finder_class = CommentURLFinder
    menu_item_class = CommentsMenuItem
    list_per_page = admin_views.CommentIndexView.paginate_by

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            add_url_name=None,
            edit_url_name=None,
            delete_url_name=None,
            history_url_name=None,
            usage_url_name=None,
            **kwargs,
        )

    def get_permissions_to_register(self):
        return Permission.objects.none()

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("<int:pk>/", admin_views.CommentDetailView.as_view(), name="detail"),
            path("<int:pk>/status/", admin_views.SetStatusView.as_view(), name="status"),
            path("<int:pk>/delete/", admin_views.DeleteView.as_view(), name="delete"),
        ]
