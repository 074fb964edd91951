from django.urls import path

from . import avatar_views, edit_views, notification_views, views

app_name = "comments"

urlpatterns = [
    path("post/<int:page_id>/", views.post_comment, name="post"),
    # avatars: (avatar_views)
    path("avatar/<str:key>/", avatar_views.avatar, name="avatar"),
    # notifications: (notification_views)
    path(
        "subscription/confirm/<str:token>/",
        notification_views.confirm_subscription,
        name="subscription_confirm",
    ),
    path(
        "unsubscribe/<int:subscription_id>/<str:token>/",
        notification_views.unsubscribe,
        name="unsubscribe",
    ),
    # edit window: (edit_views)
    path("edit/<int:comment_id>/", edit_views.edit_comment, name="edit"),
    path("delete/<int:comment_id>/", edit_views.delete_comment, name="delete"),
]
