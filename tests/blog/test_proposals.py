"""Sharing by proposal, through the admin and the sites as people use them: a post shared with
other sites is proposed to each (public) one; it shows there once that site's editors, or the head
office, accept it; a site may decline it with a reason the origin sees, and accept it later; a
site may accept what the head office shares automatically. Nobody answers for a site they do not
edit; the right people are told; the dashboard lists what waits; unpublishing or deleting a
shared post names the sites it disappears from.
"""

from django.test import Client
from django.urls import reverse

from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

import pytest
from bs4 import BeautifulSoup

from blog.choices import ProposalStatus, ShareScope
from blog.models import BlogPostPage, ShareProposal
from blog.syndication import PublicationState, is_accepted, publication_states
from sites import network, roles
from sites.models import SiteProfile, SiteSettings, SiteStatus
from tests.support.blog import blog_of, make_author, make_post
from tests.support.scoping_fixtures import make_member, make_user

HEAD = "localhost"
BRETAGNE = "bretagne.localhost"
OCCITANIE = "occitanie.localhost"
TITLE = "Les tiers-lieux bretons s'organisent"


@pytest.fixture(autouse=True)
def live_network(network, settings, tmp_path):
    """The network's sites open to the public (drafts are never targets: tested below)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    SiteProfile.objects.update(status=SiteStatus.LIVE)


@pytest.fixture
def people(head_site, bretagne_site, occitanie_site):
    return {
        "bretagne": make_member(bretagne_site, roles.EDITOR, "brigitte"),
        "head": make_member(head_site, roles.EDITOR, "hugo"),
        "head_admin": make_member(head_site, roles.ADMINISTRATOR, "hortense"),
        "occitanie": make_member(occitanie_site, roles.EDITOR, "oscar"),
        "occitanie_moderator": make_member(occitanie_site, roles.MODERATOR, "odile"),
    }


@pytest.fixture
def bretagne_post(bretagne_site):
    """A live post of Bretagne's blog, shared with nobody yet."""
    return make_post(blog_of(bretagne_site), TITLE, authors=[make_author("Brigitte")])


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def edit_data(post, scope=ShareScope.NONE, sites=()):
    """What the page editor sends to publish the post with these share settings."""
    post = BlogPostPage.objects.get(pk=post.pk)
    data = nested_form_data(
        {
            "title": post.title,
            "slug": post.slug,
            "date": post.date.isoformat(),
            "intro": post.intro,
            "hero_image": "",
            "hero_alt": "",
            "body": streamfield([]),
            "post_authors": inline_formset(
                [{"author": link.author_id, "id": link.pk} for link in post.post_authors.all()],
                min=1,
            ),
            "related_links": inline_formset([], max=6),
            "comments": inline_formset([]),
            "tags": "",
            "share_scope": scope,
            "action-publish": "action-publish",
        }
    )
    data["shared_sites"] = [site.pk for site in sites]
    return data


def publish_shared(user, post, scope=ShareScope.NONE, sites=()):
    response = client_for(user).post(f"/admin/pages/{post.pk}/edit/", edit_data(post, scope, sites))
    assert response.status_code == 302, response.content.decode()[:2000]
    return BlogPostPage.objects.get(pk=post.pk)


def listed(site_host, title, client=None):
    response = (client or Client()).get("/blog/", HTTP_HOST=site_host)
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    return title in [a.get_text(strip=True) for a in page.select(".post-card__title a")]


def statuses(post):
    return dict(ShareProposal.objects.filter(post=post).values_list("site__hostname", "status"))


def shared_page(user, site):
    response = client_for(user).get(reverse("blog_shared:site", args=[site.pk]))
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def proposal_to(post, site):
    return ShareProposal.objects.get(post=post, site=site)


def accept_url(proposal, site=None):
    return reverse("blog_shared:accept", args=[(site or proposal.site).pk, proposal.pk])


def decline_url(proposal, site=None):
    return reverse("blog_shared:decline", args=[(site or proposal.site).pk, proposal.pk])


