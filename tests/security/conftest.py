"""Fixtures of the isolation matrix (tests/security/test_isolation_matrix.py): the people of each
role and, on each site, one object of every kind an admin area shows, each carrying the site's
secret token so that a response leaking it is caught whatever the view.

Site A is Bretagne (where the site roles work), site B is Occitanie (what they must never reach),
the head site is where the superuser's controls act.
"""

import itertools

from django.utils.functional import cached_property

from wagtail.contrib.redirects.models import Redirect
from wagtail.models import GroupApprovalTask, Locale, Page, Workflow
from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource

import pytest
import wagtail_factories

from blog.choices import ProposalStatus, ShareScope
from blog.models import HiddenSharedPost, LocalAdaptation, ShareProposal
from comments.models import Comment, CommentStatus
from sites import lifecycle, network, roles
from sites.factory import SiteRequest, create_site
from sites.models import SiteProfile, SiteStatus, StandardPage
from sites.team import ROLE_GROUP_FIELDS
from tests.support.blog import blog_of, make_author, make_category, make_post, share
from tests.support.isolation import SITE_KEYS, token
from tests.support.scoping_fixtures import *  # noqa: F403 (the people of each role)
from tests.support.scoping_fixtures import make_member, make_user

_fresh = itertools.count(1)


