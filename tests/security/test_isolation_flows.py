"""The isolation matrix's flow section: the holes between URLs, where one screen hands another an
id or a value. Generic where it can be, so that a new field or screen is probed without anyone
listing it (the few facts introspection cannot find are in tests/support/flows.py):

- id fields: every field of every page type's, site setting's and snippet's admin form that takes
  an image, document or page id (a ForeignKey, a chooser block at any depth of a StreamField, a
  link or an embed in rich text, an inline form's chooser), sent by a Bretagne editor with an
  Occitanie object's id, on save and on preview: refused with a form error on that field, nothing
  of the object shown; control: the same field with a Bretagne object's id is accepted.
- confirmation screens: every admin URL whose name or route speaks of confirming, moving,
  copying, deleting, unpublishing or bulk actions, opened by each Bretagne role with Occitanie's
  ids (and, for the screens taking two ids, with one of each site): nothing of Occitanie shown.
- reports and the explorer: every report (the reports namespace and the reports menu) opened by
  each Bretagne role while Occitanie has activity (log entries, drafts, redirects, locks): no
  Occitanie title or username.
- profile → team: every field of a user's own account form, set to a value that identifies
  someone of Occitanie (an invited address, a member's username or address), must not make
  Occitanie's team screens add or show that account.

Each test builds the network once and reports every failure, one line each.
"""

import itertools

from django.urls import reverse
from django.utils.http import urlencode

from wagtail import blocks
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.admin.panels import get_edit_handler
from wagtail.contrib.settings.models import BaseSiteSetting
from wagtail.contrib.settings.registry import registry as settings_registry
from wagtail.coreutils import resolve_model_string
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.log_actions import log
from wagtail.models import Page, PreviewableMixin, get_page_models
from wagtail.rich_text import features as feature_registry
from wagtail.snippets.models import get_snippet_models
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

import bs4

from sites import roles
from tests.support import flows
from tests.support.isolation import admin_urls, body, client_for, shown_by, token
from tests.support.isolation_areas import SITE_ROLES
from tests.support.scoping_fixtures import make_member

MARK = token("b")  # every Occitanie object carries it; Occitanie's usernames too
OWN = token("a")


# --- Reading and filling admin forms ---------------------------------------------------------


def form_data(html):
    """The fields of the page's biggest form, as a browser would send them (StreamFields,
    rendered by JavaScript, are left out: the flows send their own)."""
    soup = bs4.BeautifulSoup(html, "html.parser")
    forms = soup.find_all("form")
    form = max(forms, key=lambda f: len(f.find_all(["input", "select", "textarea"])))
    data = {}
    for field in form.find_all(["input", "select", "textarea"]):
        name = field.get("name")
        if not name or name == "csrfmiddlewaretoken":
            continue
        if field.name == "textarea":
            data[name] = field.get_text()
        elif field.name == "select":
            chosen = [o.get("value", o.get_text()) for o in field.find_all("option", selected=True)]
            if field.has_attr("multiple"):
                data[name] = chosen
            elif chosen:
                data[name] = chosen[0]
            else:
                first = field.find("option")
                data[name] = first.get("value", first.get_text()) if first else ""
        elif field.get("type") in ("checkbox", "radio"):
            if field.has_attr("checked"):
                if field.get("type") == "checkbox" and name in data:
                    data[name] = [*_as_list(data[name]), field.get("value", "on")]
                else:
                    data[name] = field.get("value", "on")
        elif field.get("type") not in ("submit", "button", "file"):
            data[name] = field.get("value", "")
    return data


def with_empty_streams(data, form_class):
    """The StreamFields the page's HTML does not carry, sent empty."""
    data = dict(data)
    for name, field in form_class.base_fields.items():
        if getattr(field, "block", None) is not None and f"{name}-count" not in data:
            data.update(nested_form_data({name: streamfield([])}))
    return data


def _as_list(value):
    return value if isinstance(value, list) else [value]


def kind_of(model):
    model = resolve_model_string(model)
    if issubclass(model, get_image_model()):
        return "image"
    if issubclass(model, get_document_model()):
        return "document"
    if issubclass(model, Page):
        return "page"
    return None


RICH_TEXT_FEATURES = {"link": "page", "document-link": "document", "image": "image"}


