"""Edit or delete one's own comment within the edit window (see comments.editing)."""

from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from . import editing
from .forms import CommentForm
from .models import Comment, CommentStatus
from .rendering import render_for_page
from .views import SeeOther

REFUSALS = {
    "not_yours": _(
        "A comment can be changed only from the browser that posted it, for a short time "
        "after posting."
    ),
    "expired": _("The time to change this comment has passed."),
    "replied": _("This comment has a reply, so it can no longer be changed."),
}


class CommentEditForm(CommentForm):
    """The name, website and message of the comment form, with the same rules."""

    EDITABLE = ("name", "url", "body")

    def __init__(self, *args, comment, **kwargs):
        initial = {"name": comment.author_name, "url": comment.url, "body": comment.body}
        super().__init__(*args, page=comment.page, initial=initial, **kwargs)
        for name in list(self.fields):
            if name not in self.EDITABLE:
                del self.fields[name]


def _comment_or_refusal(request, comment_id):
    comment = Comment.objects.select_related("page").filter(pk=comment_id).first()
    reason = editing.refusal(request, comment) if comment is not None else "not_yours"
    if reason == "not_yours":
        # Whoever counts ids gets the same page for every one, missing or not, naming no page:
        # only the browser that posted a comment learns where it is.
        context = {"message": REFUSALS[reason]}
        return None, render_for_page(
            request, None, "comments/edit_forbidden.html", context, status=404
        )
    if reason:
        context = {"message": REFUSALS[reason], "page_url": comment.page.get_url(request)}
        return comment, render_for_page(
            request, comment.page, "comments/edit_forbidden.html", context, status=403
        )
    return comment, None


def _back_to(request, comment):
    page_url = comment.page.get_url(request) or "/"
    if comment.status == CommentStatus.APPROVED:
        return SeeOther(f"{page_url}#comment-{comment.pk}")
    return SeeOther(f"{page_url}?comment=pending#comments")


@never_cache
@require_http_methods(["GET", "POST"])
def edit_comment(request, comment_id):
    comment, refused = _comment_or_refusal(request, comment_id)
    if refused:
        return refused
    data = request.POST if request.method == "POST" else None
    form = CommentEditForm(data, comment=comment)
    if request.method == "POST" and form.is_valid():
        cleaned = form.cleaned_data
        editing.edit(comment, cleaned["name"], cleaned["url"], cleaned["body"], request=request)
        return _back_to(request, comment)
    context = {"comment": comment, "form": form, "page_url": comment.page.get_url(request)}
    status = 400 if form.is_bound else 200
    return render_for_page(request, comment.page, "comments/edit.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def delete_comment(request, comment_id):
    comment, refused = _comment_or_refusal(request, comment_id)
    if refused:
        return refused
    page_url = comment.page.get_url(request) or "/"
    if request.method == "POST":
        editing.delete(comment)
        return SeeOther(f"{page_url}#comments")
    context = {"comment": comment, "page_url": page_url}
    return render_for_page(request, comment.page, "comments/delete.html", context)
