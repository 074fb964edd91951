"""One card for a post in every listing (blog/includes/post_card.html): a blog's and the network
news show a shared post's origin the same way, with the site's host name when it has no name."""

import pytest
from bs4 import BeautifulSoup

from blog.choices import ShareScope
from blog.models import NetworkNewsPage
from tests.support.blog import blog_of, make_post, share

HEAD = "localhost"
BRETAGNE = "bretagne.localhost"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def news(head_site):
    page = NetworkNewsPage(title="Actualités du réseau", slug="actualites")
    head_site.root_page.add_child(instance=page)
    return page


def card(client, host, path, title):
    response = client.get(path, HTTP_HOST=host)
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    [found] = [
        card
        for card in page.select(".post-card")
        if card.select_one(".post-card__title a").get_text(strip=True) == title
    ]
    return found


def origin_of(card):
    origin = card.select_one(".post-card__origin")
    return origin.get_text(" ", strip=True) if origin else None


@pytest.mark.parametrize("site_name", ["Maillage Occitanie", ""])
def test_a_shared_posts_card_names_its_origin_on_a_blog_and_on_the_network_news(
    client, news, occitanie_site, site_name
):
    occitanie_site.site_name = site_name
    occitanie_site.save()
    post = share(
        make_post(blog_of(occitanie_site), "Les vendanges solidaires"), scope=ShareScope.ALL
    )
    expected = f"Article de {site_name or occitanie_site.hostname}"

    on_blog = card(client, BRETAGNE, "/blog/", post.title)
    on_news = card(client, HEAD, "/actualites/", post.title)

    assert origin_of(on_blog) == origin_of(on_news) == expected
    assert on_blog.select_one(".post-card__title a")["href"] == f"/blog/{post.slug}/"
    assert on_news.select_one(".post-card__title a")["href"] == post.get_full_url()


def test_a_blogs_own_posts_name_no_origin_there_but_do_on_the_network_news(
    client, news, bretagne_site
):
    post = make_post(blog_of(bretagne_site), "Le port de Brest")

    assert origin_of(card(client, BRETAGNE, "/blog/", post.title)) is None
    assert (
        origin_of(card(client, HEAD, "/actualites/", post.title)) == "Article de Maillage Bretagne"
    )
