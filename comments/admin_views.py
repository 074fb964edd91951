"""Moderation in Wagtail's admin: the list, a comment with its thread, and the actions.

Thin on purpose: comments.moderation says who moderates what (a user's scope) and what each
action does. Every view reads comments through moderation.moderated_comments, so a comment of a
page outside the user's scope is 404 to them, whatever the URL.
"""

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponseNotAllowed, QueryDict
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from django.views.generic import TemplateView

from wagtail.admin import messages
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import BaseColumn, BulkActionsCheckboxColumn, Column, DateColumn
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views import generic
from wagtail.admin.views.bulk_action import BulkAction
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.models import Page, Site
from wagtail.permission_policies.pages import PagePermissionPolicy

import django_filters

from . import keys, moderation
from .models import Comment, CommentStatus

URL_NAMESPACE = "comments_moderation"
EXCERPT_CHARS = 200
PARENT_EXCERPT_CHARS = 120
# The statuses a moderator sets with one button, and the button's label.
STATUS_ACTIONS = {
    CommentStatus.APPROVED: gettext_lazy("Approve"),
    CommentStatus.SPAM: gettext_lazy("Spam"),
    CommentStatus.REJECTED: gettext_lazy("Reject"),
}
ALL_STATUSES = "all"


def url(name, *args):
    return reverse(f"{URL_NAMESPACE}:{name}", args=args)


def excerpt(text, chars=EXCERPT_CHARS):
    return Truncator(" ".join(text.split())).chars(chars)


def moderated_sites(user):
    """Sites with at least a home page in the user's scope: the choices of the site filter."""
    scope = moderation.moderation_scope(user)
    sites = Site.objects.select_related("root_page").order_by("site_name", "hostname")
    return sites if scope is None else sites.filter(root_page__in=scope)


# --- Filters and search ----------------------------------------------------------------------


class CommentFilterSet(WagtailFilterSet):
    """Status (pending unless asked otherwise), site, post and date."""

    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"),
        choices=[*CommentStatus.choices, (ALL_STATUSES, gettext_lazy("All"))],
        empty_label=None,
        method="filter_status",
    )
    site = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Site"),
        queryset=Site.objects.none(),
        method="filter_site",
        empty_label=gettext_lazy("All"),
    )
    page = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Post"), queryset=Page.objects.none(), empty_label=gettext_lazy("All")
    )
    created_at = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("Date"), widget=DateRangePickerWidget
    )

    class Meta:
        model = Comment
        fields = []

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        data = data.copy() if data is not None else QueryDict(mutable=True)
        if not data.get("status"):
            data["status"] = CommentStatus.PENDING
        super().__init__(data, queryset, request=request, prefix=prefix)
        user = request.user
        self.filters["site"].queryset = moderated_sites(user)
        self.filters["page"].queryset = Page.objects.filter(
            pk__in=moderation.moderated_comments(user).values("page_id")
        ).order_by("title")
        # After the querysets: the form is built on first access.
        self.form.fields["status"].initial = CommentStatus.PENDING

    def filter_status(self, queryset, name, value):
        return queryset if value == ALL_STATUSES else queryset.filter(status=value)

    def filter_site(self, queryset, name, site):
        return queryset.filter(site_key=keys.key_for_site(site))


SEARCH_FIELDS = ["body", "author_name", "email"]


def search(comments, query):
    """Comments whose message, name or e-mail contains the query (moderators see e-mails)."""
    condition = Q()
    for field in SEARCH_FIELDS:
        condition |= Q(**{f"{field}__icontains": query})
    return comments.filter(condition)


def listed_comments(request, comments):
    """`comments` narrowed like the list for this request (filters and search): what "select
    all in listing" means to the bulk actions."""
    comments = CommentFilterSet(request.GET, comments, request=request).qs
    if query := request.GET.get("q", "").strip():
        comments = search(comments, query)
    return comments


# --- The list --------------------------------------------------------------------------------


class CommentColumn(BaseColumn):
    """Author, excerpt and thread context (the parent's excerpt, the number of replies)."""

    cell_template_name = "comments/admin/comment_cell.html"


class PostColumn(BaseColumn):
    cell_template_name = "comments/admin/post_cell.html"


class ActionsColumn(BaseColumn):
    """A small POST form per row: approve, spam, reject (CSRF-protected), and delete."""

    cell_template_name = "comments/admin/actions_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        request = parent_context.get("request")
        view = parent_context.get("view")
        context.update(
            csrf_token=get_token(request),
            actions=status_actions(instance),
            next_url=view.next_url if view else "",
        )
        return context


def status_actions(comment):
    """[(status, label)] of the buttons that would change the comment's status."""
    return [(status, label) for status, label in STATUS_ACTIONS.items() if status != comment.status]


def site_name(comment):
    site = comment.site
    return (site.site_name or site.hostname) if site else ""


