"""Visitors comment, reply and follow replies on a regional site; the site's moderator approves
from the admin. Each visitor is a separate browser context (their own cookies)."""

import re
from urllib.parse import urlsplit

from django.core import mail

import pytest
from playwright.sync_api import expect

from comments.models import Comment, CommentStatus, Subscription
from sites.models import SiteSettings
from tests.support.blog import blog_of, make_post
from tests.support.comments import make_user
from tests.support.journeys import HEAD, log_in

BRETAGNE = "bretagne.localhost"
LINK = re.compile(r"https?://[^\s<>\"]+")


@pytest.fixture(autouse=True)
def quick_forms(settings):
    """People take more than the anti-robot delay to write; the browser fills forms at once.
    Every visitor of a journey comes from 127.0.0.1: the rate limit must not count them as one
    robot."""
    settings.COMMENTS_MIN_SUBMIT_SECONDS = 0
    settings.COMMENTS_RATE_LIMIT = "100/10m"


@pytest.fixture
def post(bretagne_site):
    return make_post(blog_of(bretagne_site), "Habiter autrement en Bretagne")


@pytest.fixture
def moderator(bretagne_site):
    return make_user("morgane", bretagne_site.profile.moderators)


def post_url(site_url, post):
    return site_url(BRETAGNE, f"/blog/{post.slug}/")


def fill_comment(page, name, email, body, notify=False, answer="**?comment=pending#comments"):
    """Send a comment; `answer` is the address the post leads to (held, by default)."""
    form = page.locator("form#comment-form")
    form.get_by_label("Nom").fill(name)
    form.locator('input[name="email"]').fill(email)
    form.locator('textarea[name="body"]').fill(body)
    if notify:
        form.locator('input[name="notify"]').check()
    form.get_by_role("button", name="Envoyer").click()
    page.wait_for_url(answer)


def reply_to(page, author, name, email, body):
    """Follow the "Reply" link of `author`'s comment and send the reply."""
    comment = page.locator("li.comment").filter(
        has=page.locator(".comment__author", has_text=author)
    )
    comment.locator(":scope > article").get_by_role("link", name=re.compile(r"^Répondre")).click()
    page.wait_for_url(re.compile(r"\?reply=\d+#comment-form$"))
    assert page.locator('form#comment-form input[name="parent"]').input_value() != ""
    fill_comment(page, name, email, body)


def approve(moderator_page, site_url, author):
    """The moderator approves `author`'s pending comment from the Comments list."""
    moderator_page.goto(site_url(HEAD, "/admin/comments/"))
    button = moderator_page.get_by_role("button", name=f"Approve: comment by {author}")
    with moderator_page.expect_navigation():
        button.click()
    expect(moderator_page.locator(".messages .success")).to_be_visible()
    expect(button).to_have_count(0)


def test_a_visitor_comments_and_sees_it_awaits_moderation(page, site_url, post):
    page.goto(post_url(site_url, post))
    assert page.locator("h1").inner_text() == post.title

    fill_comment(page, "Maël", "mael@example.org", "Très bel article, merci !")

    expect(page.get_by_role("status")).not_to_be_empty()
    comment = Comment.objects.get()
    assert comment.status == CommentStatus.PENDING
    assert comment.page_id == post.pk


def test_a_reply_approved_by_the_moderator_shows_nested(new_page, site_url, post, moderator):
    mael, anne, morgane = new_page(), new_page(), new_page()
    mael.goto(post_url(site_url, post))
    fill_comment(mael, "Maël", "mael@example.org", "Très bel article, merci !")
    expect(mael.get_by_role("status")).to_be_visible()
    expect(mael.locator(".comments__list")).to_have_count(0)  # nothing public yet

    log_in(morgane, site_url, moderator.username)
    approve(morgane, site_url, "Maël")

    anne.goto(post_url(site_url, post))
    reply_to(anne, "Maël", "Anne", "anne@example.org", "Je suis d'accord avec Maël.")
    expect(anne.get_by_role("status")).to_be_visible()
    expect(anne.locator(".comments__replies")).to_have_count(0)

    approve(morgane, site_url, "Anne")

    mael.reload()
    first = mael.locator(".comments__list > li.comment").filter(has_text="Très bel article")
    assert first.count() == 1
    reply = first.locator(".comments__replies > li.comment")
    assert reply.count() == 1
    assert "Je suis d'accord avec Maël." in reply.inner_text()
    assert "Anne" in reply.locator(".comment__author").inner_text()


