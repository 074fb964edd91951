"""The isolation matrix: every admin area × action × role, from tests/support/isolation_areas.py.

- Every URL under /admin/ is declared, in an area with its probes or as not site-scoped with a
  reason: a new admin area fails here until it is declared.
- Anonymous visitors are sent to the login page from every admin URL.
- The editors, moderators and administrators of site A are refused on every object of site B
  (and, where their role gives them nothing, on their own site's too); nothing changes in the
  database; no response shows anything of B; listings and choosers show only A's objects.
- Controls: the same requests succeed for the least of A's roles entitled to them (on A's
  objects), for the network administrator (on B's) and for the superuser (on the head site's,
  for listings and what only superusers may do), so the refusals mean something.

Each test loops over many requests and reports every failure at once, one line each.
"""

from urllib.parse import urlencode

from django.apps import apps
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import resolve, reverse

from wagtail.contrib.forms.models import FormMixin
from wagtail.models import get_page_models

import pytest

from tests.support import isolation_areas as matrix
from tests.support.isolation import (
    SITE_KEYS,
    admin_urls,
    body,
    client_for,
    shown_by,
)

LOGIN = "/admin/login/"
XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


# --- The admin URLconf -----------------------------------------------------------------------


def declared_in_areas():
    return {name for area in matrix.AREAS for name in area.url_names}


def test_every_admin_url_is_declared_in_the_matrix():
    """A new admin URL (a new area, a new view of an area) must be declared before it ships."""
    in_areas = declared_in_areas()
    undeclared = sorted(
        {
            f"{key}  (/{route})"
            for key, route, _kwargs in admin_urls()
            if key not in in_areas and key not in matrix.NOT_SITE_SCOPED
        }
    )
    assert not undeclared, (
        "Admin URLs missing from tests/support/isolation_areas.py (add each to an Area with its "
        "probes, or to NOT_SITE_SCOPED with the reason):\n" + "\n".join(undeclared)
    )


def test_declarations_name_existing_urls_once():
    keys = {key for key, _route, _kwargs in admin_urls()}
    in_areas = declared_in_areas()
    stale = sorted((in_areas | set(matrix.NOT_SITE_SCOPED)) - keys)
    both = sorted(in_areas & set(matrix.NOT_SITE_SCOPED))
    assert not stale, f"Declared but not in the URLconf: {stale}"
    assert not both, f"Declared both in an area and as not site-scoped: {both}"
    assert not matrix.OPEN_TO_ANONYMOUS - set(matrix.NOT_SITE_SCOPED)


@pytest.mark.parametrize("area", matrix.AREAS, ids=str)
def test_every_url_of_an_area_has_a_probe(area):
    probed = {probe.url_name for probe in area.probes}
    missing = sorted(set(area.url_names) - probed - set(area.unprobed))
    foreign = sorted(probed - set(area.url_names))
    assert not missing, f"{area}: URL names with no probe (and no reason in unprobed): {missing}"
    assert not foreign, f"{area}: probes of URL names the area does not declare: {foreign}"
    assert set(area.unprobed) <= set(area.url_names)


@pytest.mark.parametrize(("theirs", "ours"), matrix.SHADOWED.items())
def test_shadowed_urls_resolve_to_our_site_scoped_views(theirs, ours):
    kwargs = next(kwargs for key, _route, kwargs in admin_urls() if key == theirs)
    match = resolve(sample_url(theirs, kwargs))
    assert match.view_name == ours


def test_no_page_type_is_a_form_page():
    """wagtailforms is declared not site-scoped because no page type takes form submissions; a
    form page type would bring per-site submissions, to declare as an area."""
    assert [model for model in get_page_models() if issubclass(model, FormMixin)] == []


# --- Anonymous visitors ----------------------------------------------------------------------


def sample_url(key, kwargs):
    if key.startswith("/"):
        return key.replace("^.*/$", "nothing-here/")
    return reverse(key, kwargs=dict.fromkeys(kwargs, "1"))


