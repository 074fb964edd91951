"""What a user may put in a field that takes an id: the images, documents and pages their choosers
offer, checked again when a form is saved or previewed.

The choosers only offer the user's own sites' objects, but the fields they fill (a ForeignKey, a
chooser block, a link or an embed in rich text) accept any id typed into the request: a Bretagne
editor could put an Occitanie image on every Bretagne page, or preview an Occitanie document's
title. `may_choose` is the one answer, used by the choosers' querysets (sites/hooks/scoping.py)
and by `ChoosableReferencesFormMixin`, the base of the admin forms of every page type, the site
settings and the authors. An id already in the saved object is kept (a network administrator may
have put it there); a new one must be choosable.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm
from wagtail.coreutils import resolve_model_string
from wagtail.documents import get_document_model
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.permissions import policy_registry

from . import roles, scoping

# --- The rule ----------------------------------------------------------------------------------


def _kind(model):
    """'image', 'document' or 'page' for the models a chooser fills, else None."""
    model = resolve_model_string(model)
    if issubclass(model, get_image_model()):
        return "image"
    if issubclass(model, get_document_model()):
        return "document"
    if issubclass(model, Page):
        return "page"
    return None


def choosable(user, queryset):
    """Narrow a queryset of images, documents or pages to what the user's choosers offer: the
    collections they may choose from, the pages of the sites they edit; everything for network
    administrators and superusers."""
    if roles.is_network_admin(user):
        return queryset
    kind = _kind(queryset.model)
    if kind == "page":
        return scoping.choosable_pages(user, queryset)
    if kind in ("image", "document"):
        policy = policy_registry.get_by_type(queryset.model)
        allowed = policy.instances_user_has_any_permission_for(user, ["choose"])
        return queryset.filter(pk__in=allowed.values("pk"))
    return queryset.none()


def may_choose(user, obj):
    """Whether the user may put this image, document or page in a field."""
    model = Page if isinstance(obj, Page) else type(obj)._meta.concrete_model
    return choosable(user, model._default_manager.filter(pk=obj.pk)).exists()


# --- What a value refers to -------------------------------------------------------------------


_MODELS = {
    "image": get_image_model,
    "document": get_document_model,
    "page": lambda: Page,
}


def field_references(field, value):
    """(kind, id) of what a model field's value refers to, for the fields that take ids: Wagtail's
    own reference extraction (the one its reference index uses) for streams and rich text, at
    any depth, and the value of a ForeignKey."""
    if isinstance(field, StreamField | RichTextField):
        if value is None:
            return
        for model, object_id, _model_path, _content_path in field.extract_references(value):
            kind = _kind(model)
            if kind:
                yield kind, object_id
    elif isinstance(field, models.ForeignKey):
        kind = _kind(field.related_model)
        if kind and value is not None:
            yield kind, getattr(value, "pk", value)


def refers_to_ids(model):
    """The names of a model's fields that take an image, document or page id (or hold rich text
    or a stream), which `ChoosableReferencesFormMixin` checks: the isolation matrix lists them."""
    names = []
    for field in model._meta.get_fields():
        if isinstance(field, StreamField | RichTextField) or (
            isinstance(field, models.ForeignKey)
            and _kind(field.related_model)
            and field.name not in _NOT_CHOSEN
        ):
            names.append(field.name)
    return names


# Page fields Wagtail keeps for itself, never filled from a chooser.
_NOT_CHOSEN = {"live_revision", "latest_revision", "alias_of", "locked_by", "owner"}


def refused(user, references, kept=()):
    """The (kind, id) among `references` the user may not choose (those in `kept`, already in
    the saved object, excepted). A malformed or unknown id is refused too."""
    wanted = {}
    for kind, pk in references:
        pk = str(pk)
        if (kind, pk) not in kept:
            wanted.setdefault(kind, set()).add(pk)
    bad = []
    for kind, pks in wanted.items():
        ids = {int(pk) for pk in pks if pk.isdigit()}
        model = _MODELS[kind]()
        allowed = set(
            choosable(user, model._default_manager.filter(pk__in=ids)).values_list("pk", flat=True)
        )
        bad += [(kind, pk) for pk in sorted(pks) if not pk.isdigit() or int(pk) not in allowed]
    return bad


_KIND_LABELS = {
    "image": lambda pk: _("image #%(id)s") % {"id": pk},
    "document": lambda pk: _("document #%(id)s") % {"id": pk},
    "page": lambda pk: _("page #%(id)s") % {"id": pk},
}


def refusal_message(refusals):
    """The error shown on the field: the ids only (never the titles of what the user may not
    see)."""
    named = ", ".join(_KIND_LABELS[kind](pk) for kind, pk in refusals)
    return _("You may not use %(objects)s here: choose from your own site's.") % {"objects": named}


# --- The forms --------------------------------------------------------------------------------


def _saved_references(instance, field):
    if instance is None or instance.pk is None:
        return set()
    value = field.value_from_object(instance)
    return {(kind, str(pk)) for kind, pk in field_references(field, value)}


def check_form_references(form, user):
    """Add an error to each field of the form (and of its inline forms) holding an id the user
    may not choose."""
    if user is None:
        return
    _check_one_form(form, user, form_errors=form)
    for name, formset in getattr(form, "formsets", {}).items():
        for child in formset.forms:
            if child.errors or not child.has_changed() or child.cleaned_data.get("DELETE"):
                continue
            _check_one_form(child, user, form_errors=form, inline=name)


def _saved_value(data, initial):
    return initial


def _check_one_form(form, user, form_errors, inline=None):
    model = form._meta.model
    cleaned = getattr(form, "cleaned_data", None) or {}
    for name in refers_to_ids(model):
        if name not in cleaned:
            continue
        field = model._meta.get_field(name)
        kept = _saved_references(form.instance, field)
        bad = refused(user, field_references(field, cleaned[name]), kept)
        if not bad:
            continue
        message = refusal_message(bad)
        # Shown again, the field would name what the id points to (a chooser shows the title
        # of any id it is given): it shows the saved value instead.
        form.fields[name].bound_data = _saved_value
        if inline is None:
            form_errors.add_error(name, ValidationError(message, code="not_choosable"))
        else:
            label = str(field.verbose_name)
            form_errors.add_error(
                None,
                ValidationError(
                    f"{label.capitalize()}: {message}",
                    code="not_choosable",
                ),
            )


class ChoosableReferencesFormMixin:
    """For a WagtailAdminModelForm (or page form): refuses ids the editing user may not choose,
    on save and on preview (Wagtail's preview validates the same form and does not render an
    invalid one)."""

    def clean(self):
        cleaned_data = super().clean()
        check_form_references(self, getattr(self, "for_user", None))
        return cleaned_data


class ChoosableReferencesModelForm(ChoosableReferencesFormMixin, WagtailAdminModelForm):
    """The base form of the site settings and the snippets that take ids."""


class ChoosableReferencesPageForm(ChoosableReferencesFormMixin, WagtailAdminPageForm):
    """The base form of every page type (its `base_form_class`)."""