# --- proposing, accepting, declining -----------------------------------------------------------


def test_a_regional_post_shared_with_the_network_is_proposed_not_shown(
    people, bretagne_post, head_site
):
    post = publish_shared(people["bretagne"], bretagne_post, ShareScope.ALL)

    assert statuses(post) == {HEAD: ProposalStatus.PROPOSED, OCCITANIE: ProposalStatus.PROPOSED}
    assert proposal_to(post, head_site).proposed_by == people["bretagne"]
    assert not listed(HEAD, TITLE) and not listed(OCCITANIE, TITLE)
    assert listed(BRETAGNE, TITLE)
    assert Client().get(f"/blog/{post.slug}/", HTTP_HOST=HEAD).status_code == 404

    rows = shared_page(people["head"], head_site).select("[data-proposals] tr[data-proposal]")
    assert [row.select_one(".title").get_text(strip=True) for row in rows] == [TITLE]
    assert rows[0].select_one("[data-origin]").get_text(strip=True) == "Maillage Bretagne"


def test_the_head_office_accepts_and_the_post_shows_on_its_blog(
    people, bretagne_post, head_site, occitanie_site
):
    post = publish_shared(people["bretagne"], bretagne_post, ShareScope.ALL)
    proposal = proposal_to(post, head_site)

    response = client_for(people["head"]).post(accept_url(proposal))

    assert response.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decided_by) == (ProposalStatus.ACCEPTED, people["head"])
    assert is_accepted(post, head_site) and not is_accepted(post, occitanie_site)
    assert listed(HEAD, TITLE) and not listed(OCCITANIE, TITLE)
    assert Client().get(f"/blog/{post.slug}/", HTTP_HOST=HEAD).status_code == 200
    page = shared_page(people["head"], head_site)
    assert not page.select("[data-proposals] tr[data-proposal]")
    assert page.select_one(f'tr[data-post="{post.pk}"][data-state="listed"]')


def test_occitanie_declines_with_a_reason_that_the_origin_sees(
    people, bretagne_post, occitanie_site
):
    post = publish_shared(people["bretagne"], bretagne_post, ShareScope.ALL)
    proposal = proposal_to(post, occitanie_site)
    oscar = client_for(people["occitanie"])

    form = oscar.get(decline_url(proposal))
    assert form.status_code == 200 and 'name="reason"' in form.content.decode()
    refused = oscar.post(decline_url(proposal), {"reason": "  "})
    assert refused.status_code == 200  # the form again: the reason is required
    assert proposal_to(post, occitanie_site).status == ProposalStatus.PROPOSED

    reason = "Nous avons publié notre propre article sur les tiers-lieux."
    assert oscar.post(decline_url(proposal), {"reason": reason}).status_code == 302

    proposal.refresh_from_db()
    assert (proposal.status, proposal.reason) == (ProposalStatus.DECLINED, reason)
    assert not listed(OCCITANIE, TITLE)
    editor = client_for(people["bretagne"]).get(f"/admin/pages/{post.pk}/edit/")
    panel = BeautifulSoup(editor.content, "html.parser").select_one("[data-where-published]")
    row = panel.select_one(f'tr[data-site="{OCCITANIE}"]')
    assert row["data-state"] == PublicationState.DECLINED
    assert reason in row.select_one("[data-reason]").get_text()
    assert panel.select_one(f'tr[data-site="{HEAD}"]')["data-state"] == PublicationState.PROPOSED

    # Declined is not final: the site may still accept it, from the same screen.
    row = shared_page(people["occitanie"], occitanie_site).select_one(
        f'[data-proposals] tr[data-proposal="{proposal.pk}"]'
    )
    assert row["data-status"] == ProposalStatus.DECLINED and reason in row.get_text()
    assert oscar.post(accept_url(proposal)).status_code == 302
    assert listed(OCCITANIE, TITLE)