def rich_text_html(kind, pk):
    if kind == "image":
        return f'<embed embedtype="image" id="{pk}" alt="x" format="fullwidth"/>'
    return f'<p><a linktype="{kind}" id="{pk}">lien</a></p>'


def rich_text_kinds(features):
    features = features or feature_registry.get_default_features()
    return [RICH_TEXT_FEATURES[f] for f in features if f in RICH_TEXT_FEATURES]


class Slot:
    """One place of a form that takes an id: a form field, a path inside a StreamField's blocks,
    or a field of an inline form. `kind` is what it takes; `model`, the model it must be of."""

    def __init__(self, field, kind, model=None, path=(), inline=None, rich=False, features=None):
        self.field, self.kind, self.model, self.path = field, kind, model, tuple(path)
        self.inline, self.rich, self.features = inline, rich, features

    def __str__(self):
        where = ".".join([self.inline or "", self.field, *self.path]).strip(".")
        return f"{where} ({'rich text ' if self.rich else ''}{self.kind})"


def block_slots(field_name, block, path=()):
    """Every chooser and rich-text block of a block tree, with its path of block names."""
    if isinstance(block, blocks.StreamBlock | blocks.StructBlock):
        for name, child in block.child_blocks.items():
            yield from block_slots(field_name, child, (*path, name))
    elif isinstance(block, blocks.ListBlock):
        yield from block_slots(field_name, block.child_block, (*path, "*"))
    elif isinstance(block, blocks.ChooserBlock):
        kind = kind_of(block.target_model)
        if kind:
            yield Slot(field_name, kind, resolve_model_string(block.target_model), path)
    elif isinstance(block, blocks.RichTextBlock):
        for kind in rich_text_kinds(block.features):
            yield Slot(field_name, kind, None, path, rich=True, features=block.features)


def form_slots(form_class, inline=None):
    """Every slot of an admin form class and of its inline forms."""
    for name, field in form_class.base_fields.items():
        block = getattr(field, "block", None)
        queryset = getattr(field, "queryset", None)
        widget_features = getattr(field.widget, "features", None)
        if block is not None:
            yield from block_slots(name, block)
        elif queryset is not None and kind_of(queryset.model):
            yield Slot(name, kind_of(queryset.model), queryset.model, inline=inline)
        elif type(field.widget).__name__ == "DraftailRichTextArea":
            for kind in rich_text_kinds(widget_features):
                yield Slot(name, kind, None, inline=inline, rich=True, features=widget_features)
    for name, formset in getattr(form_class, "formsets", {}).items():
        yield from form_slots(formset.form, inline=name)


def block_value(block, slot, pk, path=()):
    """A valid value (as nested form data) for a block, with `pk` at the slot's path and
    harmless filler everywhere else."""
    here = tuple(path)
    target = here == slot.path
    if isinstance(block, blocks.StreamBlock):
        name = slot.path[len(here)]
        return streamfield([(name, block_value(block.child_blocks[name], slot, pk, (*here, name)))])
    if isinstance(block, blocks.StructBlock):
        return {
            name: block_value(child, slot, pk, (*here, name))
            for name, child in block.child_blocks.items()
        }
    if isinstance(block, blocks.ListBlock):
        value = block_value(block.child_block, slot, pk, (*here, "*"))
        return {"count": "1", "0": {"value": value, "deleted": "", "order": "0", "id": ""}}
    if target and slot.rich:
        return rich_text(rich_text_html(slot.kind, pk), features=slot.features)
    if target:
        return str(pk)
    if isinstance(block, blocks.RichTextBlock):
        return rich_text("<p>Texte</p>", features=block.features)
    if isinstance(block, blocks.URLBlock):
        return "https://example.org/"
    if isinstance(block, blocks.ChoiceBlock):
        return str(block.field.choices[0][0] or block.field.choices[1][0])
    if isinstance(block, blocks.ChooserBlock | blocks.BooleanBlock):
        return ""
    if isinstance(block, blocks.IntegerBlock | blocks.DecimalBlock | blocks.FloatBlock):
        return "1"
    if isinstance(block, blocks.DateBlock):
        return "2026-01-01"
    return "Texte"