def with_thread_counts(comments):
    replies = (
        Comment.objects.filter(parent=OuterRef("pk"))
        .order_by()
        .values("parent")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return comments.annotate(
        reply_count=Coalesce(Subquery(replies, output_field=IntegerField()), Value(0))
    )


def decorate(request, comments):
    """Give each comment what its row shows: public URL, site, editor URL, detail URL,
    excerpts. A fixed number of queries whatever the number of rows."""
    sites = {site.pk: site for site in Site.objects.all()}
    page_ids = {comment.page_id for comment in comments}
    editable = set(
        PagePermissionPolicy()
        .instances_user_has_any_permission_for(request.user, ["change"])
        .filter(pk__in=page_ids)
        .values_list("pk", flat=True)
    )
    for comment in comments:
        parts = comment.page.get_url_parts(request)
        comment.site = sites.get(parts[0]) if parts else None
        comment.public_url = f"{parts[1]}{parts[2]}" if parts and parts[1] else None
        comment.edit_page_url = (
            reverse("wagtailadmin_pages:edit", args=[comment.page_id])
            if comment.page_id in editable
            else None
        )
        comment.detail_url = url("detail", comment.pk)
        comment.excerpt = excerpt(comment.body)
        if comment.parent_id:
            comment.parent_excerpt = excerpt(comment.parent.body, PARENT_EXCERPT_CHARS)
    return comments


class CommentIndexView(generic.IndexView):
    """Comments the user moderates: pending ones unless filtered otherwise, newest first."""

    template_name = "comments/admin/index.html"
    filterset_class = CommentFilterSet
    search_fields = SEARCH_FIELDS
    search_backend_name = None
    default_ordering = "-created_at"
    paginate_by = 50
    any_permission_required = ["change"]
    page_title = gettext_lazy("Comments")
    add_url_name = edit_url_name = delete_url_name = copy_url_name = inspect_url_name = None

    @cached_property
    def columns(self):
        return [
            BulkActionsCheckboxColumn("bulk_actions", obj_type="comment"),
            CommentColumn("comment", label=_("Comment")),
            PostColumn("page", label=_("Post")),
            Column("site", label=_("Site"), accessor=site_name),
            Column("status", label=_("Status"), accessor="get_status_display", sort_key="status"),
            Column("ip_address", label=_("IP address")),
            DateColumn("created_at", label=_("Posted"), sort_key="created_at"),
            ActionsColumn("actions", label=_("Moderate")),
        ]

    def get_base_queryset(self):
        comments = moderation.moderated_comments(self.request.user).select_related("page", "parent")
        return with_thread_counts(comments)

    def order_queryset(self, queryset):
        queryset = super().order_queryset(queryset)
        return queryset.order_by(*queryset.query.order_by, "-pk")

    def paginate_queryset(self, queryset, page_size):
        paginator, page, object_list, is_paginated = super().paginate_queryset(queryset, page_size)
        page.object_list = decorate(self.request, list(object_list))
        return paginator, page, page.object_list, is_paginated

    @cached_property
    def next_url(self):
        """Where an action on a row comes back: this list, with its filters."""
        query = self.request.GET.copy()
        query.pop("_w_filter_fragment", None)
        return f"{self.index_url}?{query.urlencode()}" if query else self.index_url


# --- One comment -----------------------------------------------------------------------------


class ModeratedCommentMixin:
    """The comment of the URL, if the user moderates it; 404 otherwise."""

    def get_comment(self):
        comments = moderation.moderated_comments(self.request.user)
        return get_object_or_404(comments.select_related("page", "parent"), pk=self.kwargs["pk"])

    def next_url(self, default):
        return get_valid_next_url_from_request(self.request) or default


def thread_of(comment):
    """The whole thread `comment` belongs to (its top-level ancestor and every reply, of any
    status), as nested nodes, from one query."""
    comments = list(Comment.objects.filter(page_id=comment.page_id).order_by("created_at", "pk"))
    by_id = {c.pk: c for c in comments}
    for c in comments:
        c.thread_replies = []
        c.excerpt = excerpt(c.body, 300)
    for c in comments:
        if c.parent_id in by_id:
            by_id[c.parent_id].thread_replies.append(c)
    root = by_id[comment.pk]
    while root.parent_id in by_id:
        root = by_id[root.parent_id]
    return root


class CommentDetailView(ModeratedCommentMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "comments/admin/detail.html"
    header_icon = "comment"

    def get_page_title(self):
        return _("Comment")

    def get_page_subtitle(self):
        return self.comment.author_name or _("Comment removed")

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": url("index"), "label": _("Comments")},
            {"url": "", "label": self.get_page_subtitle()},
        ]

    def get(self, request, *args, **kwargs):
        self.comment = self.get_comment()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        [comment] = decorate(self.request, [self.comment])
        return super().get_context_data(
            comment=comment,
            thread=thread_of(comment),
            actions=status_actions(comment),
            next_url=self.next_url(url("detail", comment.pk)),
            **kwargs,
        )


class SetStatusView(ModeratedCommentMixin, View):
    """POST status=approved|spam|rejected: one comment's moderation."""

    http_method_names = ["post"]

    def post(self, request, pk):
        comment = self.get_comment()
        status = request.POST.get("status")
        if status not in STATUS_ACTIONS:
            raise Http404
        changed = moderation.set_status(Comment.objects.filter(pk=comment.pk), status)
        if changed:
            messages.success(request, status_message(status, 1))
        return redirect(self.next_url(url("index")))


class DeleteView(ModeratedCommentMixin, WagtailAdminTemplateMixin, TemplateView):
    """Confirm (GET), then delete (POST): a comment with replies stays as a tombstone."""

    template_name = "comments/admin/confirm_delete.html"
    header_icon = "bin"
    page_title = gettext_lazy("Delete comment")

    def dispatch(self, request, *args, **kwargs):
        if request.method not in ("GET", "POST"):
            return HttpResponseNotAllowed(["GET", "POST"])
        self.comment = self.get_comment()
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": url("index"), "label": _("Comments")},
            {
                "url": url("detail", self.comment.pk),
                "label": self.comment.author_name or _("Comment removed"),
            },
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            comment=self.comment,
            excerpt=excerpt(self.comment.body),
            has_replies=Comment.objects.filter(parent_id=self.comment.pk).exists(),
            next_url=self.next_url(url("index")),
            **kwargs,
        )

    def post(self, request, pk):
        deleted, tombstoned = moderation.remove(Comment.objects.filter(pk=self.comment.pk))
        messages.success(request, delete_message(deleted, tombstoned))
        next_url = self.next_url(url("index"))
        if deleted and next_url.startswith(url("detail", self.comment.pk)):
            next_url = url("index")
        return redirect(next_url)


