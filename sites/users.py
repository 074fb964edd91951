"""Wagtail's user editor with superusers' powers kept to superusers.

Network administrators hold Wagtail's user permissions (add, change, delete), which would let
them tick "superuser" or take over a superuser's account (password, groups). Only superusers may
grant superuser status or edit, copy, delete or bulk-change a superuser's account. Wired through
Wagtail's own extension point: the users app config's `user_viewset` (sites.apps) and bulk
actions registered over Wagtail's (sites/hooks/users.py).
"""

from django.core.exceptions import PermissionDenied

from wagtail.admin.views import generic
from wagtail.users.views import users as wagtail_users


def may_manage_account(actor, account):
    """Only a superuser may change a superuser's account."""
    return actor.is_superuser or not account.is_superuser


class _SuperuserFieldMixin:
    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if not self.request.user.is_superuser:
            form.fields.pop("is_superuser", None)  # absent, so a posted value is ignored
        return form


class CreateView(_SuperuserFieldMixin, wagtail_users.CreateView):
    pass


class EditView(_SuperuserFieldMixin, wagtail_users.EditView):
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.can_delete = self.can_delete and may_manage_account(request.user, self.object)

    def dispatch(self, request, *args, **kwargs):
        if not may_manage_account(request.user, self.object):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class CopyView(_SuperuserFieldMixin, generic.CopyView):
    def get_object(self, queryset=None):
        account = super().get_object(queryset)
        if not may_manage_account(self.request.user, account):
            raise PermissionDenied
        return account


class UserViewSet(wagtail_users.UserViewSet):
    add_view_class = CreateView
    edit_view_class = EditView
    copy_view_class = CopyView