def fill(data, form_class, slot, pk):
    """The form data `data` with `pk` put in the slot (and the slot's companions)."""
    data = dict(data)
    if slot.inline:
        prefix = slot.inline
        count = int(data.get(f"{prefix}-TOTAL_FORMS", 0))
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": str(count + 1),
                f"{prefix}-{count}-{slot.field}": str(pk),
                f"{prefix}-{count}-id": "",
                f"{prefix}-{count}-ORDER": str(count + 1),
                f"{prefix}-{count}-DELETE": "",
            }
        )
        return data
    field = form_class.base_fields[slot.field]
    if getattr(field, "block", None) is not None:
        data = {k: v for k, v in data.items() if not k.startswith(f"{slot.field}-")}
        data.update(nested_form_data({slot.field: block_value(field.block, slot, pk)}))
    elif slot.rich:
        data[slot.field] = rich_text(rich_text_html(slot.kind, pk), features=slot.features)
    else:
        data[slot.field] = str(pk)
    data.update(flows.COMPANIONS.get(slot.field, {}))
    return data


# --- The objects of each site ----------------------------------------------------------------


def page_of(world, key, model, exclude=None):
    """A page of the site of this model (Occitanie's carrying the marker)."""
    o = world[key]
    o.make("page", "post")
    pages = model.objects.descendant_of(o.home, inclusive=True)
    if exclude is not None:
        pages = pages.exclude(pk=exclude.pk)
    marked = pages.filter(title__contains=o.token).first()
    return marked or pages.first()


def object_for(world, key, slot, instance=None):
    o = world[key]
    if slot.kind == "image":
        return o.image
    if slot.kind == "document":
        return o.document
    return page_of(world, key, slot.model or Page, exclude=instance)


# --- What a Bretagne editor edits ------------------------------------------------------------


def bretagne_page(world, model):
    """A page of this type on Bretagne, made if the site has none (under the first page that
    may hold it)."""
    a = world["a"]
    a.make("page", "post")
    page = model.objects.descendant_of(a.home, inclusive=True).first()
    if page is not None:
        return page
    for parent in Page.objects.descendant_of(a.home, inclusive=True).specific():
        if model in type(parent).allowed_subpage_models() and model.can_create_at(parent):
            page = model(title=f"{model._meta.verbose_name} {OWN}", slug=f"flow-{model.__name__}")
            parent.add_child(instance=page)
            page.save_revision()
            return page
    return None


def edit_targets(world):
    """(label, instance, edit URL, preview URL or None, form class) of every model a Bretagne
    editor edits in forms that take ids: every page type, every site setting, every snippet."""
    editor = world.people[roles.EDITOR]
    finder = AdminURLFinder(editor)
    for model in get_page_models():
        if model is Page:
            continue
        page = bretagne_page(world, model)
        if page is None:
            yield (model.__name__, None, None, None, None)
            continue
        form_class = page.get_edit_handler().get_form_class()
        preview = reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk])
        edit = reverse("wagtailadmin_pages:edit", args=[page.pk])
        yield (model.__name__, page, edit, preview, form_class)
    for model in settings_registry:
        if not issubclass(model, BaseSiteSetting):
            continue  # generic settings: network administrators only (the matrix checks it)
        instance = model.for_site(world["a"].site)
        edit = reverse(
            "wagtailsettings:edit",
            args=[model._meta.app_label, model._meta.model_name, world["a"].site.pk],
        )
        yield (model.__name__, instance, edit, None, get_edit_handler(model).get_form_class())
    for model in get_snippet_models():
        viewset = model.snippet_viewset
        if not viewset.permission_policy.user_has_permission(editor, "change"):
            continue
        world["a"].make("author")  # an author of Bretagne's (Bretagne's editor edits no other)
        editable = viewset.permission_policy.instances_user_has_permission_for(editor, "change")
        instance = editable.first()
        edit = finder.get_edit_url(instance)
        preview = None
        if issubclass(model, PreviewableMixin) and viewset.preview_enabled:
            preview = reverse(viewset.get_url_name("preview_on_edit"), args=[instance.pk])
        yield (model.__name__, instance, edit, preview, viewset.get_form_class(for_update=True))


def errors_of(response):
    form = (response.context or {}).get("form")
    if form is None:
        return {}
    errors = dict(form.errors)
    for formset in getattr(form, "formsets", {}).values():
        for child in formset.forms:
            for name, messages in child.errors.items():
                errors.setdefault(name, messages)
    return errors