def delete_message(deleted, tombstoned):
    parts = []
    if deleted:
        parts.append(
            ngettext("%(count)d comment deleted.", "%(count)d comments deleted.", deleted)
            % {"count": deleted}
        )
    if tombstoned:
        parts.append(
            ngettext(
                "%(count)d comment removed; its replies stay under “Comment removed”.",
                "%(count)d comments removed; their replies stay under “Comment removed”.",
                tombstoned,
            )
            % {"count": tombstoned}
        )
    return " ".join(parts)


def status_message(status, count):
    if status == CommentStatus.APPROVED:
        text = ngettext("%(count)d comment approved.", "%(count)d comments approved.", count)
    elif status == CommentStatus.SPAM:
        text = ngettext(
            "%(count)d comment marked as spam.", "%(count)d comments marked as spam.", count
        )
    else:
        text = ngettext("%(count)d comment rejected.", "%(count)d comments rejected.", count)
    return text % {"count": count}


# --- Bulk actions (Wagtail's: /admin/bulk/comments/comment/<action>/?id=…) ---------------------


class CommentBulkAction(BulkAction):
    """Acts only on comments the user moderates: other ids are ignored, and none at all is 404."""

    models = [Comment]
    template_name = "comments/admin/bulk_confirm.html"

    def get_actionable_objects(self):
        comments = moderation.moderated_comments(self.request.user)
        ids = self.request.GET.getlist("id")
        if "all" in ids:
            comments = listed_comments(self.request, comments)
        else:
            comments = comments.filter(pk__in=[pk for pk in ids if pk.isdigit()])
        objects = list(comments.select_related("page").order_by("-created_at", "-pk"))
        if not objects:
            raise Http404
        return objects, {"items_with_no_access": []}

    def object_context(self, comment):
        return {"item": comment, "excerpt": excerpt(comment.body, PARENT_EXCERPT_CHARS)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            header_icon="comment", action_label=self.display_name, **kwargs
        )

    @staticmethod
    def queryset_of(objects):
        return Comment.objects.filter(pk__in=[comment.pk for comment in objects])


class StatusBulkAction(CommentBulkAction):
    status = None

    @classmethod
    def execute_action(cls, objects, **kwargs):
        return len(moderation.set_status(cls.queryset_of(objects), cls.status)), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return status_message(self.status, num_parent_objects)


class ApproveBulkAction(StatusBulkAction):
    display_name = gettext_lazy("Approve")
    action_type = "approve"
    aria_label = gettext_lazy("Approve the selected comments")
    action_priority = 10
    status = CommentStatus.APPROVED


class SpamBulkAction(StatusBulkAction):
    display_name = gettext_lazy("Spam")
    action_type = "spam"
    aria_label = gettext_lazy("Mark the selected comments as spam")
    action_priority = 20
    status = CommentStatus.SPAM


class RejectBulkAction(StatusBulkAction):
    display_name = gettext_lazy("Reject")
    action_type = "reject"
    aria_label = gettext_lazy("Reject the selected comments")
    action_priority = 30
    status = CommentStatus.REJECTED


class DeleteBulkAction(CommentBulkAction):
    display_name = gettext_lazy("Delete")
    action_type = "delete"
    aria_label = gettext_lazy("Delete the selected comments")
    action_priority = 40
    classes = {"serious"}

    @classmethod
    def execute_action(cls, objects, **kwargs):
        return moderation.remove(cls.queryset_of(objects))

    def get_success_message(self, num_parent_objects, num_child_objects):
        return delete_message(num_parent_objects, num_child_objects)


BULK_ACTIONS = [ApproveBulkAction, SpamBulkAction, RejectBulkAction, DeleteBulkAction]