def test_anonymous_visitors_are_sent_to_the_login_page_from_every_admin_url(db):
    client = Client(raise_request_exception=False)
    before = snapshot()
    failures = []
    for key, _route, kwargs in admin_urls():
        if key in matrix.OPEN_TO_ANONYMOUS:
            continue
        url = sample_url(key, kwargs)
        expected = f"{LOGIN}?{urlencode({'next': url}, safe='/')}"
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            location = response.get("Location")
            if response.status_code != 302 or location != expected:
                failures.append(
                    f"{method.upper()} {url} ({key}): {response.status_code} {location}"
                )
    assert not failures, "Not sent to the login page:\n" + "\n".join(failures)
    assert snapshot() == before


def test_the_open_admin_urls_are_the_login_and_password_reset_pages(db):
    """The few addresses anonymous visitors may open show no object of any site."""
    client = Client()
    assert client.get(reverse("wagtailadmin_login")).status_code == 200
    assert client.get(reverse("wagtailadmin_password_reset")).status_code == 200


# --- What a refused request may not change ---------------------------------------------------

User = get_user_model()
SNAPSHOT = {
    "wagtailcore.Page": (),
    "wagtailcore.Revision": (),
    "wagtailcore.Site": (),
    "wagtailcore.Collection": (),
    "wagtailcore.Locale": (),
    "wagtailcore.GroupPagePermission": (),
    "wagtailcore.GroupCollectionPermission": (),
    "wagtailcore.GroupSitePermission": (),
    "wagtailcore.PageViewRestriction": (),
    "wagtailcore.CollectionViewRestriction": (),
    "wagtailcore.PageLogEntry": (),
    "wagtailcore.ModelLogEntry": (),
    "wagtailcore.Workflow": (),
    "wagtailcore.WorkflowPage": (),
    "wagtailcore.WorkflowState": (),
    "wagtailcore.Task": (),
    "wagtailimages.Image": ("file_size", "file_hash"),
    "wagtaildocs.Document": ("file_size", "file_hash"),
    "wagtailredirects.Redirect": (),
    "maillage_sites.SiteSettings": (),
    "maillage_sites.SiteProfile": (),
    "auth.User": ("last_login",),
    "auth.Group": (),
    "comments.Comment": (),
    "comments.Subscription": (),
    "blog.Author": (),
    "blog.BlogCategory": (),
    "blog.HiddenSharedPost": (),
    "blog.ShareProposal": (),
    "blog.LocalAdaptation": (),
    "taggit.Tag": (),
    "taggit.TaggedItem": (),
    "wagtail_localize.TranslationSource": (),
    "wagtail_localize.Translation": (),
    "wagtail_localize.StringTranslation": (),
}


def _rows(model, excluded=()):
    names = [f.attname for f in model._meta.concrete_fields if f.attname not in excluded]
    return list(model._default_manager.order_by("pk").values_list(*names))


def snapshot():
    """Every row a refused request could have written (volatile columns left out)."""
    state = {label: _rows(apps.get_model(label), excluded) for label, excluded in SNAPSHOT.items()}
    state["auth.User_groups"] = sorted(
        User.groups.through.objects.values_list("user_id", "group_id")
    )
    return state


def changed_tables(before, after):
    return sorted(label for label in before if before[label] != after[label])


# --- Sending a probe -------------------------------------------------------------------------


def prepare(probe, o, own):
    """The URL and body of a probe (making the objects they name, before any snapshot)."""
    return probe.url(o, own), (probe.data(o, own) if probe.data else {})


def send(client, probe, url, data):
    headers = XHR if probe.xhr else {}
    if probe.method == "get":
        return client.get(url, **headers)
    if probe.method == "put":
        return client.put(
            url, urlencode(data), content_type="application/x-www-form-urlencoded", **headers
        )
    return client.post(url, data, **headers)


def error_of(response):
    exc_info = getattr(response, "exc_info", None)
    return f" ({exc_info[1]!r})" if exc_info else ""


def hidden_of(probe, o):
    """What a refused answer must not show of the target: its token, and what the probe adds."""
    return {o.token, *(probe.hides(o) if probe.hides else ())}


def entitled(area, probe, role):
    """Whether `role` may send this probe on its own site (SITE areas) or at all (NETWORK)."""
    return role in (area.entitled if probe.entitled is None else probe.entitled)


def aimed(probe):
    """A probe names an object or a site; one without args, query or body asks the same thing
    whoever sends it."""
    return bool(probe.args or probe.query or probe.data)