def refused_on(response, slot):
    errors = errors_of(response)
    if slot.inline:
        return "__all__" in errors or slot.field in errors
    return slot.field in errors


def test_id_fields_refuse_other_sites_objects_on_save_and_preview(world):
    """A Bretagne editor puts an Occitanie image, document or page in each slot of each form:
    the save and the preview are refused with an error on the field, and nothing of Occitanie
    shows; a Bretagne object in the same slot is accepted. The site settings' id fields (logo,
    favicon, policy pages) are the site administrators' (sites.settings_roles): probed as the
    Bretagne administrator."""
    editor_client = client_for(world.people[roles.EDITOR])
    administrator_client = client_for(world.people[roles.ADMINISTRATOR])
    failures, probed = [], 0
    flows.prepare(world)
    for label, instance, edit, preview, form_class in edit_targets(world):
        settings = isinstance(instance, BaseSiteSetting)
        client = administrator_client if settings else editor_client
        if instance is None:
            failures.append(f"{label}: no Bretagne page of this type to edit (add it to the flow)")
            continue
        slots = list(form_slots(form_class))
        if not slots:
            continue
        page = client.get(edit)
        if page.status_code != 200:
            failures.append(f"{label}: {edit} -> {page.status_code} for the Bretagne editor")
            continue
        base = with_empty_streams(form_data(body(page)), form_class)
        for slot in slots:
            probed += 1
            theirs = object_for(world, "b", slot, instance)
            ours = object_for(world, "a", slot, instance)
            where = f"{label}.{slot}"
            if theirs is None or ours is None:
                failures.append(f"{where}: no object of each site to put in it")
                continue
            attack = fill(base, form_class, slot, theirs.pk)
            response = client.post(edit, attack)
            if response.status_code != 200 or not refused_on(response, slot):
                failures.append(
                    f"{where}: save with Occitanie's #{theirs.pk} -> {response.status_code}, "
                    f"errors {sorted(errors_of(response))}"
                )
            if MARK in shown_by(response):
                failures.append(f"{where}: the refused save shows {MARK}")
            if preview:
                answer = client.post(preview, attack)
                if answer.status_code != 200 or answer.json().get("is_valid") is not False:
                    failures.append(f"{where}: preview with Occitanie's id -> {body(answer)}")
                shown = client.get(preview)
                if MARK in body(shown):
                    failures.append(f"{where}: the preview shows {MARK}")
            control = client.post(edit, fill(base, form_class, slot, ours.pk))
            if control.status_code != 302:
                failures.append(
                    f"{where}: control with Bretagne's #{ours.pk} -> {control.status_code}, "
                    f"errors {errors_of(control)}"
                )
            if preview:
                answer = client.post(preview, fill(base, form_class, slot, ours.pk))
                if answer.json().get("is_valid") is not True:
                    failures.append(f"{where}: control preview -> {body(answer)}")
    assert probed, "no slot found: the introspection is broken"
    assert not failures, f"{len(failures)} id-field failures:\n" + "\n".join(failures)


# --- Occitanie's activity --------------------------------------------------------------------


def occitanie_activity(world):
    """Occitanie's objects, a team member whose username carries the marker, and what the
    reports read: log entries of pages, redirects and media, a draft on top of a published page,
    a locked page, a page with children."""
    b = world["b"]
    b.make("page", "folder", "redirect", "post", "image", "document", "revision")
    member = make_member(b.site, roles.ADMINISTRATOR, f"{MARK}-administrator")
    child = type(b.page)(title=f"Enfant {MARK}", slug=f"enfant-{MARK}")
    b.folder.add_child(instance=child)
    for instance in (b.page, b.folder, b.redirect, b.image, b.document, child):
        log(
            instance,
            "wagtail.edit" if isinstance(instance, Page) else "wagtail.create",
            user=member,
        )
    draft = Page.objects.get(pk=b.page.pk).specific
    draft.title = f"Dernier brouillon {MARK}"
    draft.save_revision(user=member, log_action=True)
    return member


def bretagne_clients(world):
    return {role: client_for(world.people[role]) for role in SITE_ROLES}