def mails_to(address):
    """The messages sent to `address` (moderators are told of held comments too)."""
    return [message for message in mail.outbox if address in message.to]


def link_in(message, path_part):
    """The link of `message` whose path contains `path_part`, on the live server: the mail names
    the site's host (port 80 in the Site table), the browser adds the live server's port."""
    links = [link for link in LINK.findall(message.body) if path_part in link]
    assert len(links) == 1, message.body
    return urlsplit(links[0])


def on_live_server(site_url, link):
    assert link.hostname == BRETAGNE
    return site_url(link.hostname, link.path)


def test_a_visitor_confirms_notifications_receives_a_reply_and_unsubscribes(
    new_page, site_url, post, moderator
):
    mael, anne, morgane = new_page(), new_page(), new_page()
    mael.goto(post_url(site_url, post))
    fill_comment(mael, "Maël", "mael@example.org", "Qui d'autre habite ainsi ?", notify=True)

    (confirmation,) = mails_to("mael@example.org")
    confirm = link_in(confirmation, "/subscription/confirm/")
    mael.goto(on_live_server(site_url, confirm))
    with mael.expect_navigation():
        mael.get_by_role("button", name="Confirmer").click()
    expect(mael.get_by_role("status")).to_be_visible()
    expect(mael.get_by_role("button", name="Confirmer")).to_have_count(0)
    assert Subscription.objects.get().confirmed_at is not None

    log_in(morgane, site_url, moderator.username)
    approve(morgane, site_url, "Maël")
    anne.goto(post_url(site_url, post))
    reply_to(anne, "Maël", "Anne", "anne@example.org", "Nous, à Rennes !")
    assert len(mails_to("mael@example.org")) == 1  # nothing while the reply is not public
    approve(morgane, site_url, "Anne")

    confirmation, notification = mails_to("mael@example.org")
    assert "Nous, à Rennes !" in notification.body
    unsubscribe = link_in(notification, "/unsubscribe/")
    assert notification.extra_headers["List-Unsubscribe"] == f"<{unsubscribe.geturl()}>"
    assert notification.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    mael.goto(on_live_server(site_url, unsubscribe))
    assert Subscription.objects.get().is_active  # opening the link alone changes nothing
    mael.get_by_role("button", name="Se désabonner").click()
    mael.get_by_role("status").wait_for()
    subscription = Subscription.objects.get()
    assert not subscription.is_active
    assert subscription.unsubscribed_at is not None


def test_a_visitor_on_a_phone_reads_a_post_and_comments(new_page, site_url, post):
    phone = new_page(viewport={"width": 390, "height": 844})
    phone.goto(post_url(site_url, post))
    expect(phone.get_by_role("heading", level=1)).to_have_text(post.title)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling

    form = phone.locator("form#comment-form")
    for name in ("name", "email", "body"):
        control = form.locator(f'[name="{name}"]')
        control.scroll_into_view_if_needed()
        expect(control).to_be_in_viewport()
        box = control.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, (name, box)
    fill_comment(phone, "Maël", "mael@example.org", "Lu dans le train, merci !")

    expect(phone.get_by_role("status")).to_be_visible()
    assert Comment.objects.get().body == "Lu dans le train, merci !"


