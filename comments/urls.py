from django.urls import path

from . import avatar_views, edit_views, manage_views, notification_views, views

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
    # "Manage my comments", self-service rights: (manage_views)
    path("manage/", manage_views.manage, name="manage"),
    path("manage/sent/", manage_views.sent, name="manage_sent"),
    path("manage/erased/", manage_views.erased, name="manage_erased"),
    path("manage/<str:token>/", manage_views.comments, name="manage_comments"),
    path("manage/<str:token>/<slug:action>/", manage_views.act, name="manage_action"),
]