def leaks(client, url, role, hidden=(MARK,)):
    response = client.get(url)
    text = shown_by(response)
    problems = [f"shows {marker}" for marker in hidden if marker in text]
    if response.status_code >= 500:
        problems.append("server error")
    return (
        [f"{role}: GET {url} -> {response.status_code}: {'; '.join(problems)}"] if problems else []
    )


# --- Confirmation screens --------------------------------------------------------------------


def route_kind(route):
    for prefix, kind in flows.ROUTE_KINDS:
        if route.startswith(prefix):
            return kind
    return None


def confirmation_urls():
    """(key, route, kwargs) of every admin URL that names a confirmation screen."""
    for key, route, kwargs in admin_urls():
        text = f"{key} {route}".lower()
        if any(word in text for word in flows.CONFIRMATION_WORDS):
            yield key, route, kwargs


def id_of(world, site_key, kind, kwarg):
    o = world[site_key]
    if "revision" in kwarg:
        return o.revision.pk
    if "task" in kwarg:
        return o.task.pk
    if "workflow" in kwarg:
        return o.workflow.pk
    if kind == "site":
        return o.site.pk
    if kind == "page" and ("dest" in kwarg or "parent" in kwarg):
        return o.folder.pk
    return getattr(o, kind).pk


def two_site_combinations(kwargs):
    """Each kwarg from Bretagne or Occitanie, never all from Bretagne."""
    for keys in itertools.product("ab", repeat=len(kwargs)):
        if "b" in keys:
            yield dict(zip(kwargs, keys, strict=True))


def test_confirmation_screens_show_nothing_of_another_site(world):
    """Every confirmation screen (move, copy, delete, unpublish, bulk actions…), opened by each
    Bretagne role with Occitanie's ids, alone or beside Bretagne's: nothing of Occitanie shown."""
    occitanie_activity(world)
    world["b"].make("comment")
    world["a"].make("page", "folder", "revision", "image", "document", "redirect", "comment")
    clients = bretagne_clients(world)
    failures, probed = [], 0
    for key, route, kwargs in confirmation_urls():
        if key in flows.CONFIRMATIONS_NOT_PROBED:
            continue
        kind = route_kind(route)
        if not kwargs:
            continue  # asks for nothing: shows nothing of anyone (the matrix checks it)
        if kind is None:
            failures.append(
                f"{key} (/{route}): which objects do its arguments name? Add its route to "
                "flows.ROUTE_KINDS or a reason to flows.CONFIRMATIONS_NOT_PROBED"
            )
            continue
        for sites in two_site_combinations(kwargs):
            args = {kw: id_of(world, sites[kw], kind, kw) for kw in kwargs}
            url = reverse(key, kwargs=args)
            probed += 1
            for role, client in clients.items():
                failures += leaks(client, url, role)
    for url in bulk_confirmation_urls(world):
        probed += 1
        for role, client in clients.items():
            failures += leaks(client, url, role)
    assert probed
    assert not failures, f"{len(failures)} confirmation screens leak:\n" + "\n".join(failures)


def bulk_confirmation_urls(world):
    """Every registered bulk action's confirmation, with an id of each site."""
    from wagtail.admin.views.bulk_action.registry import bulk_action_registry

    kinds = {"wagtailcore": "page", "wagtailimages": "image", "wagtaildocs": "document"}
    for app_label, models in bulk_action_registry.actions.items():
        for model_name, actions in models.items():
            kind = kinds.get(app_label)
            if kind is None:
                continue
            ids = urlencode(
                [("id", getattr(world[key], kind).pk) for key in ("b", "a")], doseq=True
            )
            for action in actions:
                yield (
                    reverse(
                        "wagtail_bulk_action",
                        kwargs={"app_label": app_label, "model_name": model_name, "action": action},
                    )
                    + f"?{ids}"
                )


# --- Reports and the explorer ----------------------------------------------------------------


def report_urls():
    """Every report: the URL names of the reports namespace and of the reports menu, and every
    admin URL whose name speaks of a report (taking no argument)."""
    from wagtail import hooks

    urls = set()
    for key, _route, kwargs in admin_urls():
        if kwargs or key.startswith("/"):
            continue
        if "report" in key:
            urls.add(reverse(key))
    for fn in hooks.get_hooks("register_reports_menu_item"):
        urls.add(fn().url)
    return sorted(urls)


