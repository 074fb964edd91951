"""Admin views of local adaptation (blog/adaptation.py): from "Shared with my site", a target
site's editors give a shared post a local title, introduction, image or notes, and remove that
local version in one click.

Thin on purpose: blog/adaptation.py holds the rules, sites/roles.py says who may act on which site
(the site's editors and administrators, the network administrators everywhere). A site nobody
lets the user edit is a 403 before anything is read; a post not shared with the site is a 404.
"""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View

from wagtail.admin import messages
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.images.widgets import AdminImageChooser

from sites.choosable import ChoosableReferencesModelForm

from . import adaptation
from .admin_views import SiteMixin
from .models import LocalAdaptation

ADAPTED_FIELDS = ("title", "intro", "hero_image", "note_above", "note_below")


class LocalAdaptationForm(ChoosableReferencesModelForm):
    """The local version: any of title, introduction, image (with its alternative text) and
    notes; images and links in the notes only among those the user may choose."""

    RICH_TEXT = ("note_above", "note_below")

    class Meta:
        model = LocalAdaptation
        fields = ["title", "intro", "hero_image", "hero_alt", "note_above", "note_below"]
        # Said here: this module may be imported before wagtail.images registers its chooser
        # as every image field's widget.
        widgets = {"hero_image": AdminImageChooser}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.unreadable = set()
        for name in self.RICH_TEXT:
            if name in self.fields:
                self._read_safely(name, self.fields[name].widget)

    def _read_safely(self, name, widget):
        """The rich text editor sends JSON, which its widget parses as it reads the request:
        anything else would be a server error instead of a form error."""
        read = widget.value_from_datadict

        def value_from_datadict(data, files, field_name):
            try:
                return read(data, files, field_name)
            except (ValueError, TypeError, KeyError, AttributeError, IndexError):
                self.unreadable.add(name)
                return ""

        widget.value_from_datadict = value_from_datadict

    def clean(self):
        cleaned_data = super().clean()
        if "hero_image" in self.errors:
            # Shown again, the chooser would look the refused value up: show the saved one.
            self.fields["hero_image"].bound_data = lambda data, initial: initial
        for name in self.RICH_TEXT:  # an empty paragraph is no note
            if name in cleaned_data and not _filled(cleaned_data[name]):
                cleaned_data[name] = ""
        for name in sorted(self.unreadable):
            self.add_error(
                name, ValidationError(_("This text could not be read."), code="unreadable")
            )
        if cleaned_data.get("hero_image") and not cleaned_data.get("hero_alt", "").strip():
            self.add_error(
                "hero_alt",
                ValidationError(
                    _("Describe the image: people who cannot see it rely on this text."),
                    code="required",
                ),
            )
        if not self.errors and not any(_filled(cleaned_data.get(name)) for name in ADAPTED_FIELDS):
            raise ValidationError(
                _("Change at least one thing, or remove the local version."), code="empty"
            )
        return cleaned_data


def _filled(value):
    """Whether a field holds something: an empty paragraph of the rich text editor does not."""
    if isinstance(value, str):
        return bool(strip_tags(value).strip()) or "<embed" in value
    return value is not None


PANEL = ObjectList(
    [
        FieldPanel("title", help_text=gettext_lazy("Empty: the title of the original post.")),
        FieldPanel(
            "intro", help_text=gettext_lazy("Empty: the introduction of the original post.")
        ),
        MultiFieldPanel(
            [FieldPanel("hero_image"), FieldPanel("hero_alt")],
            heading=gettext_lazy("Local image"),
            help_text=gettext_lazy("Empty: the image of the original post."),
        ),
        FieldPanel("note_above"),
        FieldPanel("note_below"),
    ],
    base_form_class=LocalAdaptationForm,
).bind_to_model(LocalAdaptation)


class AdaptationMixin(SiteMixin):
    """admin_views.SiteMixin's gate (a 403 before anything is read for anyone but the site's
    editors and administrators and the network's), then the post among those shared with the
    site (a 404)."""

    @cached_property
    def shared_post(self):
        posts = adaptation.adaptable_posts(self.site)
        return get_object_or_404(posts, pk=self.kwargs["post_id"])


class AdaptView(AdaptationMixin, WagtailAdminTemplateMixin, TemplateView):
    """GET: the form, with the site's local version if there is one; POST: saves it."""

    page_title = gettext_lazy("Adapt locally")
    header_icon = "doc-full-inverse"
    template_name = "blog/admin/adaptation_form.html"

    def get_page_subtitle(self):
        return self.shared_post.title

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("blog_shared:index"), "label": _("Shared with my site")},
            {"url": self.index_url, "label": self.site.site_name},
            {"url": "", "label": self.page_title},
        ]

    @cached_property
    def instance(self):
        found = LocalAdaptation.objects.filter(post=self.shared_post, site=self.site).first()
        return found or LocalAdaptation(post=self.shared_post, site=self.site)

    def get_form(self, data=None):
        form_class = PANEL.get_form_class()
        return form_class(data, instance=self.instance, for_user=self.request.user)

    def get(self, request, *args, **kwargs):
        self.shared_post  # a 404 before anything else  # noqa: B018
        return self.render_form(self.get_form())

    def post(self, request, *args, **kwargs):
        form = self.get_form(request.POST)
        if not form.is_valid():
            messages.validation_error(request, _("The local version could not be saved."), form)
            return self.render_form(form)
        local = form.save(commit=False)
        local.updated_by = request.user
        local.save()
        messages.success(
            request,
            _("“%(title)s” now shows on %(site)s as adapted locally.")
            % {"title": self.shared_post.title, "site": self.site.site_name},
        )
        return redirect(self.index_url)

    def render_form(self, form):
        panel = PANEL.get_bound_panel(instance=self.instance, request=self.request, form=form)
        context = self.get_context_data(
            form=form,
            panel=panel,
            media=form.media + panel.media,
            site=self.site,
            shared_post=self.shared_post,
            local=self.instance if self.instance.pk else None,
            action_url=self.request.path,
            submit_button_label=_("Save the local version"),
            submit_button_active_label=_("Saving…"),
        )
        return self.render_to_response(context)


class RemoveView(AdaptationMixin, View):
    """POST only: the site shows the origin's version again."""

    http_method_names = ["post"]

    def post(self, request, site_id, post_id):
        adaptation.remove(self.shared_post, self.site)
        messages.success(
            request,
            _("“%(title)s” shows on %(site)s as its origin wrote it again.")
            % {"title": self.shared_post.title, "site": self.site.site_name},
        )
        return redirect(self.index_url)
