"""Authors per site (issue 19, item 3): a site's team lists and edits its own authors only, its
posts may credit its authors, the head office's and the network's, and the existing authors were
moved to the site of the posts crediting them (blog/migrations/0006)."""

import importlib
from urllib.parse import urlsplit

from django.apps import apps
from django.urls import reverse

from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield
from wagtail_localize.models import Translation, TranslationSource

import pytest

from blog.models import Author, BlogPostAuthor, BlogPostPage
from tests.support.blog import blog_of, make_author, make_post, translate_blog
from tests.support.isolation import client_for
from tests.support.scoping_fixtures import *  # noqa: F403 (the people of each role)

migration = importlib.import_module("blog.migrations.0006_authors_to_sites")

LIST = reverse("wagtailsnippets_blog_author:list")
ADD = reverse("wagtailsnippets_blog_author:add")
CHOOSE = reverse("wagtailsnippetchoosers_blog_author:choose_results")


def edit_url(author):
    return reverse("wagtailsnippets_blog_author:edit", args=[author.pk])


def author_form(author, **changes):
    data = {"name": author.name, "role": author.role, "bio": author.bio, "site": author.site_id}
    data.update(changes)
    return {key: ("" if value is None else value) for key, value in data.items()}


@pytest.fixture
def breton(bretagne_site):
    return make_author("Gwenaëlle Le Bihan", role="Chargée de mission", site=bretagne_site)


@pytest.fixture
def occitan(occitanie_site):
    return make_author("Mathieu Garcia", role="Animateur du réseau Occitanie", site=occitanie_site)


@pytest.fixture
def national(head_site):
    return make_author("Julien Moreau", role="Délégué général", site=head_site)


@pytest.fixture
def everyone(network):
    return make_author("Élodie Marchand", role="Responsable emploi")


@pytest.fixture
def occitanie_post(occitanie_site, occitan):
    return make_post(blog_of(occitanie_site), "Une SCIC agricole à Albi", authors=[occitan])


@pytest.fixture
def editor(bretagne_editor):
    return client_for(bretagne_editor)


def text(response):
    return response.content.decode()


# --- The listing and the edit view ---------------------------------------------------------------


def test_the_listing_shows_the_editors_own_sites_authors(editor, breton, occitan, national):
    html = text(editor.get(LIST))
    assert breton.name in html
    assert occitan.name not in html
    assert national.name not in html  # the head office's team edits it


def test_the_network_administrator_lists_every_author(
    network_administrator, breton, occitan, everyone
):
    html = text(client_for(network_administrator).get(LIST))
    for author in (breton, occitan, everyone):
        assert author.name in html
    assert "Maillage Occitanie" in html and "Tout le réseau" in html  # the site column


def test_the_editor_corrects_an_author_of_the_site(editor, breton):
    assert editor.get(edit_url(breton)).status_code == 200
    response = editor.post(edit_url(breton), author_form(breton, role="Coordinatrice"))
    assert response.status_code == 302
    assert Author.objects.get(pk=breton.pk).role == "Coordinatrice"


def test_another_sites_author_cannot_be_opened_or_changed(
    client, editor, occitan, occitanie_post, bretagne_site
):
    assert editor.get(edit_url(occitan)).status_code == 404
    forged = author_form(occitan, role="Changé par la Bretagne", site=bretagne_site.pk)
    assert editor.post(edit_url(occitan), forged).status_code == 404
    for name in ("usage", "history", "copy", "delete"):
        url = reverse(f"wagtailsnippets_blog_author:{name}", args=[occitan.pk])
        response = editor.get(url)
        refused = response.status_code in (403, 404) or response["Location"] == "/admin/"
        assert refused, name  # (Wagtail sends a refusal to the dashboard, with a message)
        assert occitan.name not in text(response)
    assert Author.objects.get(pk=occitan.pk).role == "Animateur du réseau Occitanie"
    # Occitanie's post still says who its author is.
    page = client.get(urlsplit(occitanie_post.full_url).path, HTTP_HOST="occitanie.localhost")
    assert "Animateur du réseau Occitanie" in text(page)
    assert "Changé par la Bretagne" not in text(page)


def test_an_author_cannot_be_moved_to_another_site(editor, breton, occitanie_site):
    response = editor.post(edit_url(breton), author_form(breton, site=occitanie_site.pk))
    assert response.status_code == 200
    assert "site" in response.context["form"].errors
    assert Author.objects.get(pk=breton.pk).site_id == breton.site_id


# --- Creation --------------------------------------------------------------------------------


def test_creation_offers_only_the_editors_sites_prefilled(editor, bretagne_site):
    form = editor.get(ADD).context["form"]
    assert list(form.fields["site"].queryset) == [bretagne_site]
    assert form.fields["site"].required
    assert form.initial["site"] == bretagne_site.pk


