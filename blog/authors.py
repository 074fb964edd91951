"""Whose authors are these: each author belongs to a site, or to the whole network.

An author with a site is that site's: its editors and administrators list, add and correct it.
The head office's authors (site of kind "head") and the network's (no site) may sign any site's
posts, but only the head site's team, respectively the network administrators, correct them. So a
Bretagne editor can no longer change what Occitanie's posts say of their author (issue 19, item 3).

Three answers, used by the snippet views, the chooser, wagtail-localize's views for authors
(blog/author_views.py), the author form and the post form:
- `manageable`: the authors a user may list and edit (their sites'; all for network admins);
- `choosable`: the authors a user's chooser offers (theirs, the head office's, the network's);
- `usable_on`: the authors a post of a site may be signed by (that site's, the head office's,
  the network's), checked when a post is saved or previewed, whoever edits it.
Translations of an author share its site (Author.save keeps them in step).
"""

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.models import Site
from wagtail.permission_policies import ModelPermissionPolicy

from sites import network, roles
from sites.choosable import ChoosableReferencesModelForm
from sites.models import SiteKind


def _authors():
    return apps.get_model("blog", "Author")._default_manager.all()


def author_sites(user):
    """The sites whose authors the user manages: those they edit (editors and administrators)."""
    return roles.sites_for_user(user, roles.EDITOR)


def shared_condition():
    """Authors any site's post may credit: the network's (no site) and the head office's. On
    "site" only (a subquery, no join): the chooser's search filters on the fields it indexes."""
    return Q(site__isnull=True) | Q(site__in=Site.objects.filter(profile__kind=SiteKind.HEAD))


def manageable(user, authors=None):
    """The authors the user may list, edit and translate: those of the sites they edit; every
    one for network administrators."""
    authors = _authors() if authors is None else authors
    if roles.is_network_admin(user):
        return authors
    return authors.filter(site__in=author_sites(user))


def may_manage(user, author):
    if roles.is_network_admin(user):
        return True
    return author.site_id is not None and author_sites(user).filter(pk=author.site_id).exists()


def choosable(user, authors=None):
    """The authors the user's author chooser offers: their sites', the head office's and the
    network's; every one for network administrators."""
    authors = _authors() if authors is None else authors
    if roles.is_network_admin(user):
        return authors
    return authors.filter(shared_condition() | Q(site__in=author_sites(user)))


def site_label(author):
    """The author's site as the admin listing names it."""
    return author.site.site_name if author.site_id else _("The whole network")


def usable_on(site, authors=None):
    """The authors a post of this site may credit (site None: a page outside every site)."""
    authors = _authors() if authors is None else authors
    condition = shared_condition()
    if site is not None:
        condition |= Q(site=site)
    return authors.filter(condition)


class AuthorPermissionPolicy(ModelPermissionPolicy):
    """Wagtail's author permissions (add_author and change_author, which blog/signal_handlers.py
    gives every site's editors and administrators and the network administrators; deleting is
    left to superusers: it takes the author off every post crediting it), limited per instance
    to the authors of the user's sites; network administrators' extend to every author.
    Registered for Author by blog/wagtail_hooks.py."""

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and may_manage(user, instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.user_has_any_permission(user, actions) and may_manage(user, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return self.model._default_manager.none()
        return manageable(user, self.model._default_manager.all())

    def users_with_any_permission_for_instance(self, actions, instance):
        users = self.users_with_any_permission(actions).filter(is_active=True)
        condition = Q(pk__in=roles.network_administrators().values("pk"))
        if instance.site_id is not None:
            site = Site.objects.filter(pk=instance.site_id).first()
            if site is not None:
                condition |= Q(pk__in=roles.users_with_role(site, roles.EDITOR).values("pk"))
        return users.filter(condition).distinct()


# --- The author form ----------------------------------------------------------------------------


class AuthorForm(ChoosableReferencesModelForm):
    """The site field offers the user's own sites only (pre-filled when there is one); "the
    whole network" (no site) only to network administrators. A site id of another site is
    refused as an invalid choice."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self, "for_user", None)
        field = self.fields.get("site")
        if field is None or user is None or roles.is_network_admin(user):
            return
        field.queryset = author_sites(user).order_by("site_name")
        field.required = True
        field.empty_label = None
        field.help_text = gettext_lazy("The site this author writes for.")
        if self.instance.pk is None and not self.initial.get("site"):
            sites = list(field.queryset[:2])
            if len(sites) == 1:
                self.initial["site"] = sites[0].pk


# --- The post form: who may sign a post ---------------------------------------------------------


def _saved_value(data, initial):
    return initial


def check_post_authors(form):
    """Add a form error for each author of the post's author inline (BlogPostAuthor) that a post
    of its site may not credit. An author already on the saved post is kept."""
    formset = getattr(form, "formsets", {}).get("post_authors")
    if formset is None:
        return
    children = [
        child
        for child in formset.forms
        if not child.errors and child.has_changed() and not child.cleaned_data.get("DELETE")
    ]
    wanted = {child: child.cleaned_data.get("author") for child in children}
    wanted = {child: author for child, author in wanted.items() if author is not None}
    if not wanted:
        return
    saved = set()
    if form.instance.pk:
        saved = set(form.instance.post_authors.values_list("author_id", flat=True))
    post_site = _post_site(form)
    asked = {author.pk for author in wanted.values()} - saved
    allowed = set(usable_on(post_site).filter(pk__in=asked).values_list("pk", flat=True))
    refused = sorted(pk for pk in asked if pk not in allowed)
    if not refused:
        return
    for child, author in wanted.items():
        if author.pk in refused:
            # Shown again, the chooser would name the refused author: it shows the saved one.
            child.fields["author"].bound_data = _saved_value
    named = ", ".join(_("author #%(id)s") % {"id": pk} for pk in refused)
    message = _(
        "You may not credit %(authors)s on this post: choose an author of its site, of the head "
        "office or of the whole network."
    ) % {"authors": named}
    form.add_error(None, ValidationError(message, code="author_not_usable"))


def _post_site(form):
    """The Site of the post being edited, or of the page it is being added under."""
    page = form.instance
    if not page.pk:
        page = getattr(form, "parent_page", None)
    return network.site_for_page(page) if page is not None else None
