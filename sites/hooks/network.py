"""Admin wiring of the network: "Network" menu, sites dashboard, "Add a site", launch checklists,
a site's life (launch, archive, bring back, delete) and the network panel on the admin home page
(network administrators)."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.ui.components import Component
from wagtail.models import Site
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from .. import admin_views, dashboard, life_views, lifecycle, roles

urlpatterns = [
    path("sites/", admin_views.SitesDashboardView.as_view(), name="sites"),
    path(
        "sites/results/",
        admin_views.SitesDashboardView.as_view(results_only=True),
        name="sites_results",
    ),
    path("sites/add/", admin_views.AddSiteView.as_view(), name="add_site"),
    path("sites/<int:site_id>/checklist/", admin_views.ChecklistView.as_view(), name="checklist"),
    # A site's life (sites.lifecycle): launch (its administrators), archive, bring back, delete.
    path("sites/<int:site_id>/launch/", life_views.LaunchView.as_view(), name="site_launch"),
    path("sites/<int:site_id>/archive/", life_views.ArchiveView.as_view(), name="site_archive"),
    path(
        "sites/<int:site_id>/unarchive/",
        life_views.UnarchiveView.as_view(),
        name="site_unarchive",
    ),
    path("sites/<int:site_id>/delete/", life_views.DeleteSiteView.as_view(), name="site_delete"),
]


class SitePermissionPolicy(ModelPermissionPolicy):
    """Deleting a site goes through sites.lifecycle (archived first, then everything it owns, in
    one transaction, from the network dashboard): Wagtail's own Site delete view, which deletes
    the Site row alone, is left to superusers."""

    def user_has_permission(self, user, action):
        if action == "delete" and not user.is_superuser:
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)


register_permission_policy(Site, SitePermissionPolicy(Site))


@hooks.register("register_log_actions")
def register_site_life_actions(actions):
    lifecycle.register_log_actions(actions)


@hooks.register("register_admin_urls")
def register_network_urls():
    return [path("network/", include((urlpatterns, "maillage_network")))]


class SitesMenuItem(MenuItem):
    def is_shown(self, request):
        user = request.user
        return roles.is_network_admin(user) or roles.sites_for_user(user).exists()


class AddSiteMenuItem(MenuItem):
    def is_shown(self, request):
        return roles.is_network_admin(request.user)


@hooks.register("register_admin_menu_item")
def register_network_menu():
    menu = Menu(
        items=[
            SitesMenuItem(
                _("Sites"), reverse("maillage_network:sites"), icon_name="site", order=100
            ),
            AddSiteMenuItem(
                _("Add a site"), reverse("maillage_network:add_site"), icon_name="plus", order=200
            ),
        ]
    )
    return SubmenuMenuItem(_("Network"), menu, name="network", icon_name="site", order=150)


class NetworkPanel(Component):
    """The whole network at a glance, on the admin home page of network administrators."""

    name = "maillage_network"
    template_name = "maillage_sites/admin/network_panel.html"
    order = 50
    unfinished_shown = 10

    def get_context_data(self, parent_context):
        sites = roles.sites_for_user(parent_context["request"].user)
        rows = dashboard.order_rows(dashboard.site_rows(sites), "checklist")
        unfinished = [row for row in rows if not row.checklist.complete]
        return {
            "summary": dashboard.network_summary(rows),
            "unfinished": unfinished[: self.unfinished_shown],
            "recent_days": dashboard.RECENT_DAYS,
        }


@hooks.register("construct_homepage_panels")
def add_network_panel(request, panels):
    if roles.is_network_admin(request.user):
        panels.append(NetworkPanel())