def test_an_author_is_created_on_the_editors_site(editor, bretagne_site):
    response = editor.post(ADD, {"name": "Anne Kervella", "site": bretagne_site.pk})
    assert response.status_code == 302
    assert Author.objects.get(name="Anne Kervella").site == bretagne_site


def test_a_forged_site_is_refused_on_creation(editor, occitanie_site):
    for site in (occitanie_site.pk, ""):
        response = editor.post(ADD, {"name": "Anne Kervella", "site": site})
        assert response.status_code == 200
        assert "site" in response.context["form"].errors
    assert not Author.objects.filter(name="Anne Kervella").exists()


def test_the_network_administrator_may_create_an_author_for_the_whole_network(
    network_administrator, bretagne_site, occitanie_site
):
    client = client_for(network_administrator)
    field = client.get(ADD).context["form"].fields["site"]
    assert {bretagne_site, occitanie_site} <= set(field.queryset)
    assert not field.required
    assert client.post(ADD, {"name": "Claire Dubois", "site": ""}).status_code == 302
    assert Author.objects.get(name="Claire Dubois").site is None


# --- The chooser -----------------------------------------------------------------------------


def test_the_chooser_offers_own_head_office_and_network_authors(
    editor, breton, occitan, national, everyone
):
    html = text(editor.get(CHOOSE))
    for author in (breton, national, everyone):
        assert author.name in html
    assert occitan.name not in html
    chosen = "wagtailsnippetchoosers_blog_author:chosen"
    assert editor.get(reverse(chosen, args=[national.pk])).status_code == 200
    assert editor.get(reverse(chosen, args=[occitan.pk])).status_code == 404
    multiple = reverse("wagtailsnippetchoosers_blog_author:chosen_multiple")
    answer = editor.get(f"{multiple}?id={occitan.pk}&id={breton.pk}").json()
    assert [item["id"] for item in answer["result"]] == [str(breton.pk)]


def test_searching_the_listing_and_the_chooser_stays_within_the_users_authors(
    editor, breton, occitan, national, everyone
):
    names = [author.name for author in (breton, occitan, national, everyone)]
    for url, shown in ((LIST, [breton]), (CHOOSE, [breton, national, everyone])):
        for name in names:
            response = editor.get(url, {"q": name.split()[0]})
            assert response.status_code == 200
            expected = name in [author.name for author in shown]
            assert (name in text(response)) == expected, (url, name)


def test_a_moderator_is_offered_only_the_shared_authors(bretagne_moderator, breton, everyone):
    html = text(client_for(bretagne_moderator).get(CHOOSE))
    assert everyone.name in html
    assert breton.name not in html


# --- The post editor -------------------------------------------------------------------------


def post_data(*authors, title="Habiter autrement", **fields):
    data = {
        "title": title,
        "slug": "habiter-autrement",
        "date": "2026-11-27",
        "intro": "Trois coopératives racontent leurs premières années.",
        "hero_image": "",
        "hero_alt": "",
        "body": streamfield([("paragraph", rich_text("<p>Le chantier a commencé.</p>"))]),
        "post_authors": inline_formset([{"author": author.pk} for author in authors], min=1),
        "related_links": inline_formset([], max=6),
        "comments": inline_formset([]),
        "tags": "",
        "share_scope": "none",
        "action-publish": "action-publish",
    }
    data.update(fields)
    return nested_form_data(data)


def add_post_url(site):
    return reverse("wagtailadmin_pages:add", args=["blog", "blogpostpage", blog_of(site).pk])


def errors_of(response):
    form = response.context["form"]
    return " ".join(str(error) for error in form.non_field_errors())


def test_the_post_editor_may_credit_own_head_office_and_network_authors(
    editor, bretagne_site, breton, national, everyone
):
    response = editor.post(add_post_url(bretagne_site), post_data(breton, national, everyone))
    assert response.status_code == 302
    post = BlogPostPage.objects.get(slug="habiter-autrement")
    credited = [link.author_id for link in post.post_authors.all()]
    assert credited == [breton.pk, national.pk, everyone.pk]


def test_a_forged_author_id_in_the_post_editor_is_refused(editor, bretagne_site, breton, occitan):
    response = editor.post(add_post_url(bretagne_site), post_data(breton, occitan))
    assert response.status_code == 200
    assert f"l'auteur n° {occitan.pk}" in errors_of(response)
    assert occitan.name not in text(response)
    assert not BlogPostPage.objects.filter(slug="habiter-autrement").exists()


