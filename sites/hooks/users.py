"""Wagtail's user bulk actions, skipping superusers for anyone who is not one (sites/users.py)."""

from wagtail import hooks
from wagtail.users.views.bulk_actions import (
    AssignRoleBulkAction,
    DeleteBulkAction,
    SetActiveStateBulkAction,
)

from .. import users


def _sparing_superusers(action):
    def check_perm(self, obj):
        return users.may_manage_account(self.request.user, obj) and action.check_perm(self, obj)

    return type(action.__name__, (action,), {"check_perm": check_perm, "__module__": __name__})


for _action in (AssignRoleBulkAction, DeleteBulkAction, SetActiveStateBulkAction):
    # order=1: registered after Wagtail's own action of the same type, which it replaces.
    hooks.register("register_bulk_action", _sparing_superusers(_action), order=1)