def test_the_origin_sees_every_targets_state(people, bretagne_post, head_site, occitanie_site):
    post = publish_shared(people["bretagne"], bretagne_post, ShareScope.ALL)
    client_for(people["head"]).post(accept_url(proposal_to(post, head_site)))
    assert {site.hostname: state for site, state in publication_states(post)} == {
        HEAD: PublicationState.LISTED,
        OCCITANIE: PublicationState.PROPOSED,
    }
    client_for(people["head"]).post(reverse("blog_shared:hide", args=[head_site.pk, post.pk]))
    assert {s.hostname: st for s, st in publication_states(post)}[HEAD] == "hidden"


def test_a_network_administrator_decides_for_any_site(bretagne_post, people, occitanie_site):
    post = publish_shared(people["bretagne"], bretagne_post, ShareScope.ALL)
    head_office = make_user("nadia")
    head_office.groups.add(roles.ensure_network_administrators())
    proposal = proposal_to(post, occitanie_site)
    assert client_for(head_office).post(accept_url(proposal)).status_code == 302
    assert listed(OCCITANIE, TITLE)


def test_sites_that_accept_from_the_head_office_show_its_posts_at_once(
    people, head_site, bretagne_site, occitanie_site, bretagne_post
):
    SiteSettings.objects.filter(site=occitanie_site).update(accept_from_head_office=True)
    head_post = make_post(blog_of(head_site), "Le fonds du réseau", authors=[make_author("H")])

    head_post = publish_shared(people["head"], head_post, ShareScope.REGIONAL)

    occitanie = proposal_to(head_post, occitanie_site)
    assert (occitanie.status, occitanie.decided_by) == (ProposalStatus.ACCEPTED, None)
    assert proposal_to(head_post, bretagne_site).status == ProposalStatus.PROPOSED
    assert listed(OCCITANIE, "Le fonds du réseau") and not listed(BRETAGNE, "Le fonds du réseau")
    # Only what the head site shares: Bretagne's post is proposed to Occitanie like any other.
    post = publish_shared(people["bretagne"], bretagne_post, sites=[occitanie_site])
    assert statuses(post) == {OCCITANIE: ProposalStatus.PROPOSED}


def test_a_republication_keeps_the_answers_and_withdraws_dropped_sites(
    people, bretagne_post, head_site, occitanie_site
):
    post = publish_shared(people["bretagne"], bretagne_post, ShareScope.ALL)
    client_for(people["head"]).post(accept_url(proposal_to(post, head_site)))
    client_for(people["occitanie"]).post(
        decline_url(proposal_to(post, occitanie_site)), {"reason": "Hors sujet"}
    )
    post = publish_shared(people["bretagne"], post, ShareScope.ALL)
    assert statuses(post) == {HEAD: ProposalStatus.ACCEPTED, OCCITANIE: ProposalStatus.DECLINED}

    post = publish_shared(people["bretagne"], post, sites=[head_site])
    assert statuses(post) == {HEAD: ProposalStatus.ACCEPTED}
    assert listed(HEAD, TITLE)


# --- who may answer ----------------------------------------------------------------------------


def test_a_bretagne_editor_cannot_answer_for_occitanie(
    people, head_site, bretagne_site, occitanie_site
):
    head_post = make_post(blog_of(head_site), "Pour les régions", authors=[make_author("H")])
    head_post = publish_shared(people["head"], head_post, ShareScope.REGIONAL)
    theirs = proposal_to(head_post, occitanie_site)
    brigitte = client_for(people["bretagne"])

    attempts = [
        brigitte.post(accept_url(theirs)),
        brigitte.post(decline_url(theirs), {"reason": "Non"}),
        brigitte.get(decline_url(theirs)),
        # Their proposal's id under Bretagne's own site.
        brigitte.post(accept_url(theirs, site=bretagne_site)),
        brigitte.post(decline_url(theirs, site=bretagne_site), {"reason": "Non"}),
    ]

    assert [response.status_code for response in attempts] == [403, 403, 403, 404, 404]
    theirs.refresh_from_db()
    assert (theirs.status, theirs.decided_by, theirs.reason) == (ProposalStatus.PROPOSED, None, "")
    assert not listed(OCCITANIE, "Pour les régions")
    # Occitanie's moderator does not decide either: editors and administrators do.
    moderator = client_for(people["occitanie_moderator"])
    assert moderator.post(accept_url(theirs)).status_code == 403
    assert proposal_to(head_post, occitanie_site).status == ProposalStatus.PROPOSED