def explorer_urls(world):
    b = world["b"]
    root = Page.get_first_root_node()
    api = "/admin/api/main/pages/"
    return [
        reverse("wagtailadmin_explore_root"),
        reverse("wagtailadmin_explore", args=[root.pk]),
        reverse("wagtailadmin_explore", args=[b.home.pk]),
        reverse("wagtailadmin_explore", args=[b.folder.pk]),
        f"{api}?child_of=root&for_explorer=1",
        f"{api}?child_of={root.pk}&for_explorer=1",
        f"{api}?child_of={b.home.pk}&for_explorer=1",
        f"{api}?child_of={b.folder.pk}&for_explorer=1",
        f"{api}{b.folder.pk}/",
        f"{api}?descendant_of={root.pk}&for_explorer=1",
    ]


def test_reports_and_the_explorer_show_nothing_of_another_site(world):
    """Every report and the explorer (pages and the admin API behind its menu), opened by each
    Bretagne role while Occitanie is busy: no Occitanie title, draft or username."""
    member = occitanie_activity(world)
    world["a"].make("page", "folder", "redirect")
    clients = bretagne_clients(world)
    urls = report_urls()
    assert reverse("wagtailadmin_reports:site_history") in urls
    failures = []
    for url in urls:  # the site filters may name the sites (public), nothing else of theirs
        for role, client in clients.items():
            failures += leaks(client, url, role, hidden=(MARK, member.username))
    for url in explorer_urls(world):
        for role, client in clients.items():
            failures += leaks(client, url, role, hidden=(MARK, world["b"].home.title))
    assert not failures, f"{len(failures)} leaks:\n" + "\n".join(failures)


# --- Profile → team --------------------------------------------------------------------------


def account_fields(data):
    """The fields of one's own account form that take a typed value (no password, no choice
    made of fixed options)."""
    return [
        name
        for name, value in data.items()
        if isinstance(value, str) and "password" not in name and not name.endswith("-id")
    ]


def occitanie_team_ids(world):
    b = world["b"]
    return {
        user_id
        for role in SITE_ROLES
        for user_id in b.group(role).user_set.values_list("pk", flat=True)
    }


def test_own_account_fields_do_not_hand_the_account_to_another_sites_team(world):
    """A Bretagne editor sets each field of their own account to what identifies someone of
    Occitanie (the address Occitanie's administrator is about to invite, a member's address or
    username); then Occitanie's administrator invites that address and opens the team screens:
    the editor's account never joins Occitanie's team nor shows on its screens."""
    from django.contrib.auth import get_user_model

    b = world["b"]
    squatter = world.people[roles.EDITOR]
    saved = get_user_model().objects.filter(pk=squatter.pk).values().get()
    administrator = make_member(b.site, roles.ADMINISTRATOR, f"{MARK}-administrateur")
    team_admin = client_for(administrator)
    own = client_for(squatter)
    account = reverse("wagtailadmin_account")
    base = form_data(body(own.get(account)))
    failures = []
    fields = account_fields(base)
    assert any("email" in name for name in fields), f"no e-mail field among {fields}"
    for index, field in enumerate(fields):
        invited = f"invite-{index}-{MARK}@example.org"
        for value in (invited, b.member.email, b.member.username):
            own.post(account, {**base, field: value})
            team_admin.post(
                reverse("maillage_team:invite", args=[b.site.pk]),
                {"email": invited, "name": "", "role": roles.ADMINISTRATOR},
            )
            team_admin.post(
                reverse("maillage_team:index", args=[b.site.pk]),
                {"user": value, "role": roles.ADMINISTRATOR},
            )
            if squatter.pk in occitanie_team_ids(world):
                failures.append(f"{field}={value!r}: the editor joined Occitanie's team")
            index_page = body(team_admin.get(reverse("maillage_team:index", args=[b.site.pk])))
            if squatter.get_username() in index_page:
                failures.append(f"{field}={value!r}: Occitanie's team page shows the editor")
            for group in (b.group(role) for role in SITE_ROLES):
                group.user_set.remove(squatter)
            get_user_model().objects.filter(pk=squatter.pk).update(
                **{k: v for k, v in saved.items() if k not in ("id", "last_login")}
            )
    assert not failures, f"{len(failures)} profile → team failures:\n" + "\n".join(failures)
