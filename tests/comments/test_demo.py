"""seed_demo adds conversations: approved threads with replies on several posts and sites, and
comments awaiting moderation or held as spam that only moderators see."""

from io import StringIO

from django.core.management import call_command

from wagtail.models import Site

import pytest
from bs4 import BeautifulSoup

from blog.models import BlogPostPage
from comments.models import Comment, CommentStatus

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_world")]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def newest_post(hostname):
    site = Site.objects.get(hostname=hostname, port=8000)
    return BlogPostPage.objects.live().descendant_of(site.root_page).order_by("-date", "-pk")[0]


def test_seed_demo_adds_threads_pending_and_spam_comments_on_several_sites(client):
    out = StringIO()
    call_command("seed_demo", "--i-know-this-is-not-production", stdout=out)

    commented = {c.page_id for c in Comment.objects.all()}
    assert len(commented) >= 3
    statuses = set(Comment.objects.values_list("status", flat=True))
    assert statuses == {CommentStatus.APPROVED, CommentStatus.PENDING, CommentStatus.SPAM}
    assert Comment.objects.filter(parent__parent__isnull=False).exists()  # replies of replies

    post = newest_post("bretagne.localhost")
    response = client.get(post.url, HTTP_HOST="bretagne.localhost:8000", SERVER_PORT="8000")
    page = BeautifulSoup(response.content, "html.parser")
    shown = page.select("#comments li.comment")
    assert len(shown) == Comment.objects.filter(page=post, status=CommentStatus.APPROVED).count()
    assert page.select("#comments .comments__replies li.comment")
    bodies = page.select_one("#comments").get_text()
    for hidden in Comment.objects.filter(page=post).exclude(status=CommentStatus.APPROVED):
        assert hidden.body not in bodies

    before = Comment.objects.count()
    call_command("seed_demo", "--i-know-this-is-not-production", stdout=StringIO())
    assert Comment.objects.count() == before
