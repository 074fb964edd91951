"""Migration comments 0006: existing comments get their site key, and the digest rows kept per
top-level page (a site's French and English trees: two rows) become one row per site, keeping
the latest sending."""

import datetime
import importlib

from django.apps import apps

from comments.models import Comment, ModerationDigest
from tests.support.blog import make_post, translate_blog
from tests.support.comments import bretagne_post, make_comment

migration = importlib.import_module("comments.migrations.0006_site_keys")


def test_rows_move_to_the_site_key_and_merge(bretagne_site, occitanie_site, english):
    french = bretagne_post(bretagne_site)
    english_post = make_post(translate_blog(bretagne_site, english), "Living differently")
    occitan = bretagne_post(occitanie_site, "Vivre en Occitanie")
    for page in (french, english_post, occitan):
        make_comment(page)
    Comment.objects.update(site_key="")  # as the column is made
    english_home = english_post.get_ancestors().get(depth=2)
    earlier = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    later = earlier + datetime.timedelta(hours=2)
    # Before the migration, the column held the path of a top-level page.
    ModerationDigest.objects.create(site_key=bretagne_site.root_page.path, last_sent_at=earlier)
    ModerationDigest.objects.create(site_key=english_home.path, last_sent_at=later)
    ModerationDigest.objects.create(site_key=occitanie_site.root_page.path, last_sent_at=earlier)

    migration.fill_site_keys(apps, None)

    bretagne, occitanie = f"site:{bretagne_site.pk}", f"site:{occitanie_site.pk}"
    assert dict(Comment.objects.values_list("page_id", "site_key")) == {
        french.pk: bretagne,
        english_post.pk: bretagne,
        occitan.pk: occitanie,
    }
    assert dict(ModerationDigest.objects.values_list("site_key", "last_sent_at")) == {
        bretagne: later,
        occitanie: earlier,
    }
