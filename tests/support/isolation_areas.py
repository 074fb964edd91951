"""The isolation matrix as data: every admin area, the requests that act in it, and every other
admin URL with the reason it is not site-scoped.

tests/security/test_isolation_matrix.py walks the admin URLconf and fails, naming the URL, for any
URL name declared neither in an Area nor in NOT_SITE_SCOPED: a new admin area fails the matrix
until it is declared here. Each Area's tests are parametrized from its probes.

A probe is one request, built against the objects of a target site (tests/security/conftest.py
SiteObjects `o`; `own` is the acting user's own site). The matrix sends it:
- as each role of site A against site B's objects (and, for the roles not entitled in the area,
  against A's own): refused, nothing changes, nothing of the target shows;
- as the least of A's roles entitled to it against A's objects, the network administrator
  against B's and the superuser against the head site's (fresh objects for every change): it
  works (the controls).

To declare a new admin area: add an Area with its URL names and a probe per URL name (or a
reason in `unprobed`), say who is entitled, and add it to AREAS. A URL that shows no object of
any site goes to NOT_SITE_SCOPED with a one-line reason.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Locale, Page

from blog.choices import ProposalStatus
from blog.models import Author, BlogCategory, HiddenSharedPost, LocalAdaptation, ShareProposal
from comments.models import Comment, CommentStatus
from sites import roles
from sites.models import SiteProfile, SiteSettings
from tests.support.forms import page_form, png, redirect_form, settings_form

EDITOR, MODERATOR, ADMINISTRATOR = roles.EDITOR, roles.MODERATOR, roles.ADMINISTRATOR
SITE_ROLES = (EDITOR, MODERATOR, ADMINISTRATOR)
NETWORK_ADMINISTRATOR = "network administrator"
SUPERUSER = "superuser"
ANONYMOUS = "anonymous"
NETWORK_ROLES = (NETWORK_ADMINISTRATOR, SUPERUSER)
SUPERUSERS_ONLY = (SUPERUSER,)
READERS = (*SITE_ROLES, *NETWORK_ROLES)  # everyone in the admin

ACTIONS = ("list", "view", "create", "edit", "publish", "delete", "bulk")

SITE = "site"  # each object belongs to one site
NETWORK = "network"  # one set of objects for the whole network, managed by its administrators


@dataclass(frozen=True)
class Probe:
    """One request of an area.

    args/data/query: callables (o, own) -> URL args, POST body, query string.
    lists: a listing or chooser: shows the objects of the user's sites, and only those (the
        control looks for the target's token, or its site's name if lists == "site").
    control: True, or why no control can show this request succeeding.
    done: (o) -> bool, for the control: the action took effect.
    entitled: who may do this, if not the area's roles (in a SITE area, the network
        administrator may do everything unless a probe's `entitled` leaves them out).
    ok: the control's expected status or statuses (GET 200, POST 302 unless said otherwise).
    target_state: (o) -> value that a refused request must leave unchanged, instead of the whole
        database (for uploads that Wagtail files into the user's own collection whatever is sent).
    may_answer: why a refused request may answer 200 (a form shown again with its error, a
        harmless answer); it must still change nothing and show nothing of the target.
    needs: objects to make on the target before sending, besides those the URL and body name.
    hides: (o) -> what else a refused answer must not show of the target (besides its token).
    """

    action: str
    url_name: str
    args: Callable = None
    method: str = "get"
    data: Callable = None
    query: Callable = None
    xhr: bool = False
    lists: object = False
    control: object = True
    done: Callable = None
    entitled: tuple = None
    ok: object = None
    target_state: Callable = None
    may_answer: str = ""
    needs: tuple = ()
    hides: Callable = None

    def __post_init__(self):
        assert self.action in ACTIONS, self.action
        assert self.method in ("get", "post", "put"), self.method

    def url(self, o, own):
        args = self.args(o, own) if self.args else []
        url = reverse(self.url_name, kwargs=args) if isinstance(args, dict) else None
        url = url or reverse(self.url_name, args=args)
        query = self.query(o, own) if self.query else ""
        return f"{url}?{query}" if query else url

    @property
    def expected_statuses(self):
        ok = self.ok or (200 if self.method == "get" else 302)
        return ok if isinstance(ok, tuple) else (ok,)

    def shown(self, o):
        """What the control's response must show of the target."""
        return o.site.site_name if self.lists == "site" else o.token

    def __str__(self):
        return f"{self.action} {self.method.upper()} {self.url_name}"


@dataclass(frozen=True)
class Area:
    """An admin area: the URL names it owns, who may act in it, and its probes.

    entitled: for a SITE area, the site roles that may act on their own site's objects (the
    network's administrators may act everywhere); for a NETWORK area, who may act at all.
    objects: what to make on every site before probing, so that listings have something to leak.
    unprobed: URL names of the area with no probe, and why.
    """

    name: str
    scope: str
    url_names: tuple
    entitled: tuple
    probes: tuple
    objects: tuple = ()
    unprobed: dict = field(default_factory=dict)

    def __str__(self):
        return self.name


P = Probe
FORM_ERROR = "refused by a form error: the form is shown again"


def bulk(app_label, model_name, action):
    return lambda o, own: [app_label, model_name, action]


def ids(*pks):
    return "&".join(f"id={pk}" for pk in pks)


def exists(model, **filters):
    return model.objects.filter(**filters).exists()


# --- Pages ---------------------------------------------------------------------------------------

page = "wagtailadmin_pages:"
STANDARD_PAGE = ["maillage_sites", "standardpage"]


def new_page(o, own, **changes):
    return page_form(o.page, title="Nouvelle", slug=f"nouvelle-{o.key}{o.suffix}", **changes)


# Locking pages is for administrators (EDITOR_PAGE_PERMISSIONS has no lock). Submitting a page
# for translation needs wagtail-localize's submit_translation permission, which the site factory
# gives editors and administrators (and the network administrators): sites/translation_views.py,
# mounted at wagtail-localize's paths, keeps them to their own sites' pages.
LOCKERS = (ADMINISTRATOR, NETWORK_ADMINISTRATOR)
TRANSLATORS = (EDITOR, ADMINISTRATOR, NETWORK_ADMINISTRATOR)
localize = "maillage_localize:"

PAGES = Area(
    name="pages",
    scope=SITE,
    entitled=(EDITOR, ADMINISTRATOR),
    objects=("page", "folder", "translation"),
    url_names=(
        "wagtailadmin_explore_root",
        "wagtailadmin_explore",
        "wagtailadmin_explore_results",
        *(
            page + name
            for name in (
                "add",
                "preview_on_add",
                "type_use",
                "type_use_results",
                "choose_parent",
                "usage",
                "edit",
                "preview_on_edit",
                "view_draft",
                "add_subpage",
                "delete",
                "unpublish",
                "convert_alias",
                "search",
                "search_results",
                "move",
                "move_confirm",
                "set_page_position",
                "copy",
                "workflow_action",
                "collect_workflow_action_data",
                "confirm_workflow_cancellation",
                "workflow_preview",
                "set_privacy",
                "lock",
                "unlock",
                "revisions_index",
                "revisions_view",
                "revisions_revert",
                "revisions_unschedule",
                "revisions_compare",
                "workflow_history",
                "workflow_history_detail",
                "history",
                "history_results",
            )
        ),
        "wagtailadmin_choose_page",
        "wagtailadmin_choose_page_child",
        "wagtailadmin_choose_page_search",
        "wagtailadmin_choose_page_chosen_multiple",
        "wagtailadmin_api:pages:listing",
        "wagtailadmin_api:pages:detail",
        "wagtailadmin_api:pages:find",
        "wagtailadmin_api:pages:action",
        "wagtailadmin_editing_sessions:ping",
        "wagtailadmin_reports:locked_pages",
        "wagtailadmin_reports:locked_pages_results",
        "wagtailadmin_reports:aging_pages",
        "wagtailadmin_reports:aging_pages_results",
        "maillage_reports:site_history",
        "maillage_reports:site_history_results",
        "maillage_reports:page_types_usage",
        "maillage_reports:page_types_usage_results",
        localize + "submit_page_translation",
        localize + "update_translations",
        localize + "edit_string_translation",
        localize + "edit_override",
        localize + "download_pofile",
        localize + "upload_pofile",
        localize + "machine_translate",
        localize + "preview_translation",
        localize + "stop_translation",
        localize + "convert_to_alias",
        "maillage_translations:translations_report",
        "maillage_translations:translations_report_results",
        "wagtail_bulk_action",
    ),
    unprobed={
        localize + "edit_override": (
            "the page has no overridable segment (link, image, embed) to aim at; the view asks "
            "the same question as edit_string_translation (user_can_edit_instance)"
        ),
        localize + "machine_translate": (
            "no machine translator is configured: 404 for everyone before any object is read"
        ),
    },
    probes=(
        # Listings and choosers
        P("list", "wagtailadmin_explore_root", ok=(200, 302)),
        P("list", page + "search", query=lambda o, own: "q=secret", lists=True),
        P("list", page + "search_results", query=lambda o, own: "q=secret", lists=True),
        P("list", page + "type_use", args=lambda o, own: STANDARD_PAGE, lists=True),
        P("list", page + "type_use_results", args=lambda o, own: STANDARD_PAGE, lists=True),
        P("list", page + "choose_parent", args=lambda o, own: STANDARD_PAGE),
        P("list", "wagtailadmin_choose_page", xhr=True),
        P("list", "wagtailadmin_choose_page_search", query=lambda o, own: "q=secret", lists=True),
        P("list", "wagtailadmin_api:pages:listing", query=lambda o, own: "search=secret"),
        P(
            "list",
            "wagtailadmin_api:pages:listing",
            query=lambda o, own: f"child_of={o.home.pk}",
            lists=True,
        ),
        P("list", "maillage_reports:site_history", lists=True),
        P("list", "maillage_reports:site_history_results", lists=True),
        P("list", "wagtailadmin_reports:aging_pages", lists=True),
        P("list", "wagtailadmin_reports:aging_pages_results", lists=True),
        P("list", "maillage_reports:page_types_usage"),
        P("list", "maillage_reports:page_types_usage_results"),
        # Locking is for administrators (EDITOR_PAGE_PERMISSIONS has no lock).
        P("list", "wagtailadmin_reports:locked_pages", lists=True, entitled=LOCKERS),
        P("list", "wagtailadmin_reports:locked_pages_results", lists=True, entitled=LOCKERS),
        # One page
        P("view", "wagtailadmin_explore", args=lambda o, own: [o.home.pk], lists=True),
        P("view", "wagtailadmin_explore_results", args=lambda o, own: [o.home.pk], lists=True),
        P("view", "wagtailadmin_choose_page_child", args=lambda o, own: [o.home.pk], lists=True),
        P(
            "view",
            "wagtailadmin_choose_page_chosen_multiple",
            query=lambda o, own: ids(o.page.pk),
            lists=True,
        ),
        P("view", "wagtailadmin_api:pages:detail", args=lambda o, own: [o.page.pk], lists=True),
        P(
            "view",
            "wagtailadmin_api:pages:find",
            query=lambda o, own: f"id={o.page.pk}",
            ok=302,
        ),
        P("view", page + "edit", args=lambda o, own: [o.page.pk]),
        P("view", page + "usage", args=lambda o, own: [o.page.pk]),
        P("view", page + "view_draft", args=lambda o, own: [o.page.pk]),
        P("view", page + "history", args=lambda o, own: [o.page.pk]),
        P("view", page + "history_results", args=lambda o, own: [o.page.pk]),
        P("view", page + "revisions_index", args=lambda o, own: [o.page.pk], ok=302),
        P("view", page + "revisions_view", args=lambda o, own: [o.page.pk, o.revision.pk]),
        P("view", page + "revisions_revert", args=lambda o, own: [o.page.pk, o.revision.pk]),
        P(
            "view",
            page + "revisions_compare",
            args=lambda o, own: {
                "pk": o.page.pk,
                "revision_id_a": "earliest",
                "revision_id_b": "latest",
            },
        ),
        P("view", page + "workflow_history", args=lambda o, own: [o.page.pk]),
        P(
            "view",
            page + "workflow_history_detail",
            args=lambda o, own: [o.page.pk, 1],
            control="no workflow runs in the network (Wagtail's workflows are unused)",
        ),
        P(
            "view",
            page + "workflow_preview",
            args=lambda o, own: [o.page.pk, 1],
            control="no workflow runs in the network (Wagtail's workflows are unused)",
        ),
        P("view", page + "move", args=lambda o, own: [o.page.pk]),
        P("view", page + "set_privacy", args=lambda o, own: [o.page.pk]),
        P(
            "view",
            page + "preview_on_edit",
            args=lambda o, own: [o.page.pk],
            method="post",
            data=lambda o, own: page_form(o.page, title="Aperçu"),
            ok=200,
        ),
        P(
            "view",
            "wagtailadmin_editing_sessions:ping",
            args=lambda o, own: ["wagtailcore", "page", o.page.pk, 0],
            method="post",
            ok=200,
        ),
        # Create
        P("create", page + "add_subpage", args=lambda o, own: [o.home.pk]),
        P("create", page + "add", args=lambda o, own: [*STANDARD_PAGE, o.home.pk]),
        P(
            "create",
            page + "add",
            args=lambda o, own: [*STANDARD_PAGE, o.home.pk],
            method="post",
            data=new_page,
            done=lambda o: exists(Page, slug=f"nouvelle-{o.key}{o.suffix}"),
        ),
        P(
            "create",
            page + "preview_on_add",
            args=lambda o, own: [*STANDARD_PAGE, o.home.pk],
            method="post",
            data=new_page,
            ok=200,
        ),
        P(
            "create",
            page + "copy",
            args=lambda o, own: [o.page.pk],
            method="post",
            data=lambda o, own: {
                "new_title": "Copie",
                "new_slug": f"copie-{o.key}{o.suffix}",
                "new_parent_page": own.home.pk,
            },
            done=lambda o: exists(Page, slug=f"copie-{o.key}{o.suffix}"),
        ),
        P(
            "create",
            page + "copy",
            args=lambda o, own: [own.page.pk],
            method="post",
            data=lambda o, own: {
                "new_title": "Copie",
                "new_slug": f"copie-{o.key}{o.suffix}",
                "new_parent_page": o.home.pk,
            },
            may_answer=FORM_ERROR,
            done=lambda o: exists(Page, slug=f"copie-{o.key}{o.suffix}"),
        ),
        P(
            "create",
            localize + "submit_page_translation",
            args=lambda o, own: [o.page.pk],
            entitled=TRANSLATORS,
        ),
        P(
            "create",
            localize + "submit_page_translation",
            args=lambda o, own: [o.page.pk],
            method="post",
            data=lambda o, own: {"locales": [Locale.objects.get(language_code="en").pk]},
            entitled=TRANSLATORS,
            done=lambda o: exists(
                Page, translation_key=o.page.translation_key, locale__language_code="en"
            ),
        ),
        # Edit
        P(
            "edit",
            page + "edit",
            args=lambda o, own: [o.page.pk],
            method="post",
            data=lambda o, own: page_form(o.page, title="Modifiée"),
            done=lambda o: Page.objects.get(pk=o.page.pk).draft_title == "Modifiée",
        ),
        P(
            "edit",
            page + "move_confirm",
            args=lambda o, own: [o.page.pk, own.folder.pk],
            method="post",
            data=lambda o, own: {},
            done=lambda o: Page.objects.get(pk=o.page.pk).get_parent().pk == o.folder.pk,
        ),
        P(
            "edit",
            page + "move_confirm",
            args=lambda o, own: [own.page.pk, o.folder.pk],
            method="post",
            data=lambda o, own: {},
            done=lambda o: Page.objects.get(pk=o.page.pk).get_parent().pk == o.folder.pk,
        ),
        P(
            "edit",
            page + "set_page_position",
            args=lambda o, own: [o.page.pk],
            method="post",
            query=lambda o, own: "position=0",
            data=lambda o, own: {},
            ok=200,
        ),
        P(
            "edit",
            page + "set_privacy",
            args=lambda o, own: [o.page.pk],
            method="post",
            data=lambda o, own: {"restriction_type": "password", "password": "motdepasse"},
            ok=200,
            done=lambda o: Page.objects.get(pk=o.page.pk).get_view_restrictions().exists(),
        ),
        P(
            "edit",
            page + "lock",
            args=lambda o, own: [o.page.pk],
            method="post",
            entitled=LOCKERS,
            done=lambda o: Page.objects.get(pk=o.page.pk).locked,
        ),
        P(
            "edit",
            page + "unlock",
            args=lambda o, own: [o.folder.pk],
            method="post",
            entitled=LOCKERS,
            done=lambda o: not Page.objects.get(pk=o.folder.pk).locked,
        ),
        P(
            "edit",
            page + "revisions_unschedule",
            args=lambda o, own: [o.page.pk, o.revision.pk],
            method="post",
            control="needs a scheduled revision; Wagtail answers 404 for any other",
        ),
        P(
            "edit",
            page + "convert_alias",
            args=lambda o, own: [o.alias.pk],
            method="post",
            done=lambda o: Page.objects.get(pk=o.alias.pk).alias_of_id is None,
        ),
        P(
            "edit",
            "wagtailadmin_api:pages:action",
            args=lambda o, own: [o.page.pk, "copy"],
            method="post",
            data=lambda o, own: {"destination_page_id": own.home.pk, "slug": f"api{o.suffix}"},
            ok=201,
        ),
        P(
            "edit",
            page + "workflow_action",
            args=lambda o, own: [o.page.pk, "approve", 1],
            method="post",
            control="no workflow runs in the network (Wagtail's workflows are unused)",
        ),
        P(
            "edit",
            page + "collect_workflow_action_data",
            args=lambda o, own: [o.page.pk, "approve", 1],
            control="no workflow runs in the network (Wagtail's workflows are unused)",
        ),
        P(
            "edit",
            page + "confirm_workflow_cancellation",
            args=lambda o, own: [o.page.pk],
            control="no workflow runs in the network (Wagtail's workflows are unused)",
            may_answer="Wagtail answers {'step': 'no_confirmation_needed'} without a workflow",
        ),
        # Publish
        P(
            "publish",
            page + "edit",
            args=lambda o, own: [o.page.pk],
            method="post",
            data=lambda o, own: {**page_form(o.page, title="Publiée"), "action-publish": "1"},
            done=lambda o: Page.objects.get(pk=o.page.pk).title == "Publiée",
        ),
        P(
            "publish",
            page + "unpublish",
            args=lambda o, own: [o.page.pk],
            method="post",
            done=lambda o: not Page.objects.get(pk=o.page.pk).live,
        ),
        # Delete
        P(
            "delete",
            page + "delete",
            args=lambda o, own: [o.page.pk],
            method="post",
            done=lambda o: not exists(Page, pk=o.page.pk),
        ),
        # Translations (wagtail-localize)
        P("list", "maillage_translations:translations_report", lists=True),
        P("list", "maillage_translations:translations_report_results", lists=True),
        P(
            "view",
            localize + "update_translations",
            args=lambda o, own: [o.translation.source_id],
            entitled=TRANSLATORS,
        ),
        P(
            "view",
            localize + "download_pofile",
            args=lambda o, own: [o.translation.pk],
            lists=True,
        ),
        P(
            "view",
            localize + "preview_translation",
            args=lambda o, own: [o.translation.pk],
        ),
        P(
            "view",
            localize + "preview_translation",
            args=lambda o, own: [o.translation.pk, "mode"],
            control="the preview modes of StandardPage are the default one, tested above",
        ),
        P("view", localize + "convert_to_alias", args=lambda o, own: [o.translated_page.pk]),
        # wagtail-localize's translation editor: Wagtail's edit view of the translated page
        P("view", page + "edit", args=lambda o, own: [o.translated_page.pk]),
        P(
            "edit",
            localize + "update_translations",
            args=lambda o, own: [o.translation.source_id],
            method="post",
            data=lambda o, own: {},
            entitled=TRANSLATORS,
        ),
        P(
            "edit",
            localize + "edit_string_translation",
            args=lambda o, own: [o.translation.pk, o.segment.pk],
            method="put",
            data=lambda o, own: {"value": f"Traduit {o.key}{o.suffix}"},
            ok=201,
            done=lambda o: o.string_translated(f"Traduit {o.key}{o.suffix}"),
        ),
        P(
            "edit",
            localize + "upload_pofile",
            args=lambda o, own: [o.translation.pk],
            method="post",
            data=lambda o, own: {"file": SimpleUploadedFile("t.po", b"", "text/x-gettext")},
            control="needs a PO file of this translation; same check as download_pofile",
        ),
        P(
            "edit",
            localize + "stop_translation",
            args=lambda o, own: [o.translation.pk],
            query=lambda o, own: "next=/admin/pages/",
            method="post",
            done=lambda o: not o.translation.__class__.objects.get(pk=o.translation.pk).enabled,
        ),
        P(
            "edit",
            localize + "convert_to_alias",
            args=lambda o, own: [o.translated_page.pk],
            method="post",
            done=lambda o: Page.objects.get(pk=o.translated_page.pk).alias_of_id is not None,
        ),
        # Bulk
        P(
            "bulk",
            "wagtail_bulk_action",
            args=bulk("wagtailcore", "page", "publish"),
            query=lambda o, own: ids(o.page.pk),
            lists=True,
        ),
        P(
            "bulk",
            "wagtail_bulk_action",
            args=bulk("wagtailcore", "page", "unpublish"),
            query=lambda o, own: ids(o.page.pk),
            method="post",
            done=lambda o: not Page.objects.get(pk=o.page.pk).live,
        ),
        P(
            "bulk",
            "wagtail_bulk_action",
            args=bulk("wagtailcore", "page", "move"),
            query=lambda o, own: ids(o.page.pk),
            method="post",
            data=lambda o, own: {"chooser": own.folder.pk},
            done=lambda o: Page.objects.get(pk=o.page.pk).get_parent().pk == o.folder.pk,
        ),
        P(
            "bulk",
            "wagtail_bulk_action",
            args=bulk("wagtailcore", "page", "delete"),
            query=lambda o, own: ids(o.page.pk),
            method="post",
            done=lambda o: not exists(Page, pk=o.page.pk),
        ),
    ),
)


# --- Images and documents -----------------------------------------------------------------------

Image = get_image_model()
Document = get_document_model()


def images_in(o):
    return sorted(Image.objects.filter(collection=o.collection).values_list("pk", "title"))


def documents_in(o):
    return sorted(Document.objects.filter(collection=o.collection).values_list("pk", "title"))


def text_file(o):
    return SimpleUploadedFile(f"{o.key}.txt", b"Bonjour", content_type="text/plain")


NO_SERVE = "Wagtail's image serve view is not mounted: 404 for everyone"

IMAGES = Area(
    name="images",
    scope=SITE,
    entitled=(EDITOR, ADMINISTRATOR),
    objects=("image",),
    url_names=(
        *(
            "wagtailimages:" + name
            for name in (
                "index",
                "index_results",
                "edit",
                "delete",
                "url_generator",
                "url_generator_output",
                "preview",
                "add",
                "image_usage",
                "add_multiple",
                "edit_multiple",
                "create_multiple_from_uploaded_image",
                "delete_multiple",
                "delete_upload_multiple",
            )
        ),
        *(
            "wagtailimages_chooser:" + name
            for name in (
                "choose",
                "choose_results",
                "chosen",
                "chosen_multiple",
                "create",
                "select_format",
            )
        ),
        "wagtailadmin_api:images:listing",
        "wagtailadmin_api:images:detail",
        "wagtailadmin_api:images:find",
        "wagtail_bulk_action",
    ),
    unprobed={
        "wagtailimages:create_multiple_from_uploaded_image": (
            "acts on a pending upload, which only its uploader can reach (uploaded_by_user)"
        ),
        "wagtailimages:delete_upload_multiple": (
            "acts on a pending upload, which only its uploader can reach (uploaded_by_user)"
        ),
    },
    probes=(
        P("list", "wagtailimages:index"),
        P("list", "wagtailimages_chooser:choose"),
        P("list", "wagtailimages:index", query=lambda o, own: f"q={o.name}", lists=True),
        P("list", "wagtailimages:index_results", query=lambda o, own: f"q={o.name}", lists=True),
        P("list", "wagtailimages_chooser:choose", query=lambda o, own: f"q={o.name}", lists=True),
        P(
            "list",
            "wagtailimages_chooser:choose_results",
            query=lambda o, own: f"q={o.name}",
            lists=True,
        ),
        P("list", "wagtailadmin_api:images:listing", lists=True),
        P("view", "wagtailimages:edit", args=lambda o, own: [o.image.pk], lists=True),
        P("view", "wagtailimages:image_usage", args=lambda o, own: [o.image.pk]),
        P(
            "view",
            "wagtailimages:url_generator",
            args=lambda o, own: [o.image.pk],
            control=NO_SERVE,
        ),
        P(
            "view",
            "wagtailimages:url_generator_output",
            args=lambda o, own: [o.image.pk],
            query=lambda o, own: "filter_method=original",
            control=NO_SERVE,
        ),
        P("view", "wagtailimages:preview", args=lambda o, own: [o.image.pk, "original"]),
        P("view", "wagtailimages_chooser:chosen", args=lambda o, own: [o.image.pk], lists=True),
        P(
            "view",
            "wagtailimages_chooser:chosen_multiple",
            query=lambda o, own: ids(o.image.pk),
            lists=True,
        ),
        P(
            "view",
            "wagtailimages_chooser:select_format",
            args=lambda o, own: [o.image.pk],
            lists=True,
        ),
        P("view", "wagtailadmin_api:images:detail", args=lambda o, own: [o.image.pk], lists=True),
        P("view", "wagtailadmin_api:images:find", query=lambda o, own: f"id={o.image.pk}", ok=302),
        P(
            "create",
            "wagtailimages:add",
            method="post",
            data=lambda o, own: {
                "title": f"Envoi {o.key}{o.suffix}",
                "file": png(),
                "collection": o.collection.pk,
            },
            target_state=images_in,
            done=lambda o: exists(Image, title=f"Envoi {o.key}{o.suffix}", collection=o.collection),
        ),
        P(
            "create",
            "wagtailimages:add_multiple",
            method="post",
            data=lambda o, own: {"files[]": png(), "collection": o.collection.pk},
            target_state=images_in,
            ok=200,
            needs=("image",),
            done=lambda o: Image.objects.filter(collection=o.collection).count() > 1,
        ),
        P(
            "create",
            "wagtailimages_chooser:create",
            method="post",
            data=lambda o, own: {
                "image-chooser-upload-title": f"Envoi {o.key}{o.suffix}",
                "image-chooser-upload-file": png(),
                "image-chooser-upload-collection": o.collection.pk,
            },
            target_state=images_in,
            ok=200,
            done=lambda o: exists(Image, title=f"Envoi {o.key}{o.suffix}", collection=o.collection),
        ),
        P(
            "edit",
            "wagtailimages:edit",
            args=lambda o, own: [o.image.pk],
            method="post",
            data=lambda o, own: {"title": "Modifiée", "collection": o.collection.pk},
            done=lambda o: Image.objects.get(pk=o.image.pk).title == "Modifiée",
        ),
        P(
            "edit",
            "wagtailimages:edit",
            args=lambda o, own: [own.image.pk],
            method="post",
            data=lambda o, own: {"title": own.image.title, "collection": o.collection.pk},
            target_state=images_in,
            control="on one's own site, the plain edit above",
        ),
        P(
            "edit",
            "wagtailimages:edit_multiple",
            args=lambda o, own: [o.image.pk],
            method="post",
            data=lambda o, own: {
                f"image-{o.image.pk}-title": "Modifiée",
                f"image-{o.image.pk}-collection": o.collection.pk,
                f"image-{o.image.pk}-tags": "",
            },
            ok=200,
            done=lambda o: Image.objects.get(pk=o.image.pk).title == "Modifiée",
        ),
        P(
            "edit",
            "wagtailimages_chooser:select_format",
            args=lambda o, own: [o.image.pk],
            method="post",
            data=lambda o, own: {
                "image-chooser-insertion-format": "fullwidth",
                "image-chooser-insertion-image_is_decorative": "on",
            },
            ok=200,
        ),
        P(
            "delete",
            "wagtailimages:delete",
            args=lambda o, own: [o.image.pk],
            method="post",
            done=lambda o: not exists(Image, pk=o.image.pk),
        ),
        P(
            "delete",
            "wagtailimages:delete_multiple",
            args=lambda o, own: [o.image.pk],
            method="post",
            ok=200,
            done=lambda o: not exists(Image, pk=o.image.pk),
        ),
        P(
            "bulk",
            "wagtail_bulk_action",
            args=bulk("wagtailimages", "image", "delete"),
            query=lambda o, own: ids(o.image.pk),
            lists=True,
        ),
        P(
            "bulk",
            "wagtail_bulk_action",
            args=bulk("wagtailimages", "image", "add_to_collection"),
            query=lambda o, own: ids(o.image.pk),
            method="post",
            data=lambda o, own: {"collection": own.collection.pk},
            may_answer=FORM_ERROR,
            done=lambda o: Image.objects.get(pk=o.image.pk).collection == o.collection,
        ),
        P(
            "bulk",
            "wagtail_bulk_action",
            args=bulk("wagtailimages", "image", "add_to_collection"),
            query=lambda o, own: ids(own.image.pk),
            method="post",
            data=lambda o, own: {"collection": o.collection.pk},
            target_state=images_in,
            done=lambda o: Image.objects.get(pk=o.image.pk).collection == o.collection,
        ),
        P(
            "bulk",
            "wagtail_bulk_action",
            args=bulk("wagtailimages", "image", "add_tags"),
            query=lambda o, own: ids(o.image.pk),
            method="post",
            data=lambda o, own: {"tags": "marqué"},
            done=lambda o: Image.objects.get(pk=o.image.pk).tags.filter(name="marqué").exists(),
        ),
        P(
            "bulk",
            "wagtail_bulk_action",
            args=bulk("wagtailimages", "image", "delete"),
            query=lambda o, own: ids(o.image.pk),
            method="post",
            done=lambda o: not exists(Image, pk=o.image.pk),
        ),
    ),
)

DOCUMENTS = Area(
    name="documents",
    scope=SITE,
    entitled=(EDITOR, ADMINISTRATOR),
    objects=("document",),
    url_names=(
        *(
            "wagtaildocs:" + name
            for name in (
                "index",
                "index_results",
                "add",
                "edit",
                "delete",
                "add_multiple",
                "edit_multiple",
                "create_multiple_from_uploaded_document",
                "delete_multiple",
                "delete_upload_multiple",
                "document_usage",
            )
        ),
        *(
            "wagtaildocs_chooser:" + name
            for name in ("choose", "choose_results", "chosen", "chosen_multiple", "create")
        ),
        "wagtailadmin_api:documents:listing",
        "wagtailadmin_api:documents:detail",
        "wagtailadmin_api:documents:find",
        "wagtail_bulk_action",
    ),
    unprobed={
        "wagtaildocs:create_multiple_from_uploaded_document": (
            "acts on a pending upload, which only its uploader can reach (uploaded_by_user)"
        ),
        "wagtaildocs:delete_upload_multiple": (
            "acts on a pending upload, which only its uploader can reach (uploaded_by_user)"
        ),
    },
    probes=(
        P("list", "wagtaildocs:index"),
        P("list", "wagtaildocs_chooser:choose"),
        P("list", "wagtaildocs:index", query=lambda o, own: f"q={o.name}", lists=True),
        P("list", "wagtaildocs:index_results", query=lambda o, own: f"q={o.name}", lists=True),
        P("list", "wagtaildocs_chooser:choose", query=lambda o, own: f"q={o.name}", lists=True),
        P(
            "list",
            "wagtaildocs_chooser:choose_results",
            query=lambda o, own: f"q={o.name}",
            lists=True,
        ),
        P("list", "wagtailadmin_api:documents:listing", lists=True),
        P("view", "wagtaildocs:edit", args=lambda o, own: [o.document.pk], lists=True),
        P("view", "wagtaildocs:document_usage", args=lambda o, own: [o.document.pk]),
        P(
            "view",
            "wagtaildocs_chooser:chosen",
            args=lambda o, own: [o.document.pk],
            lists=True,
        ),
        P(
            "view",
            "wagtaildocs_chooser:chosen_multiple",
            query=lambda o, own: ids(o.document.pk),
            lists=True,
        ),
        P(
            "view",
            "wagtailadmin_api:documents:detail",
            args=lambda o, own: [o.document.pk],
            lists=True,
        ),
        P(
            "view",
            "wagtailadmin_api:documents:find",
            query=lambda o, own: f"id={o.document.pk}",
            ok=302,
        ),
        P(
            "create",
            "wagtaildocs:add",
            method="post",
            data=lambda o, own: {
                "title": f"Envoi {o.key}{o.suffix}",
                "file": text_file(o),
                "collection": o.collection.pk,
            },
            target_state=documents_in,
            done=lambda o: exists(
                Document, title=f"Envoi {o.key}{o.suffix}", collection=o.collection
            ),
        ),
        P(
            "create",
            "wagtaildocs:add_multiple",
            method="post",
            data=lambda o, own: {"files[]": text_file(o), "collection": o.collection.pk},
            target_state=documents_in,
            ok=200,
            needs=("document",),
            done=lambda o: Document.objects.filter(collection=o.collection).count() > 1,
        ),
        P(
            "create",
            "wagtaildocs_chooser:create",
            method="post",
            data=lambda o, own: {
                "document-chooser-upload-title": f"Envoi {o.key}{o.suffix}",
                "document-chooser-upload-file": text_file(o),
                "document-chooser-upload-collection": o.collection.pk,
            },
            target_state=documents_in,
            ok=200,
            done=lambda o: exists(
                Document, title=f"Envoi {o.key}{o.suffix}", collection=o.collection
            ),
        ),
        P(
            "edit",
            "wagtaildocs:edit",
            args=lambda o, own: [o.document.pk],
            method="post",
            data=lambda o, own: {"title": "Modifié", "collection": o.collection.pk},
            done=lambda o: Document.objects.get(pk=o.document.pk).title == "Modifié",
        ),
        P(
            "edit",
            "wagtaildocs:edit",
            args=lambda o, own: [own.document.pk],
            method="post",
            data=lambda o, own: {"title": own.document.title, "collection": o.collection.pk},
            target_state=documents_in,
            control="on one's own site, the plain edit above",
        ),
        P(
            "edit",
            "wagtaildocs:edit_multiple",
            args=lambda o, own: [o.document.pk],
            method="post",
            data=lambda o, own: {
                f"doc-{o.document.pk}-title": "Modifié",
                f"doc-{o.document.pk}-collection": o.collection.pk,
                f"doc-{o.document.pk}-tags": "",
            },
            ok=200,
            done=lambda o: Document.objects.get(pk=o.document.pk).title == "Modifié",
        ),
        P(
            "delete",
            "wagtaildocs:delete",
            args=lambda o, own: [o.document.pk],
            method="post",
            done=lambda o: not exists(Document, pk=o.document.pk),
        ),
        P(
            "delete",
            "wagtaildocs:delete_multiple",
            args=lambda o, own: [o.document.pk],
            method="post",
            ok=200,
            done=lambda o: not exists(Document, pk=o.document.pk),
        ),
        P(
            "bulk",
            "wagtail_bulk_action",
            args=bulk("wagtaildocs", "document", "delete"),
            query=lambda o, own: ids(o.document.pk),
            lists=True,
        ),
        P(
            "bulk",
            "wagtail_bulk_action",
            args=bulk("wagtaildocs", "document", "add_to_collection"),
            query=lambda o, own: ids(o.document.pk),
            method="post",
            data=lambda o, own: {"collection": own.collection.pk},
            may_answer=FORM_ERROR,
            done=lambda o: Document.objects.get(pk=o.document.pk).collection == o.collection,
        ),
        P(
            "bulk",
            "wagtail_bulk_action",
            args=bulk("wagtaildocs", "document", "add_to_collection"),
            query=lambda o, own: ids(own.document.pk),
            method="post",
            data=lambda o, own: {"collection": o.collection.pk},
            target_state=documents_in,
            done=lambda o: Document.objects.get(pk=o.document.pk).collection == o.collection,
        ),
        P(
            "bulk",
            "wagtail_bulk_action",
            args=bulk("wagtaildocs", "document", "add_tags"),
            query=lambda o, own: ids(o.document.pk),
            method="post",
            data=lambda o, own: {"tags": "marqué"},
            done=lambda o: (
                Document.objects.get(pk=o.document.pk).tags.filter(name="marqué").exists()
            ),
        ),
        P(
            "bulk",
            "wagtail_bulk_action",
            args=bulk("wagtaildocs", "document", "delete"),
            query=lambda o, own: ids(o.document.pk),
            method="post",
            done=lambda o: not exists(Document, pk=o.document.pk),
        ),
    ),
)


# --- Site settings and redirects -----------------------------------------------------------------

SETTINGS_MODEL = ["maillage_sites", "sitesettings"]

# Every team opens its site's settings; administrators change the branding, contact, policy pages
# and sharing, moderators and administrators the comment policy, editors nothing
# (sites/settings_roles.py; tests/sites/test_settings_roles.py for each role's form).
SETTINGS = Area(
    name="site settings",
    scope=SITE,
    entitled=(EDITOR, MODERATOR, ADMINISTRATOR),
    url_names=("wagtailsettings:edit", "wagtailsettings:preview_on_edit"),
    unprobed={
        "wagtailsettings:preview_on_edit": "SiteSettings has no preview: 404 for everyone",
    },
    probes=(
        P(
            "view",
            "wagtailsettings:edit",
            args=lambda o, own: [*SETTINGS_MODEL, o.site.pk],
        ),
        P(
            "edit",
            "wagtailsettings:edit",
            args=lambda o, own: [*SETTINGS_MODEL, o.site.pk],
            method="post",
            data=lambda o, own: settings_form(o.site, tagline=f"Modifié {o.suffix}"),
            done=lambda o: SiteSettings.for_site(o.site).tagline == f"Modifié {o.suffix}",
            entitled=(ADMINISTRATOR, NETWORK_ADMINISTRATOR),
            may_answer="a moderator's form comes back with the refusal of the locked field",
        ),
        P(
            "edit",
            "wagtailsettings:edit",
            args=lambda o, own: [*SETTINGS_MODEL, o.site.pk],
            method="post",
            data=lambda o, own: settings_form(
                o.site, comment_moderation="all", blocked_words=f"interdit{o.suffix}"
            ),
            done=lambda o: SiteSettings.for_site(o.site).blocked_words == f"interdit{o.suffix}",
            entitled=(MODERATOR, ADMINISTRATOR, NETWORK_ADMINISTRATOR),
        ),
    ),
)

redirects = "maillage_redirects:"

REDIRECTS = Area(
    name="redirects",
    scope=SITE,
    entitled=(EDITOR, ADMINISTRATOR),
    objects=("redirect",),
    url_names=tuple(
        redirects + name
        for name in (
            "index",
            "index_results",
            "add",
            "edit",
            "delete",
            "start_import",
            "process_import",
        )
    ),
    probes=(
        P("list", redirects + "index", lists=True),
        P("list", redirects + "index_results", lists=True),
        P(
            "list",
            redirects + "index",
            query=lambda o, own: f"site={o.site.pk}",
            lists=True,
        ),
        P("view", redirects + "edit", args=lambda o, own: [o.redirect.pk]),
        P("create", redirects + "add"),
        P(
            "create",
            redirects + "add",
            method="post",
            data=lambda o, own: redirect_form(o.site, old_path=f"/nouveau-{o.key}{o.suffix}"),
            may_answer=FORM_ERROR,
            done=lambda o: exists(Redirect, old_path=f"/nouveau-{o.key}{o.suffix}"),
        ),
        P(
            "edit",
            redirects + "edit",
            args=lambda o, own: [o.redirect.pk],
            method="post",
            data=lambda o, own: redirect_form(o.site, old_path=f"/modifie-{o.key}{o.suffix}"),
            done=lambda o: exists(Redirect, old_path=f"/modifie-{o.key}{o.suffix}"),
        ),
        P(
            "edit",
            redirects + "edit",
            args=lambda o, own: [own.redirect.pk],
            method="post",
            data=lambda o, own: redirect_form(o.site, old_path=f"/deplace-{o.key}{o.suffix}"),
            may_answer=FORM_ERROR,
            done=lambda o: exists(Redirect, old_path=f"/deplace-{o.key}{o.suffix}", site=o.site),
        ),
        P("view", redirects + "delete", args=lambda o, own: [o.redirect.pk]),
        P(
            "delete",
            redirects + "delete",
            args=lambda o, own: [o.redirect.pk],
            method="post",
            done=lambda o: not exists(Redirect, pk=o.redirect.pk),
        ),
        # Importing a file of redirects is for network administrators only.
        P("create", redirects + "start_import", entitled=NETWORK_ROLES),
        P(
            "create",
            redirects + "process_import",
            method="post",
            entitled=NETWORK_ROLES,
            control="needs a file uploaded by start_import first; tests/sites covers imports",
        ),
    ),
)


# --- Comments ------------------------------------------------------------------------------------

moderation = "comments_moderation:"


def comment_status(o):
    return Comment.objects.get(pk=o.comment.pk).status


COMMENTS = Area(
    name="comments",
    scope=SITE,
    entitled=(MODERATOR, ADMINISTRATOR),
    objects=("comment",),
    url_names=(
        moderation + "index",
        moderation + "index_results",
        moderation + "detail",
        moderation + "status",
        moderation + "delete",
        "wagtail_bulk_action",
    ),
    probes=(
        P("list", moderation + "index"),
        P("list", moderation + "index", query=lambda o, own: "status=all", lists=True),
        P("list", moderation + "index_results", query=lambda o, own: "status=all", lists=True),
        P(
            "list",
            moderation + "index",
            query=lambda o, own: f"status=all&q=secret&site={o.site.pk}",
            lists=True,
        ),
        P("view", moderation + "detail", args=lambda o, own: [o.comment.pk], lists=True),
        P("view", moderation + "delete", args=lambda o, own: [o.comment.pk], lists=True),
        P(
            "publish",
            moderation + "status",
            args=lambda o, own: [o.comment.pk],
            method="post",
            data=lambda o, own: {"status": CommentStatus.APPROVED},
            done=lambda o: comment_status(o) == CommentStatus.APPROVED,
        ),
        P(
            "edit",
            moderation + "status",
            args=lambda o, own: [o.comment.pk],
            method="post",
            data=lambda o, own: {"status": CommentStatus.SPAM},
            done=lambda o: comment_status(o) == CommentStatus.SPAM,
        ),
        P(
            "delete",
            moderation + "delete",
            args=lambda o, own: [o.comment.pk],
            method="post",
            done=lambda o: not exists(Comment, pk=o.comment.pk),
        ),
        *(
            P(
                "bulk",
                "wagtail_bulk_action",
                args=bulk("comments", "comment", action),
                query=lambda o, own: ids(o.comment.pk),
                lists=True,
            )
            for action in ("approve", "delete")
        ),
        P(
            "bulk",
            "wagtail_bulk_action",
            args=bulk("comments", "comment", "approve"),
            query=lambda o, own: "id=all&status=all",
            method="post",
            target_state=comment_status,
            needs=("comment",),
            done=lambda o: comment_status(o) == CommentStatus.APPROVED,
        ),
        *(
            P(
                "bulk",
                "wagtail_bulk_action",
                args=bulk("comments", "comment", action),
                query=lambda o, own: ids(o.comment.pk),
                method="post",
                done=lambda o, status=status: comment_status(o) == status,
            )
            for action, status in (
                ("approve", CommentStatus.APPROVED),
                ("spam", CommentStatus.SPAM),
                ("reject", CommentStatus.REJECTED),
            )
        ),
        P(
            "bulk",
            "wagtail_bulk_action",
            args=bulk("comments", "comment", "delete"),
            query=lambda o, own: ids(o.comment.pk),
            method="post",
            done=lambda o: not exists(Comment, pk=o.comment.pk),
        ),
    ),
)


# --- The site's team -----------------------------------------------------------------------------

team = "maillage_team:"


def in_group(user, o, role=EDITOR):
    return o.group(role).user_set.filter(pk=user.pk).exists()


def invitation_sent(email):
    from django.core import mail

    return any(email in message.to for message in mail.outbox)


TEAM = Area(
    name="team",
    scope=SITE,
    entitled=(ADMINISTRATOR,),
    objects=("member",),
    url_names=(team + "mine", team + "index", team + "invite", team + "remove"),
    probes=(
        P("list", team + "mine", ok=(200, 302)),
        P("view", team + "index", args=lambda o, own: [o.site.pk], lists=True),
        P("view", team + "invite", args=lambda o, own: [o.site.pk]),
        P(
            "view",
            team + "remove",
            args=lambda o, own: [o.site.pk],
            query=lambda o, own: f"user={o.member.pk}&role={EDITOR}",
            lists=True,
        ),
        P(
            "create",
            team + "index",
            args=lambda o, own: [o.site.pk],
            method="post",
            # Another role for a member of the site's team (outsiders are invited, not named).
            data=lambda o, own: {"user": o.member.username, "role": ADMINISTRATOR},
            done=lambda o: in_group(o.member, o, ADMINISTRATOR),
        ),
        P(
            "create",
            team + "invite",
            args=lambda o, own: [o.site.pk],
            method="post",
            data=lambda o, own: {
                "email": f"invite-{o.key}{o.suffix}@example.org",
                "name": "Nouvelle Personne",
                "role": ADMINISTRATOR,
            },
            # Nobody joins before accepting: the invitation is the mail sent.
            done=lambda o: invitation_sent(f"invite-{o.key}{o.suffix}@example.org"),
        ),
        P(
            "delete",
            team + "remove",
            args=lambda o, own: [o.site.pk],
            method="post",
            data=lambda o, own: {"user": o.member.pk, "role": EDITOR},
            done=lambda o: not in_group(o.member, o),
        ),
    ),
)


# --- Dashboard, launch checklist and the admin home ----------------------------------------------


def site_name(o):
    """The site's name: public (the network news page lists every site), but the dashboard of
    a site's team lists their own sites only."""
    return [o.site.site_name]


DASHBOARD = Area(
    name="dashboard",
    scope=SITE,
    entitled=(EDITOR, ADMINISTRATOR),
    objects=("page", "comment"),
    url_names=(
        "wagtailadmin_home",
        "maillage_network:sites",
        "maillage_network:sites_results",
        "maillage_network:checklist",
    ),
    probes=(
        P("list", "wagtailadmin_home", entitled=READERS, hides=site_name),
        P("list", "maillage_network:sites", lists="site", hides=site_name),
        P("list", "maillage_network:sites_results", lists="site", hides=site_name),
        P(
            "view",
            "maillage_network:checklist",
            args=lambda o, own: [o.site.pk],
            lists="site",
            hides=site_name,
        ),
    ),
)


# --- Shared with my site -------------------------------------------------------------------------

shared = "blog_shared:"


def hidden(post, o):
    return exists(HiddenSharedPost, post=post, site=o.site)


def answered(o, status):
    return exists(ShareProposal, pk=o.proposal.pk, site=o.site, status=status)


SHARED = Area(
    name="shared with my site",
    scope=SITE,
    entitled=(EDITOR, ADMINISTRATOR),
    url_names=(
        shared + "index",
        shared + "site",
        shared + "hide",
        shared + "unhide",
        shared + "accept",
        shared + "decline",
    ),
    probes=(
        P("list", shared + "index", ok=(200, 302)),
        P("view", shared + "site", args=lambda o, own: [o.site.pk], lists="site"),
        P(
            "create",
            shared + "hide",
            args=lambda o, own: [o.site.pk, o.shared_post.pk],
            method="post",
            done=lambda o: hidden(o.shared_post, o),
        ),
        P(
            "delete",
            shared + "unhide",
            args=lambda o, own: [o.site.pk, o.hidden_post.pk],
            method="post",
            done=lambda o: not hidden(o.hidden_post, o),
        ),
        # A post proposed to the site: its editors (or the network's administrators) answer.
        P(
            "publish",
            shared + "accept",
            args=lambda o, own: [o.site.pk, o.proposal.pk],
            method="post",
            done=lambda o: answered(o, ProposalStatus.ACCEPTED),
        ),
        P("view", shared + "decline", args=lambda o, own: [o.site.pk, o.proposal.pk]),
        P(
            "edit",
            shared + "decline",
            args=lambda o, own: [o.site.pk, o.proposal.pk],
            method="post",
            data=lambda o, own: {"reason": "Hors de notre territoire"},
            done=lambda o: answered(o, ProposalStatus.DECLINED),
        ),
    ),
)


# --- Local adaptation of shared posts (blog/adaptation_views.py) --------------------------------

adaptations = "blog_adaptations:"


def adapted(post, o, **fields):
    return exists(LocalAdaptation, post=post, site=o.site, **fields)


def local_version(o, own):
    return {"title": f"Titre local{o.suffix}", "intro": "", "hero_image": "", "hero_alt": ""}


ADAPTATIONS = Area(
    name="local adaptations",
    scope=SITE,
    entitled=(EDITOR, ADMINISTRATOR),
    url_names=(adaptations + "edit", adaptations + "remove"),
    probes=(
        P(
            "view",
            adaptations + "edit",
            args=lambda o, own: [o.site.pk, o.adapted_post.pk],
            lists="site",
        ),
        P(
            "create",
            adaptations + "edit",
            args=lambda o, own: [o.site.pk, o.adaptable_post.pk],
            method="post",
            data=local_version,
            done=lambda o: adapted(o.adaptable_post, o, title=f"Titre local{o.suffix}"),
        ),
        P(
            "edit",
            adaptations + "edit",
            args=lambda o, own: [o.site.pk, o.adapted_post.pk],
            method="post",
            data=local_version,
            done=lambda o: adapted(o.adapted_post, o, title=f"Titre local{o.suffix}"),
        ),
        P(
            "delete",
            adaptations + "remove",
            args=lambda o, own: [o.site.pk, o.adapted_post.pk],
            method="post",
            done=lambda o: not adapted(o.adapted_post, o),
        ),
        # Forged ids: the user's own site with a post not shared with it (the target's own)...
        P(
            "create",
            adaptations + "edit",
            args=lambda o, own: [own.site.pk, o.post.pk],
            method="post",
            data=local_version,
            control="a site's own post is not shared with it: a 404 for everyone "
            "(tests/blog/test_adaptations.py)",
        ),
        # ... and the target site with a post shared with the user's own site.
        P(
            "create",
            adaptations + "edit",
            args=lambda o, own: [o.site.pk, own.adaptable_post.pk],
            method="post",
            data=local_version,
            done=lambda o: adapted(o.adaptable_post, o, title=f"Titre local{o.suffix}"),
        ),
    ),
)


# --- Network-wide areas: managed by the network's administrators --------------------------------

snippet = "wagtailsnippets_blog_author:"
category = "wagtailsnippets_blog_blogcategory:"
author_chooser = "wagtailsnippetchoosers_blog_author:"
category_chooser = "wagtailsnippetchoosers_blog_blogcategory:"

SNIPPET_URLS = (
    "list",
    "list_results",
    "add",
    "edit",
    "delete",
    "usage",
    "history",
    "history_results",
    "copy",
)
CHOOSER_URLS = ("choose", "choose_results", "chosen", "chosen_multiple", "create")

NO_CHOOSER_FORM = (
    "the snippet choosers have no creation form: Wagtail answers 500 to a POST from anyone "
    "allowed to add (not an isolation matter)"
)
AUTHOR_NO_CHOOSER_FORM = (
    "the author chooser has no creation form: its POST is refused to everyone "
    "(blog/author_views.py)"
)
author_localize = "blog_author_localize:"


def author_form(o, name):
    return {"name": f"{name}{o.suffix}", "site": o.site.pk}


AUTHORS = Area(
    # Each author belongs to a site (blog/authors.py): the site's editors and administrators
    # list, add and correct its authors (the permissions of blog/signal_handlers.py), the network
    # administrators every author; deleting one stays with superusers. The chooser also offers
    # the head office's and the network's authors (the matrix's authors are each site's own).
    # Translating an author is the network administrators' (sites/translation_views.py).
    name="blog authors",
    scope=SITE,
    entitled=(EDITOR, ADMINISTRATOR),
    objects=("author",),
    url_names=(
        "wagtailsnippets:index",
        *(snippet + name for name in SNIPPET_URLS),
        *(author_chooser + name for name in CHOOSER_URLS),
        "maillage_localize:submit_snippet_translation",
        "wagtail_localize:snippets_api_listing",
        "wagtail_localize:snippets_api_detail",
        author_localize + "snippets_api_listing",
        author_localize + "snippets_api_detail",
        "wagtail_bulk_action",
    ),
    probes=(
        P(
            "list",
            "wagtailsnippets:index",
            control="Wagtail sends everyone to the dashboard: each snippet has its own menu",
        ),
        P("list", snippet + "list", lists=True),
        P("list", snippet + "list_results", lists=True),
        P("list", author_chooser + "choose", lists=True),
        P("list", author_chooser + "choose_results", lists=True),
        P("view", author_chooser + "chosen", args=lambda o, own: [o.author.pk]),
        P(
            "view",
            author_chooser + "chosen_multiple",
            query=lambda o, own: ids(o.author.pk),
            lists=True,
            may_answer="answers the ids asked for that the user may choose: none of another site",
        ),
        P(
            "list",
            "wagtail_localize:snippets_api_listing",
            args=lambda o, own: ["blog", "author"],
            lists=True,
        ),
        P("list", author_localize + "snippets_api_listing", lists=True),
        P(
            "view",
            "wagtail_localize:snippets_api_detail",
            args=lambda o, own: ["blog", "author", o.author.pk],
        ),
        P("view", author_localize + "snippets_api_detail", args=lambda o, own: [o.author.pk]),
        P("view", snippet + "edit", args=lambda o, own: [o.author.pk]),
        P("view", snippet + "usage", args=lambda o, own: [o.author.pk]),
        P("view", snippet + "history", args=lambda o, own: [o.author.pk]),
        P("view", snippet + "history_results", args=lambda o, own: [o.author.pk]),
        P("view", snippet + "add"),
        P(
            "create",
            snippet + "add",
            method="post",
            data=lambda o, own: author_form(o, "Nouvel auteur"),
            may_answer=FORM_ERROR,
            done=lambda o: exists(Author, name=f"Nouvel auteur{o.suffix}", site=o.site),
        ),
        P(
            "create",
            author_chooser + "create",
            method="post",
            data=lambda o, own: author_form(o, "Auteur choisi"),
            control=AUTHOR_NO_CHOOSER_FORM,
        ),
        P("create", snippet + "copy", args=lambda o, own: [o.author.pk]),
        P(
            "create",
            "maillage_localize:submit_snippet_translation",
            args=lambda o, own: ["blog", "author", o.author.pk],
            entitled=NETWORK_ROLES,
        ),
        P(
            "edit",
            snippet + "edit",
            args=lambda o, own: [o.author.pk],
            method="post",
            data=lambda o, own: author_form(o, "Modifié"),
            done=lambda o: Author.objects.get(pk=o.author.pk).name == f"Modifié{o.suffix}",
        ),
        P(
            "edit",
            snippet + "edit",
            args=lambda o, own: [own.author.pk],
            method="post",
            data=lambda o, own: author_form(own, "Déplacé") | {"site": o.site.pk},
            may_answer=FORM_ERROR,
            control="moves the user's own author to the target site: refused unless it is theirs",
        ),
        P(
            "delete",
            snippet + "delete",
            args=lambda o, own: [o.author.pk],
            method="post",
            entitled=SUPERUSERS_ONLY,
            done=lambda o: not exists(Author, pk=o.author.pk),
        ),
        P(
            "bulk",
            "wagtail_bulk_action",
            args=bulk("blog", "author", "delete"),
            query=lambda o, own: ids(o.author.pk),
            method="post",
            entitled=SUPERUSERS_ONLY,
            done=lambda o: not exists(Author, pk=o.author.pk),
        ),
    ),
)

CATEGORIES = Area(
    # The network's categories (network news filters by them): superusers manage them. (The
    # comment in blog/signal_handlers.py says network administrators do, but their group has no
    # permission on them.) Anyone in the admin may choose one.
    name="blog categories (network-wide snippets)",
    scope=NETWORK,
    entitled=(SUPERUSER,),
    url_names=(
        *(category + name for name in SNIPPET_URLS),
        *(category_chooser + name for name in CHOOSER_URLS),
        "wagtail_bulk_action",
    ),
    probes=(
        P("list", category + "list"),
        P("list", category + "list_results"),
        P("list", category_chooser + "choose", entitled=READERS),
        P("list", category_chooser + "choose_results", entitled=READERS),
        P(
            "view",
            category_chooser + "chosen",
            args=lambda o, own: [o.category.pk],
            entitled=READERS,
        ),
        P(
            "view",
            category_chooser + "chosen_multiple",
            query=lambda o, own: ids(o.category.pk),
            entitled=READERS,
        ),
        P("view", category + "edit", args=lambda o, own: [o.category.pk]),
        P("view", category + "usage", args=lambda o, own: [o.category.pk]),
        P("view", category + "history", args=lambda o, own: [o.category.pk]),
        P("view", category + "history_results", args=lambda o, own: [o.category.pk]),
        P(
            "create",
            category + "add",
            method="post",
            data=lambda o, own: {"name": "Nouvelle", "slug": f"nouvelle{o.suffix}"},
            done=lambda o: exists(BlogCategory, slug=f"nouvelle{o.suffix}"),
        ),
        P(
            "create",
            category_chooser + "create",
            method="post",
            data=lambda o, own: {"name": "Choisie", "slug": f"choisie{o.suffix}"},
            control=NO_CHOOSER_FORM,
        ),
        P("create", category + "copy", args=lambda o, own: [o.category.pk]),
        P(
            "edit",
            category + "edit",
            args=lambda o, own: [o.category.pk],
            method="post",
            data=lambda o, own: {"name": f"Modifiée{o.suffix}", "slug": o.category.slug},
            done=lambda o: BlogCategory.objects.get(pk=o.category.pk).name == f"Modifiée{o.suffix}",
        ),
        P(
            "delete",
            category + "delete",
            args=lambda o, own: [o.category.pk],
            method="post",
            done=lambda o: not exists(BlogCategory, pk=o.category.pk),
        ),
        P(
            "bulk",
            "wagtail_bulk_action",
            args=bulk("blog", "blogcategory", "delete"),
            query=lambda o, own: ids(o.category.pk),
            method="post",
            done=lambda o: not exists(BlogCategory, pk=o.category.pk),
        ),
    ),
)

FACTORY = Area(
    name="site factory",
    scope=NETWORK,
    entitled=NETWORK_ROLES,
    url_names=("maillage_network:add_site",),
    probes=(
        P("create", "maillage_network:add_site"),
        P(
            "create",
            "maillage_network:add_site",
            method="post",
            data=lambda o, own: {
                "name": f"Maillage Normandie{o.suffix}",
                "hostname": f"normandie{o.suffix}.localhost",
                "port": 80,
                "kind": "regional",
                "region": "Normandie",
                "locale": "fr",
            },
            done=lambda o: o.site.__class__.objects.filter(
                hostname=f"normandie{o.suffix}.localhost"
            ).exists(),
        ),
    ),
)

# --- A site's life (sites.lifecycle) -----------------------------------------------------------

network_urls = "maillage_network:"


def site_status(site):
    return SiteProfile.objects.filter(site_id=site.pk).values_list("status", flat=True).first()


SITE_LAUNCH = Area(
    # A draft site is launched from its checklist by its administrators (and the network's).
    name="site launch",
    scope=SITE,
    entitled=(ADMINISTRATOR,),
    url_names=(network_urls + "site_launch",),
    probes=(
        P(
            "publish",
            network_urls + "site_launch",
            args=lambda o, own: [o.unlaunched.pk],
            method="post",
            done=lambda o: site_status(o.site) == "live",
        ),
    ),
)

SITE_LIFE = Area(
    # Archiving, bringing back and deleting a site: the network administrators' (and superusers').
    name="site life",
    scope=NETWORK,
    entitled=NETWORK_ROLES,
    url_names=tuple(
        network_urls + name for name in ("site_archive", "site_unarchive", "site_delete")
    ),
    probes=(
        P("view", network_urls + "site_archive", args=lambda o, own: [o.site.pk]),
        P(
            "edit",
            network_urls + "site_archive",
            args=lambda o, own: [o.site.pk],
            method="post",
            data=lambda o, own: {"answer": "gone"},
            done=lambda o: site_status(o.site) == "archived",
        ),
        P("view", network_urls + "site_unarchive", args=lambda o, own: [o.archived_site.pk]),
        P(
            "edit",
            network_urls + "site_unarchive",
            args=lambda o, own: [o.archived_site.pk],
            method="post",
            done=lambda o: site_status(o.archived_site) != "archived",
        ),
        P("view", network_urls + "site_delete", args=lambda o, own: [o.archived_site.pk]),
        P(
            "delete",
            network_urls + "site_delete",
            args=lambda o, own: [o.archived_site.pk],
            method="post",
            done=lambda o: site_status(o.archived_site) is None,
        ),
    ),
)

personal_data = "comments_personal_data:"

PERSONAL_DATA = Area(
    name="personal data",
    scope=NETWORK,
    entitled=NETWORK_ROLES,
    objects=("comment",),
    url_names=(personal_data + "index", personal_data + "export", personal_data + "erase"),
    probes=(
        P("view", personal_data + "index"),
        P(
            "view",
            personal_data + "index",
            method="post",
            data=lambda o, own: {"email": o.email},
            ok=200,
            lists=True,
            needs=("comment",),
        ),
        P(
            "view",
            personal_data + "export",
            method="post",
            data=lambda o, own: {"email": o.email},
            ok=200,
            lists=True,
            needs=("comment",),
        ),
        P(
            "view",
            personal_data + "erase",
            method="post",
            data=lambda o, own: {"email": o.email, "mode": "delete"},
            ok=200,
        ),
        P(
            "delete",
            personal_data + "erase",
            method="post",
            data=lambda o, own: {"email": o.email, "mode": "delete", "confirmed": "yes"},
            needs=("comment",),
            done=lambda o: not exists(Comment, email=o.email),
        ),
    ),
)

identification = "comments_identification:"

IDENTIFICATION = Area(
    # The legal identification records (comments.identification): the network's, never a site's.
    name="identification records",
    scope=NETWORK,
    entitled=NETWORK_ROLES,
    url_names=(identification + "export",),
    probes=(
        P("view", identification + "export"),
        P(
            "view",
            identification + "export",
            method="post",
            data=lambda o, own: {"reason": "Réquisition judiciaire"},
            ok=200,
        ),
    ),
)

users = "wagtailusers_users:"
groups = "wagtailusers_groups:"

USERS = Area(
    # Wagtail's own users admin: accounts are the network's; a site's administrators manage their
    # team through the team area instead.
    name="users (Wagtail's admin)",
    scope=NETWORK,
    entitled=NETWORK_ROLES,
    objects=("member",),
    url_names=tuple(
        users + name
        for name in (
            "index",
            "index_results",
            "add",
            "edit",
            "delete",
            "history",
            "history_results",
            "usage",
            "copy",
        )
    )
    + ("wagtail_bulk_action",),
    probes=(
        P("list", users + "index", lists=True),
        P("list", users + "index_results", lists=True),
        P("view", users + "edit", args=lambda o, own: [o.member.pk], lists=True),
        P("view", users + "history", args=lambda o, own: [o.member.pk]),
        P("view", users + "history_results", args=lambda o, own: [o.member.pk]),
        P("view", users + "usage", args=lambda o, own: [o.member.pk]),
        P("create", users + "add"),
        P("create", users + "copy", args=lambda o, own: [o.member.pk]),
        P(
            "edit",
            users + "edit",
            args=lambda o, own: [o.member.pk],
            method="post",
            data=lambda o, own: {
                "username": o.member.username,
                "email": o.member.email,
                "first_name": "Modifié",
                "last_name": "Nom",
                "is_active": "on",
                "groups": [o.group(ADMINISTRATOR).pk],
            },
            done=lambda o: in_group(o.member, o, ADMINISTRATOR),
        ),
        P(
            "delete",
            users + "delete",
            args=lambda o, own: [o.member.pk],
            method="post",
            done=lambda o: not o.member.__class__.objects.filter(pk=o.member.pk).exists(),
        ),
        P(
            "bulk",
            "wagtail_bulk_action",
            args=bulk("auth", "user", "assign_role"),
            query=lambda o, own: ids(o.outsider.pk),
            method="post",
            data=lambda o, own: {"role": o.group(ADMINISTRATOR).pk},
            done=lambda o: in_group(o.outsider, o, ADMINISTRATOR),
        ),
        P(
            "bulk",
            "wagtail_bulk_action",
            args=bulk("auth", "user", "set_active_state"),
            query=lambda o, own: ids(o.member.pk),
            method="post",
            data=lambda o, own: {"mark_as_active": "False"},
            done=lambda o: not o.member.__class__.objects.get(pk=o.member.pk).is_active,
        ),
        P(
            "bulk",
            "wagtail_bulk_action",
            args=bulk("auth", "user", "delete"),
            query=lambda o, own: ids(o.member.pk),
            method="post",
            done=lambda o: not o.member.__class__.objects.filter(pk=o.member.pk).exists(),
        ),
    ),
)

GROUP_URLS = (
    "index",
    "index_results",
    "add",
    "edit",
    "delete",
    "history",
    "history_results",
    "usage",
)

GROUPS = Area(
    # The three groups of each site are made by the site factory and filled through the team
    # area; editing a group's permissions is for superusers.
    name="groups (Wagtail's admin)",
    scope=NETWORK,
    entitled=(SUPERUSER,),
    url_names=tuple(groups + name for name in GROUP_URLS),
    probes=(
        P("list", groups + "index"),
        P("list", groups + "index_results"),
        P("view", groups + "edit", args=lambda o, own: [o.group(EDITOR).pk]),
        P("view", groups + "history", args=lambda o, own: [o.group(EDITOR).pk]),
        P("view", groups + "history_results", args=lambda o, own: [o.group(EDITOR).pk]),
        P("view", groups + "usage", args=lambda o, own: [o.group(EDITOR).pk]),
        P("create", groups + "add"),
        P(
            "delete",
            groups + "delete",
            args=lambda o, own: [o.group(EDITOR).pk],
            method="post",
            done=lambda o: (
                not o.group(EDITOR).__class__.objects.filter(pk=o.group(EDITOR).pk).exists()
            ),
        ),
    ),
)


def network_only(name, namespace, url_names, probes, entitled=(SUPERUSER,), unprobed=None):
    return Area(
        name=name,
        scope=NETWORK,
        entitled=entitled,
        url_names=tuple(namespace + url_name for url_name in url_names),
        probes=probes,
        unprobed=unprobed or {},
    )


collections = "wagtailadmin_collections:"
COLLECTIONS = network_only(
    # Each site's collection is made by the site factory; site roles use it, never manage it.
    "collections",
    collections,
    ("index", "add", "edit", "delete", "set_privacy"),
    (
        P("list", collections + "index"),
        P("create", collections + "add"),
        P("view", collections + "edit", args=lambda o, own: [o.collection.pk]),
        P("view", collections + "set_privacy", args=lambda o, own: [o.collection.pk]),
        P("view", collections + "delete", args=lambda o, own: [o.collection.pk]),
        P(
            "edit",
            collections + "edit",
            args=lambda o, own: [o.collection.pk],
            method="post",
            data=lambda o, own: {"name": f"Renommée{o.suffix}", "parent": 1},
            done=lambda o: (
                o.collection.__class__.objects.get(pk=o.collection.pk).name == f"Renommée{o.suffix}"
            ),
        ),
    ),
)

workflows = "wagtailadmin_workflows:"
WORKFLOWS = network_only(
    # Wagtail's workflows are global (one per subtree, tasks for any group); unused here.
    "workflows",
    workflows,
    (
        "index",
        "index_results",
        "add",
        "enable",
        "disable",
        "edit",
        "usage",
        "usage_results",
        "remove",
        "add_task",
        "select_task_type",
        "task_index",
        "task_index_results",
        "edit_task",
        "disable_task",
        "enable_task",
        "task_chooser",
        "task_chooser_results",
        "task_chooser_create",
        "task_chosen",
    ),
    (
        P("list", workflows + "index"),
        P("list", workflows + "index_results"),
        P("list", workflows + "task_index"),
        P("list", workflows + "task_index_results"),
        # Any admin user may read the names of the network's tasks (Wagtail's task chooser).
        P("list", workflows + "task_chooser", entitled=READERS),
        P("list", workflows + "task_chooser_results", entitled=READERS),
        P("view", workflows + "task_chooser_create", entitled=READERS),
        P("view", workflows + "task_chosen", args=lambda o, own: [o.task.pk], entitled=READERS),
        P(
            "create",
            workflows + "task_chooser_create",
            method="post",
            data=lambda o, own: {"create-task-name": f"Tâche{o.suffix}"},
            ok=200,
        ),
        P("create", workflows + "add"),
        P("create", workflows + "select_task_type", ok=(200, 302)),
        P(
            "create",
            workflows + "add_task",
            args=lambda o, own: ["wagtailcore", "groupapprovaltask"],
        ),
        P("view", workflows + "edit", args=lambda o, own: [o.workflow.pk]),
        P("view", workflows + "usage", args=lambda o, own: [o.workflow.pk]),
        P("view", workflows + "usage_results", args=lambda o, own: [o.workflow.pk]),
        P("view", workflows + "disable", args=lambda o, own: [o.workflow.pk]),
        P("view", workflows + "edit_task", args=lambda o, own: [o.task.pk]),
        P("view", workflows + "disable_task", args=lambda o, own: [o.task.pk]),
        P(
            "edit",
            workflows + "enable",
            args=lambda o, own: [o.workflow.pk],
            method="post",
            control="enabling an enabled workflow changes nothing to observe",
        ),
        P(
            "edit",
            workflows + "enable_task",
            args=lambda o, own: [o.task.pk],
            method="post",
            control="enabling an enabled task changes nothing to observe",
        ),
        P(
            "edit",
            workflows + "remove",
            args=lambda o, own: [o.home.pk],
            method="post",
            control="needs a workflow assigned to the page; none is",
        ),
    ),
)

wagtail_sites = "wagtailsites:"
WAGTAIL_SITES = network_only(
    # Wagtail's Site records (host names, root pages): the site factory's and the network's.
    "sites (Wagtail's admin)",
    wagtail_sites,
    (
        "index",
        "index_results",
        "add",
        "edit",
        "delete",
        "history",
        "history_results",
        "usage",
        "copy",
    ),
    (
        P("list", wagtail_sites + "index"),
        P("list", wagtail_sites + "index_results"),
        P("create", wagtail_sites + "add"),
        P("view", wagtail_sites + "edit", args=lambda o, own: [o.site.pk]),
        P("view", wagtail_sites + "history", args=lambda o, own: [o.site.pk]),
        P("view", wagtail_sites + "history_results", args=lambda o, own: [o.site.pk]),
        P("view", wagtail_sites + "usage", args=lambda o, own: [o.site.pk]),
        P("create", wagtail_sites + "copy", args=lambda o, own: [o.site.pk]),
        # Deleting a site goes through sites.lifecycle (archived first, all it owns at once):
        # Wagtail's own delete view is left to superusers (sites/hooks/network.py).
        P(
            "view",
            wagtail_sites + "delete",
            args=lambda o, own: [o.site.pk],
            entitled=SUPERUSERS_ONLY,
        ),
        P(
            "edit",
            wagtail_sites + "edit",
            args=lambda o, own: [o.site.pk],
            method="post",
            data=lambda o, own: {
                "hostname": o.site.hostname,
                "port": o.site.port,
                "site_name": f"Renommé{o.suffix}",
                "root_page": o.site.root_page_id,
            },
            done=lambda o: (
                o.site.__class__.objects.get(pk=o.site.pk).site_name == f"Renommé{o.suffix}"
            ),
        ),
    ),
    entitled=NETWORK_ROLES,
)

locales = "wagtaillocales:"
LOCALES = network_only(
    # The network's languages.
    "locales",
    locales,
    (
        "index",
        "index_results",
        "add",
        "edit",
        "delete",
        "history",
        "history_results",
        "usage",
        "copy",
    ),
    (
        P("list", locales + "index"),
        P("list", locales + "index_results"),
        P("create", locales + "add"),
        P("view", locales + "edit", args=lambda o, own: [o.locale.pk]),
        P("view", locales + "history", args=lambda o, own: [o.locale.pk]),
        P("view", locales + "history_results", args=lambda o, own: [o.locale.pk]),
        P("view", locales + "usage", args=lambda o, own: [o.locale.pk]),
        P("create", locales + "copy", args=lambda o, own: [o.locale.pk]),
        P("view", locales + "delete", args=lambda o, own: [o.locale.pk]),
    ),
)

workflow_reports = "wagtailadmin_reports:"
WORKFLOW_REPORTS = network_only(
    "workflow reports",
    workflow_reports,
    ("workflow", "workflow_results", "workflow_tasks", "workflow_tasks_results"),
    (
        P("list", workflow_reports + "workflow"),
        P("list", workflow_reports + "workflow_results"),
        P("list", workflow_reports + "workflow_tasks"),
        P("list", workflow_reports + "workflow_tasks_results"),
    ),
)

AREAS = (
    PAGES,
    IMAGES,
    DOCUMENTS,
    AUTHORS,
    CATEGORIES,
    SETTINGS,
    REDIRECTS,
    COMMENTS,
    TEAM,
    USERS,
    GROUPS,
    FACTORY,
    SITE_LAUNCH,
    SITE_LIFE,
    PERSONAL_DATA,
    IDENTIFICATION,
    DASHBOARD,
    SHARED,
    ADAPTATIONS,
    COLLECTIONS,
    WORKFLOWS,
    WAGTAIL_SITES,
    LOCALES,
    WORKFLOW_REPORTS,
)


# --- Everything else under /admin/: not site-scoped, and why -------------------------------------

# Wagtail's or wagtail-localize's URL names whose path resolves to a site-scoped view of ours,
# mounted first at the same path by sites/hooks/scoping.py or hub/urls.py (views in
# sites/admin_overrides.py; the matrix checks each).
SHADOWED = {
    **{
        f"wagtailredirects:{name}": f"maillage_redirects:{name}"
        for name in (
            "index",
            "index_results",
            "add",
            "edit",
            "delete",
            "start_import",
            "process_import",
        )
    },
    **{
        f"wagtailadmin_reports:{name}": f"maillage_reports:{name}"
        for name in (
            "site_history",
            "site_history_results",
            "page_types_usage",
            "page_types_usage_results",
        )
    },
    **{
        f"wagtail_localize:{name}": f"maillage_translations:{name}"
        for name in ("translations_report", "translations_report_results")
    },
    **{
        f"wagtail_localize:{name}": f"maillage_localize:{name}"
        for name in (
            "submit_page_translation",
            "submit_snippet_translation",
            "update_translations",
            "edit_string_translation",
            "edit_override",
            "download_pofile",
            "upload_pofile",
            "machine_translate",
            "preview_translation",
            "stop_translation",
            "convert_to_alias",
        )
    },
}

NOT_SITE_SCOPED = {
    # Open to anonymous visitors: signing in.
    "wagtailadmin_login": "the sign-in form",
    "wagtailadmin_password_reset": "asks for an e-mail address; shows no object",
    "wagtailadmin_password_reset_done": "a static confirmation",
    "wagtailadmin_password_reset_confirm": "a token from the e-mail lets one choose a password",
    "wagtailadmin_password_reset_complete": "a static confirmation",
    "wagtailadmin_sprite": "the admin's SVG icons",
    "wagtailadmin_javascript_catalog": "the admin's JavaScript translations",
    # The signed-in user's own things.
    "wagtailadmin_account": "the user's own account settings",
    "maillage_invitation:accept": "a signed team invitation from the e-mail; joins on POST",
    "maillage_account:confirm_email": "the user's own e-mail change, from the signed link mailed",
    "wagtailadmin_logout": "signs the user out",
    "wagtailadmin_dismissibles": "which tips the user has dismissed (their profile)",
    "wagtailadmin_editing_sessions:release": "ends the user's own editing session (by its id)",
    # Wagtail's generic endpoints, which read no stored object of any site.
    "wagtail_localize:javascript_catalog": "wagtail-localize's JavaScript translations",
    "wagtailadmin_choose_page_external_link": "a form to type an external link",
    "wagtailadmin_choose_page_email_link": "a form to type an e-mail link",
    "wagtailadmin_choose_page_phone_link": "a form to type a phone link",
    "wagtailadmin_choose_page_anchor_link": "a form to type an anchor link",
    "wagtailadmin_block_preview": "renders a StreamField block from the data sent",
    "wagtailembeds:chooser": "a form to type the address of an embed",
    "wagtailembeds:chooser_upload": "fetches the oEmbed of the address typed; no stored object",
    "wagtailadmin_error_test": "Wagtail's view raising an error on purpose (error pages)",
    "/admin/test404/": "Wagtail's 404 page, for testing it",
    "/admin/^.*/$": "Wagtail's 404 for an unknown admin address (the catch-all pattern)",
    "wagtailadmin_tag_autocomplete": (
        "tags are one vocabulary for the whole network (taggit's Tag has no site); names only"
    ),
    "wagtailadmin_tag_model_autocomplete": (
        "tags are one vocabulary for the whole network (taggit's Tag has no site); names only"
    ),
    # wagtail.contrib.forms: no page type of the project is a form page (checked by the matrix).
    "wagtailforms:index": "lists form pages; the project has no form page type",
    "wagtailforms:index_results": "lists form pages; the project has no form page type",
    "wagtailforms:list_submissions": "submissions of a form page; the project has none",
    "wagtailforms:list_submissions_results": "submissions of a form page; the project has none",
    "wagtailforms:delete_submissions": "submissions of a form page; the project has none",
    # Replaced at the same address by a site-scoped view (SHADOWED).
    **{name: f"the same path resolves to {ours} (SHADOWED)" for name, ours in SHADOWED.items()},
}

# Addresses anonymous visitors reach without being sent to the login page.
OPEN_TO_ANONYMOUS = {
    "maillage_invitation:accept",
    "wagtailadmin_login",
    "wagtailadmin_password_reset",
    "wagtailadmin_password_reset_done",
    "wagtailadmin_password_reset_confirm",
    "wagtailadmin_password_reset_complete",
    "wagtailadmin_sprite",
    "wagtailadmin_javascript_catalog",
}