def line(area, role, key, probe, url, response, problems):
    return (
        f"[{area}] {role} on {SITE_KEYS[key]}: {probe} {url} -> {response.status_code}: "
        + "; ".join(problems)
    )


# --- Refusals --------------------------------------------------------------------------------


def refusal_problems(response, probe, hidden, may_answer=False):
    """What is wrong with a response that should refuse (or, if `may_answer`, may answer but
    must not show the `hidden` markers)."""
    problems = []
    status = response.status_code
    text = shown_by(response)
    shown = [marker for marker in hidden if marker in text]
    if shown:
        problems.append(f"shows {shown}")
    if status >= 500:
        problems.append("server error" + error_of(response))
    elif status == 302 and response["Location"].startswith(LOGIN):
        problems.append("sent to the login page")
    elif status == 200 and not may_answer:
        problems.append("answered 200 instead of refusing")
    return problems


def may_answer_200(probe):
    return probe.action == "list" or probe.lists or probe.may_answer or probe.target_state


def refusals(area, world):
    """Each role of site A, with each probe aimed at site B (and at A itself for the probes its
    role does not allow): refused, nothing changed, nothing of the target shown. Probes aimed at
    nothing (a listing, an empty form) are sent once: they may answer the roles they are for,
    but never show anything of B. The GET requests go first, with one snapshot after them all;
    each other request gets its own."""
    own = world["a"]
    for probe in area.probes:  # make what the probes name before the first snapshot
        for key in ("a", "b"):
            prepare(probe, world[key], own)
    probes = sorted(area.probes, key=lambda probe: probe.method != "get")
    failures = []
    for role in matrix.SITE_ROLES:
        client = client_for(world.people[role])
        before = snapshot()
        gets_checked = False
        for probe in probes:
            if probe.method != "get" and not gets_checked:
                after = snapshot()
                if after != before:
                    failures.append(
                        f"[{area}] {role}: its GET requests changed {changed_tables(before, after)}"
                    )
                before, gets_checked = after, True
            may = entitled(area, probe, role)
            if aimed(probe):
                if area.scope == matrix.NETWORK and may:
                    continue  # a network-wide object this role may act on: see the controls
                targets = ["b"] if may or area.scope == matrix.NETWORK else ["b", "a"]
            else:
                targets = ["b"]
            for key in targets:
                o = world[key]
                hidden = hidden_of(probe, world["b"]) | (set() if may else {own.token})
                url, data = prepare(probe, o, own)
                state = probe.target_state(o) if probe.target_state else None
                response = send(client, probe, url, data)
                may_answer = (may and not aimed(probe)) or may_answer_200(probe)
                problems = refusal_problems(response, probe, hidden, may_answer)
                if probe.target_state:
                    if probe.target_state(o) != state:
                        problems.append("changed the target site's objects")
                    before = snapshot()
                elif probe.method != "get":
                    after = snapshot()
                    if after != before and not (may and not aimed(probe)):
                        problems.append(f"changed {changed_tables(before, after)}")
                    before = after
                if problems:
                    failures.append(line(area, role, key, probe, url, response, problems))
        if not gets_checked and snapshot() != before:
            failures.append(f"[{area}] {role}: its GET requests changed the database")
    return failures


# --- Controls --------------------------------------------------------------------------------


def actors(area, probe):
    """Who sends the control, on whose objects: the least of A's roles allowed to (on A), the
    network administrator (on B), and the superuser (on the head site) for the listings and for
    what nobody else may do."""
    chosen = [(role, "a") for role in matrix.SITE_ROLES if entitled(area, probe, role)][:1]
    if allowed(area, probe, matrix.NETWORK_ADMINISTRATOR):
        chosen.append((matrix.NETWORK_ADMINISTRATOR, "b"))
    if probe.lists or not chosen:
        chosen.append((matrix.SUPERUSER, "head"))
    return chosen


def allowed(area, probe, role):
    """Whether the control sends this probe as `role`: superusers may do everything, network
    administrators everything on the sites, the others what the area or the probe gives them."""
    if role == matrix.SUPERUSER:
        return True
    if role == matrix.NETWORK_ADMINISTRATOR and area.scope == matrix.SITE:
        return probe.entitled is None or role in probe.entitled
    return entitled(area, probe, role)


