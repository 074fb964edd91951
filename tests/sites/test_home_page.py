"""A site's home page shows its own latest posts, never another site's."""

import datetime

from tests.support.blog import blog_of, make_author, make_post


def test_home_page_lists_the_sites_latest_posts(client, bretagne_site, occitanie_site):
    author = make_author("Anne Le Goff")
    bretagne_blog, occitanie_blog = blog_of(bretagne_site), blog_of(occitanie_site)
    for day in range(1, 5):
        make_post(
            bretagne_blog, f"Bretagne {day}", date=datetime.date(2026, 11, day), authors=[author]
        )
    make_post(occitanie_blog, "Toulouse", date=datetime.date(2026, 11, 20), authors=[author])
    make_post(bretagne_blog, "Brouillon", authors=[author], live=False)

    html = client.get("/", HTTP_HOST="bretagne.localhost").content.decode()
    titles = [f"Bretagne {day}" for day in (4, 3, 2)]
    positions = [html.index(f">{title}</a>") for title in titles]
    assert positions == sorted(positions), "newest first"
    assert ">Bretagne 1</a>" not in html  # three at most
    assert "Toulouse" not in html and "Brouillon" not in html


def test_a_site_without_posts_has_no_empty_section(client, bretagne_site):
    html = client.get("/", HTTP_HOST="bretagne.localhost").content.decode()
    assert "latest-posts" not in html


def test_the_blog_is_in_the_menu(client, bretagne_site):
    html = client.get("/", HTTP_HOST="bretagne.localhost").content.decode()
    assert 'href="/blog/"' in html
