"""Writing a post in Wagtail's page editor: the form works, and an image needs its alt text."""

from django.core.cache import cache
from django.core.exceptions import ValidationError

from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

import pytest

from blog.models import BlogPostPage
from tests.support.blog import blog_of, make_author, make_category, make_image, make_post


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Wagtail caches renditions by image id, which the next test's images reuse.
    cache.clear()


@pytest.fixture
def blog(bretagne_site):
    return blog_of(bretagne_site)


@pytest.fixture
def anne(db):
    return make_author("Anne Le Goff")


def add_url(blog):
    return f"/admin/pages/add/blog/blogpostpage/{blog.pk}/"


def post_data(author, categories=(), **fields):
    """What the editor's form sends for a minimal post with one author."""
    data = {
        "title": "Habiter autrement",
        "slug": "habiter-autrement",
        "date": "2026-11-27",
        "intro": "Trois coopératives racontent leurs premières années.",
        "hero_image": "",
        "hero_alt": "",
        "body": streamfield(
            [("paragraph", rich_text("<p>Le premier chantier a commencé en mars.</p>"))]
        ),
        "post_authors": inline_formset([{"author": author.pk}], min=1),
        "related_links": inline_formset([], max=6),
        "comments": inline_formset([]),
        "tags": "habitat, coopérative",
        "share_scope": "none",  # the "Share with" radio of the promote tab
        "action-publish": "action-publish",
    }
    data.update(fields)
    data = nested_form_data(data)
    data["categories"] = [category.pk for category in categories]  # checkboxes: a list
    return data


def test_the_add_form_shows_the_posts_fields(admin_client, blog, anne):
    make_category("Logement")
    response = admin_client.get(add_url(blog))
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("title", "date", "intro", "hero_image", "hero_alt", "tags", "categories"):
        assert f'name="{name}"' in html, name
    assert 'name="post_authors-TOTAL_FORMS"' in html
    assert 'name="related_links-TOTAL_FORMS"' in html


def test_the_add_form_offers_only_the_blogs_language_categories(admin_client, blog, english):
    housing = make_category("Logement")
    english_housing = make_category("Housing", locale=english)
    form = admin_client.get(add_url(blog)).context["form"]
    choices = set(form.fields["categories"].queryset)
    assert housing in choices and english_housing not in choices


def test_a_minimal_post_is_created_and_published(admin_client, blog, anne):
    housing = make_category("Logement")
    response = admin_client.post(add_url(blog), post_data(anne, categories=[housing]))
    assert response.status_code == 302, response.context["form"].errors
    post = BlogPostPage.objects.child_of(blog).get(slug="habiter-autrement")
    assert post.live
    assert post.title == "Habiter autrement"
    assert [link.author for link in post.post_authors.all()] == [anne]
    assert list(post.categories.all()) == [housing]
    assert sorted(tag.name for tag in post.tags.all()) == ["coopérative", "habitat"]
    assert post.reading_minutes == 1


def test_a_post_needs_an_author(admin_client, blog, anne):
    data = post_data(anne)
    data.update(nested_form_data({"post_authors": inline_formset([], min=1)}))
    response = admin_client.post(add_url(blog), data)
    assert response.status_code == 200
    assert not BlogPostPage.objects.filter(slug="habiter-autrement").exists()


def test_an_image_needs_its_alternative_text(admin_client, blog, anne):
    image = make_image("Chantier")
    response = admin_client.post(add_url(blog), post_data(anne, hero_image=image.pk))
    assert response.status_code == 200
    assert "hero_alt" in response.context["form"].errors
    assert not BlogPostPage.objects.filter(slug="habiter-autrement").exists()

    response = admin_client.post(
        add_url(blog), post_data(anne, hero_image=image.pk, hero_alt="Une charpente en bois")
    )
    assert response.status_code == 302
    assert BlogPostPage.objects.get(slug="habiter-autrement").hero_alt == "Une charpente en bois"


def test_the_model_itself_refuses_an_image_without_alt_text(blog, anne):
    post = make_post(blog, "Sans texte", authors=[anne])
    post.hero_image = make_image("Chantier")
    post.hero_alt = "   "
    with pytest.raises(ValidationError) as error:
        post.full_clean()
    assert "hero_alt" in error.value.message_dict
    post.hero_alt = "Une charpente en bois"
    post.full_clean()


def test_the_edit_form_opens(admin_client, blog, anne):
    post = make_post(blog, "Habiter autrement", authors=[anne], hero=make_image("Chantier"))
    response = admin_client.get(f"/admin/pages/{post.pk}/edit/")
    assert response.status_code == 200


def test_a_new_post_can_be_previewed(admin_client, blog, anne):
    """The preview renders the post from the form, before anything is saved."""
    housing = make_category("Logement")
    url = f"{add_url(blog)}preview/"
    data = post_data(anne, categories=[housing], title="Aperçu du billet")
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert response.json()["is_valid"] is True
    response = admin_client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Aperçu du billet" in html
    assert "Anne Le Goff" in html
    assert "Logement" in html
    assert not BlogPostPage.objects.filter(slug="habiter-autrement").exists()


def test_an_edit_preview_shows_the_unsaved_authors_and_categories(admin_client, blog, anne):
    housing, energy = make_category("Logement"), make_category("Énergie")
    post = make_post(blog, "Habiter autrement", authors=[anne], categories=[housing])
    yann = make_author("Yann Kervella")
    url = f"/admin/pages/{post.pk}/edit/preview/"
    link = post.post_authors.get()
    data = post_data(yann, categories=[energy], slug=post.slug)
    data.update(  # the editor changes the author of the existing link
        nested_form_data(
            {"post_authors": inline_formset([{"id": link.pk, "author": yann.pk}], initial=1, min=1)}
        )
    )
    assert admin_client.post(url, data).json()["is_valid"] is True
    html = admin_client.get(url).content.decode()
    assert "Yann Kervella" in html and "Énergie" in html
    assert "Anne Le Goff" not in html and "Logement" not in html
