"""Where team invitation links lead: included by hub/urls.py under /admin/invitation/, before
Wagtail's admin, which would send a visitor without an account to the login page."""

from django.urls import path
from django.views.decorators.cache import never_cache

from .team_views import InvitationView

app_name = "maillage_invitation"
urlpatterns = [path("<str:token>/", never_cache(InvitationView.as_view()), name="accept")]
