"""Admin wiring of "My team": a site's administrators manage its members (rules in
sites/team.py, views in sites/team_views.py)."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .. import team, team_views


@hooks.register("register_admin_urls")
def register_team_urls():
    return [path("network/", include(team_views, namespace="maillage_team"))]


class MyTeamMenuItem(MenuItem):
    def is_shown(self, request):
        return team.managed_sites(request.user).exists()


@hooks.register("register_admin_menu_item")
def register_my_team_menu_item():
    return MyTeamMenuItem(
        _("My team"), reverse("maillage_team:mine"), name="my-team", icon_name="group", order=850
    )