def test_a_forged_author_is_refused_when_editing_a_post_and_on_preview(
    editor, bretagne_site, breton, occitan
):
    post = make_post(blog_of(bretagne_site), "Habiter autrement", authors=[breton])
    post.save_revision()
    link = BlogPostAuthor.objects.get(post=post)
    data = post_data(breton, title=post.title, slug=post.slug)
    data.update(
        nested_form_data(
            {
                "post_authors": inline_formset(
                    [{"id": link.pk, "author": breton.pk}, {"author": occitan.pk}], initial=1
                )
            }
        )
    )
    edit = reverse("wagtailadmin_pages:edit", args=[post.pk])
    response = editor.post(edit, data)
    assert response.status_code == 200
    assert f"l'auteur n° {occitan.pk}" in errors_of(response)
    assert [credit.author_id for credit in post.post_authors.all()] == [breton.pk]
    preview = editor.post(reverse("wagtailadmin_pages:preview_on_edit", args=[post.pk]), data)
    assert preview.json()["is_valid"] is False


def test_an_author_already_on_the_post_is_kept(editor, bretagne_site, occitan):
    """Credited before authors had sites (or by a network administrator): the editor's next
    save keeps it."""
    post = make_post(blog_of(bretagne_site), "Habiter autrement", authors=[occitan])
    post.save_revision()
    link = BlogPostAuthor.objects.get(post=post)
    data = post_data(occitan, title=post.title, slug=post.slug)
    data.update(
        nested_form_data(
            {"post_authors": inline_formset([{"id": link.pk, "author": occitan.pk}], initial=1)}
        )
    )
    response = editor.post(reverse("wagtailadmin_pages:edit", args=[post.pk]), data)
    assert response.status_code == 302


# --- Translations ----------------------------------------------------------------------------


def test_translations_of_an_author_keep_its_site(english, network_administrator, breton):
    source, _created = TranslationSource.get_or_create_from_instance(breton)
    Translation.objects.create(source=source, target_locale=english).save_target()
    translated = Author.objects.get(translation_key=breton.translation_key, locale=english)
    assert translated.site_id == breton.site_id
    # Moving the author moves its translations.
    client = client_for(network_administrator)
    assert client.post(edit_url(breton), author_form(breton, site="")).status_code == 302
    assert set(
        Author.objects.filter(translation_key=breton.translation_key).values_list("site", flat=True)
    ) == {None}


# --- The migration ---------------------------------------------------------------------------


def test_existing_authors_go_to_the_site_of_their_posts(
    english, head_site, bretagne_site, occitanie_site
):
    breton, shared, unused, national, occitan = (
        make_author(name)
        for name in ("Bretonne", "Partagée", "Sans billet", "Nationale", "Occitane")
    )
    english_occitan = occitan.copy_for_translation(english)
    english_occitan.save()
    english_blog = translate_blog(bretagne_site, english)
    make_post(blog_of(bretagne_site), "Un", authors=[breton, shared])
    make_post(english_blog, "Two", authors=[breton])  # the English home is Bretagne's too
    make_post(blog_of(occitanie_site), "Deux", authors=[shared])
    make_post(blog_of(head_site), "Trois", authors=[national])
    occitanie_english = translate_blog(occitanie_site, english)
    make_post(occitanie_english, "Three", authors=[english_occitan])
    Author.objects.update(site=None)  # as before the migration

    migration.assign_authors(apps, None)

    sites = dict(Author.objects.values_list("pk", "site"))
    assert sites[breton.pk] == bretagne_site.pk
    assert sites[shared.pk] is None  # several sites: the network's
    assert sites[unused.pk] is None
    assert sites[national.pk] == head_site.pk
    assert sites[occitan.pk] == sites[english_occitan.pk] == occitanie_site.pk


def test_another_sites_author_translation_cannot_be_edited(
    english, editor, occitan, network_administrator
):
    """A network administrator translated Occitanie's author with wagtail-localize: its
    translation editor and its string views refuse a Bretagne editor."""
    from wagtail_localize.models import StringSegment, StringTranslation

    source, _created = TranslationSource.get_or_create_from_instance(occitan)
    translation = Translation.objects.create(source=source, target_locale=english)
    translation.save_target()
    target = Author.objects.get(translation_key=occitan.translation_key, locale=english)
    assert editor.get(edit_url(target)).status_code == 404
    segment = StringSegment.objects.filter(source=source).first()
    url = reverse("wagtail_localize:edit_string_translation", args=[translation.pk, segment.pk])
    response = editor.put(url, "value=Traduit", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 302 and response["Location"] == "/admin/"  # refused
    assert not StringTranslation.objects.filter(data="Traduit").exists()
    control = client_for(network_administrator)
    response = control.put(url, "value=Traduit", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 201


def test_the_network_administrators_may_add_and_change_authors(network_administrator):
    """Granted to new sites' groups and the network administrators by blog/signal_handlers.py;
    to an existing network administrators' group by the migration."""
    from django.contrib.auth.models import Group

    group = Group.objects.get(name="Network administrators")
    group.permissions.clear()
    migration.grant_network_administrators(apps, None)
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"add_author", "change_author"} <= codenames
