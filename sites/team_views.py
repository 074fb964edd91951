"""The "My team" admin views: thin wrappers over sites/team.py.

Every refusal is a 403 page that says why (Wagtail's own admin turns PermissionDenied into a
redirect to the dashboard; here the person acting is told what was refused and stays put), and
every rejected input is a form error; neither changes anything.
"""

from urllib.parse import urlencode

from django.contrib.auth import login
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView, View

from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Site

from . import forms_team, team


def forbidden(request, reason=None):
    message = reason or _("You are not an administrator of this site.")
    if isinstance(message, PermissionDenied):
        message = str(message) or _("You are not allowed to do this.")
    return TemplateResponse(
        request,
        "maillage_sites/team/forbidden.html",
        {"page_title": _("Not allowed"), "header_icon": "warning", "message": message},
        status=403,
    )


def add_errors(form, error):
    """Show a rule's refusal on the form as non-field errors, keeping its code."""
    if hasattr(error, "error_dict"):  # from a model's full_clean(): its fields are not the form's
        errors = [ValidationError(message) for message in error.messages]
    else:
        errors = error.error_list
    for each in errors:
        form.add_error(None, each)


class MyTeamView(WagtailAdminTemplateMixin, View):
    """Where the menu item leads: the one site's team, or the list of sites to choose from."""

    page_title = gettext_lazy("My team")
    header_icon = "group"
    template_name = "maillage_sites/team/sites.html"

    def get(self, request):
        sites = team.managed_sites(request.user).order_by("site_name")
        if len(sites) == 1:
            return redirect("maillage_team:index", site_id=sites[0].pk)
        if not sites:
            return forbidden(request, _("You are not an administrator of any site."))
        return self.render_to_response(self.get_context_data(sites=sites))

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]


class SiteTeamMixin(WagtailAdminTemplateMixin):
    """Loads the site from the URL and lets only its administrators (and the network's) in."""

    header_icon = "group"

    def dispatch(self, request, site_id, *args, **kwargs):
        self.site = get_object_or_404(Site.objects.select_related("profile"), pk=site_id)
        if not team.may_manage_team(request.user, self.site):
            return forbidden(request)
        try:
            return super().dispatch(request, *args, **kwargs)
        except PermissionDenied as denied:
            return forbidden(request, denied)

    def get_page_subtitle(self):
        return self.site.site_name

    def get_breadcrumbs_items(self):
        items = [
            *self.breadcrumbs_items,
            {"url": reverse("maillage_team:mine"), "label": _("My team")},
            {"url": self.index_url, "label": self.site.site_name},
        ]
        if self.request.path != self.index_url:
            items.append({"url": "", "label": self.get_page_title()})
        return items

    @cached_property
    def index_url(self):
        return reverse("maillage_team:index", args=[self.site.pk])

    def get_context_data(self, **kwargs):
        return super().get_context_data(site=self.site, index_url=self.index_url, **kwargs)


class TeamIndexView(SiteTeamMixin, FormView):
    """The members of the site's three groups; posting the form gives a member another role."""

    page_title = gettext_lazy("Team")
    template_name = "maillage_sites/team/index.html"
    form_class = forms_team.AddMemberForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "site": self.site}

    def get_context_data(self, **kwargs):
        groups = []
        for role, users in team.members(self.site).items():
            for user in users:
                user.invitation_pending = team.invitation_pending(user)
            groups.append({"role": role, "label": team.ROLE_LABELS[role], "members": users})
        return super().get_context_data(groups=groups, **kwargs)

    def form_valid(self, form):
        user, role = form.cleaned_data["user"], form.cleaned_data["role"]
        try:
            team.add_member(self.request.user, self.site, user, role)
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(user)s added to %(group)s.")
            % {"user": user, "group": team.team_group(self.site, role).name},
        )
        return redirect(self.index_url)


