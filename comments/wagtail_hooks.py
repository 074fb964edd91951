"""Admin wiring only: the moderation viewset, its permission policy and bulk actions; the
personal-data tools (their URLs, menu item and log actions); the identification records' export."""

from django.urls import include, path

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from . import identification_admin, personal_data_admin
from .admin_views import BULK_ACTIONS
from .models import Comment
from .viewsets import CommentPermissionPolicy, CommentViewSet

# Registered before anything asks Wagtail for Comment's policy (see CommentPermissionPolicy).
register_permission_policy(Comment, CommentPermissionPolicy(Comment))


@hooks.register("register_admin_viewset")
def register_comment_viewset():
    return CommentViewSet()


for bulk_action in BULK_ACTIONS:
    hooks.register("register_bulk_action", bulk_action)


@hooks.register("register_admin_urls")
def register_personal_data_urls():
    urls = (personal_data_admin.urlpatterns, personal_data_admin.URL_NAMESPACE)
    return [path("personal-data/", include(urls))]


@hooks.register("register_admin_menu_item")
def register_personal_data_menu_item():
    return personal_data_admin.menu_item()


@hooks.register("register_log_actions")
def register_personal_data_log_actions(actions):
    personal_data_admin.register_log_actions(actions)


@hooks.register("register_admin_urls")
def register_identification_urls():
    urls = (identification_admin.urlpatterns, identification_admin.URL_NAMESPACE)
    return [path("identification-records/", include(urls))]


@hooks.register("register_admin_menu_item")
def register_identification_menu_item():
    return identification_admin.menu_item()