def success_problems(response, probe, o):
    problems = []
    status = response.status_code
    if status not in probe.expected_statuses:
        problems.append(f"expected {' or '.join(map(str, probe.expected_statuses))}")
        problems.append(error_of(response).strip())
    if status == 302 and response["Location"].split("?")[0] in (
        reverse("wagtailadmin_home"),
        LOGIN,
    ):
        problems.append(f"refused (sent to {response['Location']})")
    if probe.lists and status == 200 and probe.shown(o) not in body(response):
        problems.append(f"does not show {probe.shown(o)}")
    if probe.done and not probe.done(o):
        problems.append("had no effect")
    return [problem for problem in problems if problem]


def controls(area, world):
    """Each probe works for those allowed to send it (see `actors`). Probe by probe, so that the
    listings come before any change; a change acts on objects made for it alone."""
    clients = {}
    failures = []
    for probe in area.probes:
        if probe.control is not True:
            continue
        for role, key in actors(area, probe):
            if role not in clients:
                clients[role] = client_for(world.people[role])
            o = world[key] if probe.method == "get" else world[key].fresh()
            o.make(*probe.needs)
            url, data = prepare(probe, o, o)
            response = send(clients[role], probe, url, data)
            problems = success_problems(response, probe, o)
            if problems:
                failures.append(line(area, role, key, probe, url, response, problems))
    return failures


# --- The matrix ------------------------------------------------------------------------------


@pytest.mark.parametrize("area", matrix.AREAS, ids=str)
def test_isolation_matrix(area, world):
    """Refusals first (they change nothing), then the controls."""
    for key in SITE_KEYS:
        world[key].make(*area.objects)
    leaks = refusals(area, world)
    failed_controls = controls(area, world)
    assert not leaks and not failed_controls, (
        f"{area}: {len(leaks)} isolation failures, {len(failed_controls)} failed controls\n"
        + "\n".join(["Isolation failures (site A's roles):", *leaks])
        + "\n"
        + "\n".join(["Failed controls (entitled roles):", *failed_controls])
    )


# The controls send the least of A's roles allowed (the editor) and the superuser on the head site;
# a site's administrator on its own site and a superuser on another site act too, on the objects
# of every day (what tests/sites/test_scoping.py checked before the matrix).
MORE_ACTORS = ((matrix.ADMINISTRATOR, "a"), (matrix.SUPERUSER, "b"))
EVERYDAY = {
    ("pages", "view", "get", "wagtailadmin_pages:edit"),
    ("pages", "publish", "post", "wagtailadmin_pages:edit"),
    ("images", "view", "get", "wagtailimages:edit"),
    ("images", "edit", "post", "wagtailimages:edit"),
    ("documents", "view", "get", "wagtaildocs:edit"),
    ("documents", "edit", "post", "wagtaildocs:edit"),
    ("site settings", "view", "get", "wagtailsettings:edit"),
    ("site settings", "edit", "post", "wagtailsettings:edit"),
    ("redirects", "view", "get", "maillage_redirects:edit"),
    ("redirects", "edit", "post", "maillage_redirects:edit"),
    ("redirects", "delete", "post", "maillage_redirects:delete"),
}


def test_a_sites_administrator_and_a_superuser_act_on_everyday_objects(world):
    probes = [
        (area, probe)
        for area in matrix.AREAS
        for probe in area.probes
        if probe.control is True
        and (area.name, probe.action, probe.method, probe.url_name) in EVERYDAY
    ]
    found = {(area.name, probe.action, probe.method, probe.url_name) for area, probe in probes}
    assert found == EVERYDAY
    failures = []
    for role, key in MORE_ACTORS:
        client = client_for(world.people[role])
        for area, probe in probes:
            o = world[key] if probe.method == "get" else world[key].fresh()
            o.make(*area.objects, *probe.needs)
            url, data = prepare(probe, o, o)
            response = send(client, probe, url, data)
            problems = success_problems(response, probe, o)
            if problems:
                failures.append(line(area, role, key, probe, url, response, problems))
    assert not failures, "\n".join(failures)


# --- Leaks the matrix found, fixed in sites/hooks/scoping.py ---------------------------------