class SiteObjects:
    """The objects of one site, each made on first use. `fresh()` gives a new set, for the
    controls, which change or delete what they act on."""

    def __init__(self, world, key, suffix=""):
        self.world = world
        self.site = world.sites[key]
        self.key = key
        self.name = SITE_KEYS[key]  # to search for: the token itself would be echoed
        self.token = token(key)
        self.suffix = suffix

    def fresh(self):
        return SiteObjects(self.world, self.key, suffix=f"-{next(_fresh)}")

    def _label(self, kind):
        return f"{kind} {self.token}{self.suffix}"

    def _slug(self, kind):
        return f"{kind}-{self.token}{self.suffix}"

    def make(self, *kinds):
        for kind in kinds:
            getattr(self, kind)

    # The site's author (blog/authors.py), carrying the token.
    @cached_property
    def author(self):
        return make_author(self._label("Auteur"), site=self.site)

    # The network's own objects (made through this site's set only so that each control has its
    # own): a category, an account in no team.

    @cached_property
    def category(self):
        return make_category(f"Catégorie {self.key}{self.suffix}")

    @cached_property
    def outsider(self):
        return make_user(self._slug("sans-equipe"))

    # The site's
    @property
    def home(self):
        return self.site.root_page.specific

    @property
    def collection(self):
        return self.site.profile.collection

    @property
    def locale(self):
        return self.home.locale

    def group(self, role):
        return getattr(self.site.profile, ROLE_GROUP_FIELDS[role])

    def _page(self, kind, **fields):
        page = StandardPage(title=self._label(kind), slug=self._slug(kind), intro="Intro", **fields)
        self.home.add_child(instance=page)
        page.save_revision().publish()
        return page

    @cached_property
    def page(self):
        """A published page with a draft on top: two revisions to compare, revert, view."""
        page = self._page("Page")
        page.title = self._label("Brouillon")
        page.save_revision()
        return Page.objects.get(pk=page.pk).specific

    @cached_property
    def revision(self):
        return self.page.latest_revision

    @cached_property
    def folder(self):
        """Another page, locked: somewhere to move pages to, and something to unlock."""
        return self._page("Dossier", locked=True)

    @cached_property
    def alias(self):
        return self.page.create_alias(update_slug=self._slug("alias"))

    @cached_property
    def translation(self):
        """The page's translation into English, made by wagtail-localize (its home first)."""
        english = Locale.objects.get_or_create(language_code="en")[0]
        if self.home.get_translation_or_none(english) is None:
            self.home.copy_for_translation(english)
        source, _created = TranslationSource.get_or_create_from_instance(self.page)
        translation = Translation.objects.create(source=source, target_locale=english)
        translation.save_target(publish=True)
        return translation

    @cached_property
    def translated_page(self):
        return self.translation.get_target_instance()

    @cached_property
    def segment(self):
        return StringSegment.objects.filter(source=self.translation.source).first()

    def string_translated(self, value):
        return StringTranslation.objects.filter(
            locale=self.translation.target_locale, data=value
        ).exists()

    @cached_property
    def post(self):
        """A post of the site's blog, shared with no other site."""
        return make_post(blog_of(self.site), self._label("Billet"))

    @cached_property
    def image(self):
        return wagtail_factories.ImageFactory(
            title=self._label("Image"), collection=self.collection
        )

    @cached_property
    def document(self):
        return wagtail_factories.DocumentFactory(
            title=self._label("Document"),
            collection=self.collection,
            file__filename=f"{self._slug('document')}.txt",
            file__data=b"Bonjour",
        )

    @cached_property
    def redirect(self):
        return Redirect.objects.create(
            old_path=f"/{self._slug('ancien')}", site=self.site, redirect_link="/"
        )

    @cached_property
    def email(self):
        return f"{self.token}{self.suffix}@example.org"

    @cached_property
    def comment(self):
        """A pending comment on the site's post, by someone whose e-mail carries the token."""
        return Comment.objects.create(
            page=self.post,
            author_name=self._label("Auteur"),
            email=self.email,
            body=self._label("Commentaire"),
            status=CommentStatus.PENDING,
        )

    @cached_property
    def member(self):
        """An editor of the site: the team member an administrator might remove."""
        return make_member(self.site, roles.EDITOR, self._slug("membre"))

    @cached_property
    def unlaunched(self):
        """The site itself, made a draft again (sites.lifecycle), for the launch probe."""
        SiteProfile.objects.filter(site=self.site).update(status=SiteStatus.DRAFT)
        network.forget()
        return self.site

    @cached_property
    def archived_site(self):
        """Another site made by the factory and archived: to bring back, to delete."""
        site = create_site(
            SiteRequest(
                name=f"Archivé {self.token}{self.suffix}",
                hostname=f"archive-{self.key}{self.suffix}.localhost",
                kind="thematic",
                theme="Archives",
            )
        )
        lifecycle.archive(site)
        return site

    def _shared_post(self, hidden):
        """A post of another site (head, or B for the head site) shared with every site; hidden
        here if `hidden`. Its title is not a secret: every site lists it."""
        origin = self.world.sites["b" if self.key == "head" else "head"]
        post = make_post(blog_of(origin), f"Partagé {self.key}{self.suffix}")
        share(post, scope=ShareScope.ALL)  # every site accepts it
        if hidden:
            HiddenSharedPost.objects.create(post=post, site=self.site)
        return post

    @cached_property
    def shared_post(self):
        return self._shared_post(hidden=False)

    @cached_property
    def proposal(self):
        """A post of another site (head, or B for the head site) proposed to this site alone,
        awaiting its answer; its title carries the token (only the site's team sees it)."""
        origin = self.world.sites["b" if self.key == "head" else "head"]
        post = share(make_post(blog_of(origin), self._label("Proposé")), self.site, accept=False)
        return post.proposals.get(site=self.site)

    @cached_property
    def hidden_post(self):
        return self._shared_post(hidden=True)

    def _accepted_shared_post(self, kind):
        """A post of another site (head, or B for the head site) shared with this one by name,
        accepted here (blog.models.ShareProposal)."""
        origin = self.world.sites["b" if self.key == "head" else "head"]
        post = make_post(blog_of(origin), f"{kind} {self.key}{self.suffix}")
        post.shared_sites = [self.site]
        post.save()
        ShareProposal.objects.update_or_create(
            post=post, site=self.site, defaults={"status": ProposalStatus.ACCEPTED}
        )
        return post

    @cached_property
    def adaptable_post(self):
        """A post shared with the site, which it has not adapted."""
        return self._accepted_shared_post("À adapter")

    @cached_property
    def adapted_post(self):
        """A post shared with the site, with the site's local version (blog.adaptation)."""
        post = self._accepted_shared_post("Adapté")
        LocalAdaptation.objects.create(post=post, site=self.site, title=f"Local {self.key}")
        return post

    @cached_property
    def workflow(self):
        return self.world.workflow

    @cached_property
    def task(self):
        return self.world.task


class World:
    """Sites A and B (and head), the objects of each, the people, the network's workflow."""

    def __init__(self, network, people):
        self.network = network
        self.people = people
        self.sites = {key: network[name] for key, name in SITE_KEYS.items()}
        self.objects = {key: SiteObjects(self, key) for key in SITE_KEYS}
        self.workflow = Workflow.objects.filter(active=True).first() or Workflow.objects.create(
            name="Relecture", active=True
        )
        self.task = GroupApprovalTask.objects.first() or GroupApprovalTask.objects.create(
            name="Relire"
        )

    def __getitem__(self, key):
        return self.objects[key]


@pytest.fixture
def people(bretagne_people, network_administrator, superuser):
    """A user of every role of the matrix (anonymous visitors have a test of their own)."""
    return {
        **bretagne_people,
        "network administrator": network_administrator,
        "superuser": superuser,
    }


@pytest.fixture
def world(network, people, media_root):
    return World(network, people)
