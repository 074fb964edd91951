"""sites.network: one meaning of "this site's pages", translations included, except a
translation that is another Site's root."""

from wagtail.models import Page, Site

import pytest

from comments.models import Comment
from sites import network as network_map


@pytest.fixture
def translated_home(network, english):
    return network["bretagne"].root_page.specific.copy_for_translation(english)


def test_a_site_holds_its_home_and_its_translations(network, translated_home):
    bretagne, occitanie = network["bretagne"], network["occitanie"]
    home = bretagne.root_page
    blog = home.get_children().get(slug="blog")
    assert network_site(blog) == bretagne
    assert network_site(translated_home) == bretagne
    assert network_map.site_for_page(Page.get_first_root_node()) is None
    assert set(network_map.home_pages(bretagne)) == {home, translated_home.page_ptr}
    assert set(network_map.site_pages(bretagne)) >= {home, blog, translated_home.page_ptr}
    assert not network_map.site_pages(bretagne).filter(pk=occitanie.root_page_id).exists()
    assert [s.pk for s in network_map.sites_holding(translated_home.url_path)] == [bretagne.pk]
    assert (
        network_map.site_key(translated_home) == network_map.site_key(blog) == f"site:{bretagne.pk}"
    )


def test_a_translated_home_that_is_another_sites_root_is_that_sites_only(network, translated_home):
    bretagne = network["bretagne"]
    breizh = Site.objects.create(hostname="breizh.test", root_page=translated_home)
    assert network_site(translated_home) == breizh
    assert network_site(bretagne.root_page) == bretagne
    assert set(network_map.home_pages(bretagne)) == {bretagne.root_page}
    assert list(network_map.home_pages(breizh)) == [translated_home.page_ptr]
    assert not network_map.site_pages(bretagne).filter(pk=translated_home.pk).exists()
    assert [s.pk for s in network_map.sites_holding(translated_home.url_path)] == [breizh.pk]
    assert {root.site_id for root in network_map.site_root_paths()} >= {bretagne.pk, breizh.pk}
    assert all(
        root.site_id != bretagne.pk or root.root_path != translated_home.url_path
        for root in network_map.site_root_paths()
    )


def test_pages_condition_filters_related_rows_and_matches_nothing_without_sites(network):
    assert not Page.objects.filter(network_map.pages_condition([])).exists()
    assert not Comment.objects.filter(network_map.pages_condition([], "page__")).exists()
    both = network_map.pages_condition(Site.objects.filter(pk__in=[network["bretagne"].pk]))
    assert Page.objects.filter(both).filter(pk=network["bretagne"].root_page_id).exists()


def network_site(page):
    return network_map.site_for_page(page)


def test_a_site_change_rekeys_comments_and_moves_page_permissions(network, translated_home):
    from wagtail.models import GroupPagePermission

    from tests.support.comments import make_comment

    bretagne = network["bretagne"]
    editors = bretagne.profile.editors
    comment = make_comment(translated_home)
    assert comment.site_key == f"site:{bretagne.pk}"
    assert GroupPagePermission.objects.filter(group=editors, page=translated_home).exists()

    breizh = Site.objects.create(hostname="breizh.test", root_page=translated_home)
    comment.refresh_from_db()
    assert comment.site_key == f"site:{breizh.pk}"
    assert not GroupPagePermission.objects.filter(group=editors, page=translated_home).exists()

    breizh.delete()
    comment.refresh_from_db()
    assert comment.site_key == f"site:{bretagne.pk}"
    assert GroupPagePermission.objects.filter(group=editors, page=translated_home).exists()