class InviteView(SiteTeamMixin, FormView):
    page_title = gettext_lazy("Invite a new person")
    template_name = "maillage_sites/team/invite.html"
    form_class = forms_team.InviteForm

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            email = team.invite(
                self.request.user, self.site, data["email"], data["name"], data["role"]
            )
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        # The same answer whether or not an account uses the address.
        messages.success(
            self.request,
            _(
                "Invitation sent to %(email)s; they join the team once they open the link and "
                "accept it."
            )
            % {"email": email},
        )
        return redirect(self.index_url)


class RemoveMemberView(SiteTeamMixin, FormView):
    """GET asks for confirmation (user and role in the query string); POST removes."""

    page_title = gettext_lazy("Remove a member")
    template_name = "maillage_sites/team/remove.html"

    def get_form(self, form_class=None):
        data = self.request.POST if self.request.method == "POST" else self.request.GET
        return forms_team.RemoveMemberForm(self.site, data)

    def get(self, request, *args, **kwargs):
        form = self.get_form()
        if not form.is_valid():
            messages.error(request, _("Choose a member of this site's team to remove."))
            return redirect(self.index_url)
        return self.render_to_response(self.get_context_data(form=form))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cleaned = getattr(context["form"], "cleaned_data", {})
        if "user" in cleaned and "role" in cleaned:
            context["member"] = cleaned["user"]
            context["group"] = team.team_group(self.site, cleaned["role"])
        return context

    def form_valid(self, form):
        user, role = form.cleaned_data["user"], form.cleaned_data["role"]
        try:
            team.remove_member(self.request.user, self.site, user, role)
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(user)s removed from %(group)s.")
            % {"user": user, "group": team.team_group(self.site, role).name},
        )
        if not team.may_manage_team(self.request.user, self.site):
            # An administrator who just left the role no longer manages this team.
            return redirect("wagtailadmin_home")
        return redirect(self.index_url)


class InvitationView(TemplateView):
    """Where an invitation link leads, signed in or not (outside Wagtail's admin-access check:
    an invited person may have no account yet). GET only shows the invitation; joining is a POST,
    with the signed-in account ("accept") or with a new one ("create")."""

    template_name = "maillage_sites/team/invitation.html"

    def dispatch(self, request, token):
        try:
            self.invitation = team.read_invitation(token)
        except ValidationError as error:
            return TemplateResponse(
                request, self.template_name, {"invalid": error.messages[0]}, status=400
            )
        return super().dispatch(request, token)

    def get_context_data(self, **kwargs):
        account_form = kwargs.pop("account_form", None)
        if account_form is None and not self.request.user.is_authenticated:
            account_form = forms_team.InvitedAccountForm(
                initial={"first_name": self.invitation.name.partition(" ")[0]}
            )
        return super().get_context_data(
            invitation=self.invitation,
            account_form=account_form,
            login_url=f"{reverse('wagtailadmin_login')}?{urlencode({'next': self.request.path})}",
            **kwargs,
        )

    def post(self, request, token):
        if request.user.is_authenticated:
            try:
                team.accept_invitation(self.invitation, request.user)
            except (ValidationError, PermissionDenied) as error:
                message = error.messages[0] if hasattr(error, "messages") else str(error)
                return self.render_to_response(self.get_context_data(error=message), status=400)
            user = request.user
        else:
            form = forms_team.InvitedAccountForm(request.POST)
            if not form.is_valid():
                return self.render_to_response(self.get_context_data(account_form=form))
            user = team.create_invited_account(self.invitation, form)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request,
            _("Welcome to the team of %(site)s (%(role)s).")
            % {"site": self.invitation.site.site_name, "role": self.invitation.role_label},
        )
        return redirect("wagtailadmin_home")


app_name = "maillage_team"
urlpatterns = [
    path("team/", MyTeamView.as_view(), name="mine"),
    path("sites/<int:site_id>/team/", TeamIndexView.as_view(), name="index"),
    path("sites/<int:site_id>/team/invite/", InviteView.as_view(), name="invite"),
    path("sites/<int:site_id>/team/remove/", RemoveMemberView.as_view(), name="remove"),
]