def test_the_leaks_the_matrix_found_stay_closed(world):
    """Wagtail's admin API listed every site's images and documents; the bulk actions'
    confirmation pages and the page chooser's "chosen" step named any page, image or document
    whose id was asked for; wagtail-localize's translations report listed every site's pages;
    a page's workflow views put its latest title in a message before checking anything."""
    a, b = world["a"], world["b"]
    for o in (a, b):
        o.make("page", "image", "document", "translation")
    client = client_for(world.people[matrix.EDITOR])

    for kind in ("images", "documents"):
        listing = client.get(f"/admin/api/main/{kind}/").json()
        assert {item["id"] for item in listing["items"]} == {getattr(a, kind[:-1]).pk}
        assert client.get(f"/admin/api/main/{kind}/{getattr(b, kind[:-1]).pk}/").status_code == 404

    for app, model, kind in (
        ("wagtailcore", "page", "page"),
        ("wagtailimages", "image", "image"),
        ("wagtaildocs", "document", "document"),
    ):
        mine, theirs = getattr(a, kind), getattr(b, kind)
        confirm = body(client.get(f"/admin/bulk/{app}/{model}/delete/?id={theirs.pk}&id={mine.pk}"))
        assert a.token in confirm
        assert b.token not in confirm

    chosen = client.get(
        reverse("wagtailadmin_choose_page_chosen_multiple") + f"?id={b.page.pk}&id={a.page.pk}"
    ).json()
    assert [page["id"] for page in chosen["result"]] == [a.page.pk]

    report = body(client.get(reverse("wagtail_localize:translations_report")))
    assert a.token in report
    assert b.token not in report

    preview = client.get(
        reverse("wagtailadmin_pages:workflow_preview", args=[b.page.pk, b.task.pk])
    )
    assert b.token not in shown_by(preview)


def test_the_chosen_step_resolves_to_our_view_ahead_of_wagtails():
    """Wagtail mounts the page chooser's "chosen" step in its own URLconf: hub/urls.py mounts
    ours first, at the same path and URL name (sites/admin_overrides.py)."""
    from sites.admin_overrides import SiteScopedChosenMultipleView

    match = resolve(reverse("wagtailadmin_choose_page_chosen_multiple"))
    assert match.func.view_class is SiteScopedChosenMultipleView


def test_workflow_views_of_another_sites_page_are_refused_in_and_out_of_moderation(world):
    """A page of site B in moderation, then approved: site A's roles are refused on each of its
    workflow views (Wagtail's named the page's latest title once the task was over), and
    nothing changes; the superuser's control reaches every one."""
    from wagtail.models import TaskState, WorkflowTask

    b = world["b"]
    b.make("page")
    WorkflowTask.objects.get_or_create(workflow=world.workflow, task=world.task, sort_order=0)
    superuser = world.people[matrix.SUPERUSER]
    task_state = world.workflow.start(b.page, superuser).current_task_state
    page = "wagtailadmin_pages:"
    urls = [
        ("get", reverse(page + "workflow_preview", args=[b.page.pk, world.task.pk])),
        ("get", reverse(page + "confirm_workflow_cancellation", args=[b.page.pk])),
        (
            "get",
            reverse(
                page + "collect_workflow_action_data", args=[b.page.pk, "approve", task_state.pk]
            ),
        ),
        ("post", reverse(page + "workflow_action", args=[b.page.pk, "approve", task_state.pk])),
    ]

    def refusals():
        for role in matrix.SITE_ROLES:
            client = client_for(world.people[role])
            for method, url in urls:
                response = getattr(client, method)(url, **XHR)
                if response.status_code != 403 or b.token in shown_by(response):
                    yield f"{role}: {method} {url} -> {response.status_code}"

    assert list(refusals()) == []
    assert TaskState.objects.get(pk=task_state.pk).status == TaskState.STATUS_IN_PROGRESS

    control = client_for(superuser)
    for _method, url in urls[:3]:
        assert control.get(url, **XHR).status_code == 200, url
    assert control.post(urls[3][1], {"comment": ""}, **XHR).status_code in (200, 302)
    assert TaskState.objects.get(pk=task_state.pk).status == TaskState.STATUS_APPROVED

    # Out of moderation: Wagtail answered "The page '<title>' is not currently awaiting
    # moderation" to anyone asking.
    assert list(refusals()) == []