def test_a_visitor_manages_their_comments_downloads_corrects_and_erases(new_page, site_url, post):
    """Journey 3: "Manage my comments" from the footer: the link by e-mail, the JSON download,
    a corrected name, then erasure; the post then shows the anonymized label."""
    import json
    from pathlib import Path

    from tests.support.comments import make_comment

    mine = make_comment(
        post, author_name="Maël", email="mael@example.org", body="Mon premier commentaire."
    )
    make_comment(post, parent=mine, author_name="Anne", email="anne@example.org", body="Merci !")
    mael = new_page()

    mael.goto(post_url(site_url, post))
    mael.locator("#site-footer-manage-comments").click()
    mael.wait_for_url("**/comments/manage/**")
    form = mael.locator("form").filter(has=mael.locator('input[name="email"]'))
    form.locator('input[name="email"]').fill("mael@example.org")
    form.locator('button[type="submit"]').click()
    mael.wait_for_url("**/comments/manage/sent/**")

    [message] = [m for m in mail.outbox if m.to == ["mael@example.org"]]
    mael.goto(on_live_server(site_url, link_in(message, "/comments/manage/")))
    expect(mael.locator(".manage-comments")).to_contain_text("Mon premier commentaire.")

    with mael.expect_download() as download:
        mael.locator("#manage-export button").click()
    exported = json.loads(Path(download.value.path()).read_text())
    assert "Mon premier commentaire." in json.dumps(exported, ensure_ascii=False)
    assert "Merci !" not in json.dumps(exported, ensure_ascii=False)  # Anne's, not Maël's

    mael.locator('#manage-correct input[name="name"]').fill("Maël Le Bihan")
    mael.locator("#manage-correct button").click()
    mael.wait_for_url("**done=corrected**")
    mine.refresh_from_db()
    assert mine.author_name == "Maël Le Bihan"

    mael.locator('#manage-erase input[name="mode"][value="anonymize"]').check()
    mael.locator('#manage-erase input[name="confirm"]').check()
    mael.locator("#manage-erase button").click()
    mael.wait_for_url("**/comments/manage/erased/**")
    expect(mael.locator("#manage-done")).to_be_visible()

    mael.goto(post_url(site_url, post))
    first = mael.locator(f"#comment-{mine.pk}")
    expect(first.locator(".comment__author").first).to_have_text("Anonyme")
    expect(first.locator(".comments__replies")).to_contain_text("Merci !")
    mine.refresh_from_db()
    assert mine.email == "" and mine.anonymized_at is not None


def test_in_first_mode_an_approved_commenters_browser_is_published_at_once(
    new_page, site_url, post, moderator, bretagne_site
):
    """Issue 19, item 5: the moderator picks "first comment" by its sentence in the settings;
    Maël's first comment is held, approved; her next one from the same browser appears at once,
    without any opt-in; the same name and address from another browser are held."""
    site_settings = SiteSettings.for_site(bretagne_site)
    site_settings.comment_moderation = "all"
    site_settings.save()
    mael, stranger, morgane = new_page(), new_page(), new_page()

    log_in(morgane, site_url, moderator.username)
    morgane.goto(site_url(HEAD, f"/admin/settings/maillage_sites/sitesettings/{bretagne_site.pk}/"))
    expect(
        morgane.get_by_role("textbox", name="Tagline")
    ).to_be_disabled()  # the branding is the administrators'
    morgane.get_by_role("tab", name="Policies").click()
    morgane.get_by_label(
        "A commenter's first comment on this site waits for approval; after one is approved, "
        "their comments from the same browser appear at once."
    ).check()
    with morgane.expect_navigation():
        morgane.get_by_role("button", name="Save").click()
    expect(morgane.locator(".messages .success")).to_be_visible()
    assert SiteSettings.for_site(bretagne_site).comment_moderation == "first"

    mael.goto(post_url(site_url, post))
    fill_comment(mael, "Maël", "mael@example.org", "Mon premier commentaire.")
    assert Comment.objects.get().status == CommentStatus.PENDING
    approve(morgane, site_url, "Maël")

    mael.goto(post_url(site_url, post))
    fill_comment(
        mael, "Maël", "mael@example.org", "Et un deuxième.", answer=re.compile(r"#comment-\d+$")
    )
    second = Comment.objects.get(body="Et un deuxième.")
    assert second.status == CommentStatus.APPROVED
    expect(mael.locator(f"#comment-{second.pk}")).to_contain_text("Et un deuxième.")

    stranger.goto(post_url(site_url, post))
    fill_comment(stranger, "Maël", "mael@example.org", "Une usurpation.")
    assert Comment.objects.get(body="Une usurpation.").status == CommentStatus.PENDING
    expect(stranger.locator(".comments__list")).not_to_contain_text("Une usurpation.")