# --- telling people ----------------------------------------------------------------------------


def test_the_target_sites_editors_and_administrators_are_told(
    people, bretagne_post, head_site, mailoutbox, django_capture_on_commit_callbacks
):
    make_member(head_site, roles.EDITOR, "sans-adresse").__class__.objects.filter(
        username="sans-adresse"
    ).update(email="")
    make_member(head_site, roles.EDITOR, "parti", is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        publish_shared(people["bretagne"], bretagne_post, sites=[head_site])

    assert sorted(address for mail in mailoutbox for address in mail.to) == [
        "hortense@example.org",
        "hugo@example.org",
    ]
    mail = mailoutbox[0]
    assert TITLE in mail.subject
    assert f"http://localhost{reverse('blog_shared:site', args=[head_site.pk])}" in mail.body
    assert "Maillage Bretagne" in mail.body


def test_a_site_without_a_team_tells_the_network_administrators(
    bretagne_post, people, occitanie_site, mailoutbox, django_capture_on_commit_callbacks
):
    occitanie_site.profile.editors.user_set.clear()
    head_office = make_user("nadia")
    head_office.groups.add(roles.ensure_network_administrators())
    with django_capture_on_commit_callbacks(execute=True):
        publish_shared(people["bretagne"], bretagne_post, sites=[occitanie_site])

    assert [mail.to for mail in mailoutbox] == [["nadia@example.org"]]


def test_nobody_is_told_of_an_automatic_acceptance(
    people, head_site, occitanie_site, mailoutbox, django_capture_on_commit_callbacks
):
    SiteSettings.objects.filter(site=occitanie_site).update(accept_from_head_office=True)
    head_post = make_post(blog_of(head_site), "Le fonds", authors=[make_author("H")])
    with django_capture_on_commit_callbacks(execute=True):
        publish_shared(people["head"], head_post, sites=[occitanie_site])
    assert mailoutbox == []


def test_the_dashboard_lists_the_proposals_waiting_for_the_users_sites(
    people, bretagne_post, head_site
):
    publish_shared(people["bretagne"], bretagne_post, sites=[head_site])

    home = BeautifulSoup(client_for(people["head"]).get("/admin/").content, "html.parser")
    panel = home.select_one("#maillage-share-proposals-section")
    assert panel is not None and TITLE in panel.get_text()
    link = panel.find("a", string=TITLE)
    assert link["href"] == reverse("blog_shared:site", args=[head_site.pk])

    for other in ("occitanie", "bretagne"):
        home = client_for(people[other]).get("/admin/").content.decode()
        assert "maillage-share-proposals" not in home and TITLE not in home


# --- unpublishing and deleting ----------------------------------------------------------------


def test_the_unpublish_and_delete_confirmations_name_the_other_sites(
    people, bretagne_post, head_site, occitanie_site, admin_client
):
    post = publish_shared(people["bretagne"], bretagne_post, ShareScope.ALL)
    for site, user in ((head_site, "head"), (occitanie_site, "occitanie")):
        client_for(people[user]).post(accept_url(proposal_to(post, site)))

    screens = [
        client_for(people["bretagne"]).get(f"/admin/pages/{post.pk}/unpublish/"),
        admin_client.get(f"/admin/pages/{post.pk}/delete/"),
    ]
    for response in screens:
        assert response.status_code == 200
        text = BeautifulSoup(response.content, "html.parser").get_text(" ", strip=True)
        assert "2" in text and "Réseau Maillage" in text and "Maillage Occitanie" in text
    warning = BeautifulSoup(screens[0].content, "html.parser").select_one("[data-shown-elsewhere]")
    assert warning["data-shown-elsewhere"] == "2"


def test_no_warning_for_a_post_shown_nowhere_else(people, bretagne_post, head_site, admin_client):
    post = publish_shared(people["bretagne"], bretagne_post, sites=[head_site])  # proposed only
    response = client_for(people["bretagne"]).get(f"/admin/pages/{post.pk}/unpublish/")
    assert response.status_code == 200 and b"data-shown-elsewhere" not in response.content
    response = admin_client.get(f"/admin/pages/{post.pk}/delete/")
    assert response.status_code == 200 and "Réseau Maillage" not in _messages(response)


def _messages(response):
    page = BeautifulSoup(response.content, "html.parser")
    return " ".join(item.get_text(" ", strip=True) for item in page.select(".messages li"))


# --- draft and archived sites -------------------------------------------------------------------


@pytest.mark.parametrize("status", [SiteStatus.DRAFT, SiteStatus.ARCHIVED])
def test_draft_and_archived_sites_are_never_targets(
    people, bretagne_post, bretagne_site, occitanie_site, status
):
    SiteProfile.objects.filter(site=occitanie_site).update(status=status)

    # Not offered, and refused if sent anyway.
    forged = client_for(people["bretagne"]).post(
        f"/admin/pages/{bretagne_post.pk}/edit/",
        edit_data(bretagne_post, ShareScope.ALL, [occitanie_site]),
    )
    assert forged.status_code == 200 and not statuses(bretagne_post)

    post = publish_shared(people["bretagne"], bretagne_post, ShareScope.ALL)

    assert statuses(post) == {HEAD: ProposalStatus.PROPOSED}
    assert [site.hostname for site, _state in publication_states(post)] == [HEAD]
    form = client_for(people["bretagne"]).get(f"/admin/pages/{post.pk}/edit/").context["form"]
    assert [site.hostname for site in form.fields["shared_sites"].queryset] == [HEAD]


def test_the_share_checkboxes_offer_the_other_public_sites(people, bretagne_post):
    form = client_for(people["bretagne"]).get(f"/admin/pages/{bretagne_post.pk}/edit/")
    choices = form.context["form"].fields["shared_sites"].queryset
    assert sorted(site.hostname for site in choices) == [HEAD, OCCITANIE]


def test_a_site_launched_later_receives_what_was_shared_with_it_meanwhile(
    people, bretagne_post, head_site, occitanie_site
):
    """Occitanie was a draft when Bretagne shared with the network and the head office shared
    with the regions: once launched from its checklist, it has both to answer (the head office's
    accepted at once, since Occitanie accepts from it), and they show once accepted."""
    SiteProfile.objects.filter(site=occitanie_site).update(status=SiteStatus.DRAFT)
    SiteSettings.objects.filter(site=occitanie_site).update(accept_from_head_office=True)
    network.forget()
    regional = publish_shared(people["bretagne"], bretagne_post, ShareScope.ALL)
    national = make_post(blog_of(head_site), "Le mois de l'ESS", authors=[make_author("Hugo")])
    national = publish_shared(people["head"], national, ShareScope.REGIONAL)
    assert not ShareProposal.objects.filter(site=occitanie_site).exists()

    administrator = make_member(occitanie_site, roles.ADMINISTRATOR, "olga")
    launched = client_for(administrator).post(f"/admin/network/sites/{occitanie_site.pk}/launch/")
    assert launched.status_code == 302

    assert proposal_to(regional, occitanie_site).status == ProposalStatus.PROPOSED
    assert proposal_to(national, occitanie_site).status == ProposalStatus.ACCEPTED
    assert listed(OCCITANIE, "Le mois de l'ESS")
    assert not listed(OCCITANIE, TITLE)
    assert (
        client_for(people["occitanie"])
        .post(accept_url(proposal_to(regional, occitanie_site)))
        .status_code
        == 302
    )
    assert listed(OCCITANIE, TITLE)
