"""Admin wiring only: the moderation viewset, its permission policy and bulk actions."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy

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
