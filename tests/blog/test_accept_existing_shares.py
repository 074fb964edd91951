"""Data migration blog 0005: the shares that existed before proposals become accepted proposals,
so that nothing shown before disappears (run here on the current models, which have the fields
it reads)."""

import importlib

from django.apps import apps

from blog.choices import ProposalStatus, ShareScope
from blog.models import BlogPostPage, ShareProposal
from tests.support.blog import blog_of, make_post

migration = importlib.import_module("blog.migrations.0005_accept_existing_shares")


def shared(post, scope=ShareScope.NONE, sites=()):
    """Share settings as stored before proposals existed: no ShareProposal."""
    post.share_scope = scope
    post.shared_sites = list(sites)
    post.save()
    ShareProposal.objects.filter(post=post).delete()
    return post


def accepted(post):
    return dict(ShareProposal.objects.filter(post=post).values_list("site__hostname", "status"))


def test_every_share_of_a_live_post_becomes_an_accepted_proposal(
    head_site, bretagne_site, occitanie_site
):
    regional = shared(make_post(blog_of(head_site), "Pour les régions"), ShareScope.REGIONAL)
    everywhere = shared(make_post(blog_of(bretagne_site), "Pour tous"), ShareScope.ALL)
    chosen = shared(make_post(blog_of(occitanie_site), "Pour la tête"), sites=[head_site])
    draft = shared(make_post(blog_of(head_site), "Brouillon", live=False), ShareScope.ALL)
    alone = make_post(blog_of(head_site), "Pour nous seuls")

    migration.accept_existing_shares(apps, None)

    ok = ProposalStatus.ACCEPTED
    assert accepted(regional) == {"bretagne.localhost": ok, "occitanie.localhost": ok}
    assert accepted(everywhere) == {"localhost": ok, "occitanie.localhost": ok}  # not its own
    assert accepted(chosen) == {"localhost": ok}
    assert accepted(draft) == {} and accepted(alone) == {}
    # Shown as before: the head site lists Bretagne's post, Bretagne the head's.
    assert BlogPostPage.objects.shared_with(head_site).filter(pk=everywhere.pk).exists()
    assert BlogPostPage.objects.shared_with(bretagne_site).filter(pk=regional.pk).exists()


def test_running_it_again_changes_nothing(head_site, bretagne_site):
    post = shared(make_post(blog_of(head_site), "Pour la Bretagne"), sites=[bretagne_site])
    migration.accept_existing_shares(apps, None)
    migration.accept_existing_shares(apps, None)
    assert ShareProposal.objects.filter(post=post).count() == 1
