"""Seed the benchmark network (issue: performance) into the database DATABASE_URL names.

    DJANGO_SETTINGS_MODULE=hub.settings.production SECRET_KEY=... DATABASE_URL=postgres://.../db \\
        .venv/bin/python bench/seed.py --sites 50 --posts 200 --comments 50 --json spec.json

`make bench` (bench/run.py) calls it on a freshly migrated scratch database; the JSON it writes
says which hosts and paths the load scenarios use.

Sites are made by the site factory (sites.factory.create_site: home page, blog, settings, groups)
and the network news page, authors and categories by the demo's own code (hub/demo/blog.py), so that
the network is the one a real installation has. Posts are too many for Wagtail's add_child() and
publish() (about 0.14 s each on 2 cores: 25 minutes for 10,000), so they are written in bulk,
as a fixture loader would: Page rows with bulk_create, the BlogPostPage rows with raw saves,
authors, categories and tags in bulk, one published revision each, then the search index in one
pass (Wagtail's backend add_bulk). Each post is live, public, in its site's language and renders
like an edited one. One post is then shared with another site through a real published revision
(blog.syndication), and comments are written with bulk_create.
"""

import argparse
import datetime
import json
import sys
import time
import uuid
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
HEAD_HOST = "bench.localhost"
SEARCH_WORD = "insertion"  # in one post pattern out of six (hub.demo.blog.PATTERNS["insertion"])
BIG_THREAD = 500  # comments on the "post with 500 comments"
COMMENT_BATCH = 20_000
COMMENTERS = 200  # distinct e-mail addresses (one avatar HMAC each)
CITIES = ("Brest", "Lyon", "Lille", "Nantes", "Toulouse", "Rennes", "Dijon", "Metz", "Pau")
SUBJECTS = (
    "le réemploi",
    "l'alimentation durable",
    "les tiers-lieux",
    "l'énergie citoyenne",
    "la mobilité solidaire",
)


def site_hostname(number):
    return HEAD_HOST if number == 0 else f"site-{number:02d}.{HEAD_HOST}"


# --- the network: factory and demo code ------------------------------------------------------


def remove_welcome_site():
    """Wagtail's first migration makes a placeholder site on localhost:80 (as seed_demo, the
    benchmark replaces it). Its page is taken offline first: deleting a live page starts the
    comments' unpublication clock on a page that is going away (see the run's report)."""
    from wagtail.models import Page, Site

    for placeholder in Site.objects.filter(hostname="localhost", port=80):
        root = placeholder.root_page
        placeholder.delete()
        if root.specific_class is Page and not root.get_children().exists():
            Page.objects.filter(pk=root.pk).update(live=False)
            root.refresh_from_db()
            root.delete()


def create_network(site_count):
    """The head site (default site, with the network news page) and site_count - 1 regional
    sites, each with its blog, made by the factory. Returns the Sites, head first."""
    from wagtail.models import Locale

    from hub.demo import blog as blog_demo
    from sites import lifecycle
    from sites.factory import SiteRequest, create_site

    Locale.objects.get_or_create(language_code="fr")
    english = Locale.objects.get_or_create(language_code="en")[0]
    remove_welcome_site()
    sites = []
    for number in range(site_count):
        head = number == 0
        site = create_site(
            SiteRequest(
                name="Réseau Bench" if head else f"Bench région {number:02d}",
                hostname=site_hostname(number),
                kind="head" if head else "regional",
                region="" if head else f"Région {number:02d}",
                locale="fr",
                is_default=head,
            )
        )
        lifecycle.launch(site)  # a new site is a draft; the bench visits them as the public
        sites.append(site)
    blog_demo.seed_network(english)  # authors and categories, no portraits
    blog_demo.seed_network_news(sites[0], english)
    return sites


# --- posts, in bulk --------------------------------------------------------------------------


def post_content(site, number):
    """(title, intro, body, pattern) of a post, from the demo's patterns."""
    from hub.demo import blog as blog_demo

    key = list(blog_demo.PATTERNS)[number % len(blog_demo.PATTERNS)]
    pattern = blog_demo.PATTERNS[key]
    place = SimpleNamespace(lieu=f"en {site.profile.region or 'France'}")
    facts = SimpleNamespace(
        ville=CITIES[number % len(CITIES)],
        structure=f"la coopérative Bench {number}",
        chiffre=f"{100 + number % 900}",
        sujet=SUBJECTS[number % len(SUBJECTS)],
    )
    texts = blog_demo.post_texts(pattern, blog_demo.post_values(site.site_name, place, facts))
    body = [
        ("paragraph", "".join(f"<p>{text}</p>" for text in texts["before"])),
        ("heading", {"text": texts["heading"], "level": "h2"}),
        ("paragraph", "".join(f"<p>{text}</p>" for text in texts["after"])),
    ]
    if texts["quote"]:
        body.append(("quote", {"text": texts["quote"], "source": texts["quote_source"]}))
    title = f"{facts.ville} : {facts.sujet}, article {number}"
    return title, texts["intro"], body, pattern


def build_posts(blog, site, count, start_path):
    """Unsaved BlogPostPages under `blog`, newest first, children numbered from start_path + 1."""
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from wagtail.models import Page

    from blog.models import BlogPostPage

    content_type = ContentType.objects.get_for_model(BlogPostPage)
    today = timezone.localdate()
    posts = []
    for number in range(count):
        title, intro, body, pattern = post_content(site, number)
        published = timezone.now() - datetime.timedelta(days=number, hours=1)
        # Unique in the network: a target site's own post never shadows a shared one.
        slug = f"{site.root_page.slug}-article-{number:05d}"
        post = BlogPostPage(
            title=title,
            draft_title=title,
            slug=slug,
            path=blog.path + Page._int2str(start_path + number + 1).rjust(Page.steplen, "0"),
            depth=blog.depth + 1,
            numchild=0,
            url_path=f"{blog.url_path}{slug}/",
            locale_id=blog.locale_id,
            content_type=content_type,
            live=True,
            has_unpublished_changes=False,
            first_published_at=published,
            last_published_at=published,
            latest_revision_created_at=published,
            translation_key=uuid.uuid4(),
            date=today - datetime.timedelta(days=number),
            intro=intro,
            body=body,
        )
        post.reading_minutes = post.compute_reading_minutes()
        post.pattern = pattern
        posts.append(post)
    return posts


def insert_posts(posts):
    """The Page rows in bulk, then each BlogPostPage row alone (a raw save: the parent row exists;
    Django's bulk_create refuses multi-table inheritance)."""
    from wagtail.models import Page

    page_fields = [field.attname for field in Page._meta.concrete_fields if not field.primary_key]
    rows = [Page(**{name: getattr(post, name) for name in page_fields}) for post in posts]
    Page.objects.bulk_create(rows, batch_size=2000)
    for post, row in zip(posts, rows, strict=True):
        post.pk = post.page_ptr_id = row.pk
        post.save_base(raw=True)


def insert_relations(posts, authors, categories):
    """Authors, categories and tags of each post, in bulk."""
    from taggit.models import Tag

    from blog.models import BlogPostAuthor, BlogPostPage, BlogPostTag

    Through = BlogPostPage.categories.through
    names = {name for post in posts for name in post.pattern.tags}
    tags = {tag.name: tag for tag in Tag.objects.filter(name__in=names)}
    for name in names - set(tags):
        tags[name] = Tag.objects.create(name=name)
    links, chosen, tagged = [], [], []
    for number, post in enumerate(posts):
        links.append(BlogPostAuthor(post_id=post.pk, author=authors[number % len(authors)]))
        for slug in post.pattern.categories:
            chosen.append(Through(blogpostpage_id=post.pk, blogcategory_id=categories[slug].pk))
        for name in post.pattern.tags:
            tagged.append(BlogPostTag(content_object_id=post.pk, tag=tags[name]))
    BlogPostAuthor.objects.bulk_create(links, batch_size=5000)
    Through.objects.bulk_create(chosen, batch_size=5000)
    BlogPostTag.objects.bulk_create(tagged, batch_size=5000)


def insert_revisions(post_ids):
    """One revision per post, as publishing leaves it: latest and live revision."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from wagtail.models import Page, Revision

    from blog.models import BlogPostPage

    content_type = ContentType.objects.get_for_model(BlogPostPage)
    base_type = ContentType.objects.get_for_model(Page)
    posts = BlogPostPage.objects.filter(pk__in=post_ids).prefetch_related(
        "post_authors", "categories", "tagged_items", "related_links"
    )
    revisions = [
        Revision(
            content_type=content_type,
            base_content_type=base_type,
            object_id=str(post.pk),
            object_str=post.title,
            content=post.serializable_data(),
            created_at=post.last_published_at,
        )
        for post in posts.iterator(chunk_size=1000)
    ]
    Revision.objects.bulk_create(revisions, batch_size=2000)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE wagtailcore_page AS p SET latest_revision_id = r.id, live_revision_id = r.id "
            "FROM wagtailcore_revision AS r "
            "WHERE r.base_content_type_id = %s AND r.object_id = p.id::text AND p.id = ANY(%s)",
            [base_type.pk, list(post_ids)],
        )


def seed_posts(site, count, authors, categories):
    """`count` live posts in the site's blog; returns their ids, newest first."""
    from django.db import transaction

    from wagtail.models import Page
    from wagtail.search.backends import get_search_backend

    from blog.models import BlogIndexPage, BlogPostPage

    blog = BlogIndexPage.objects.child_of(site.root_page).get()
    with transaction.atomic():
        posts = build_posts(blog, site, count, start_path=blog.numchild)
        insert_posts(posts)
        insert_relations(posts, authors, categories)
        Page.objects.filter(pk=blog.pk).update(numchild=blog.numchild + count)
        ids = [post.pk for post in posts]
        insert_revisions(ids)
    get_search_backend().add_bulk(BlogPostPage, list(BlogPostPage.objects.filter(pk__in=ids)))
    return ids


# --- comments --------------------------------------------------------------------------------


def seed_comments(counts):
    """Approved comments, `counts` mapping post id -> how many; one in five is a reply."""
    from wagtail.models import Page

    from comments.avatars import avatar_key
    from comments.keys import site_key
    from comments.models import Comment, CommentStatus

    # One avatar key per commenter for all sites: the avatars' cost, not their spread. Each
    # comment still carries its page's site key, which Comment.save (skipped by bulk_create) sets.
    keys = [avatar_key(f"lecteur{n}@example.org", "bench") for n in range(COMMENTERS)]
    site_keys = {page.pk: site_key(page) for page in Page.objects.filter(pk__in=list(counts))}

    def comment(page_id, n, parent=None):
        who = n % COMMENTERS
        return Comment(
            page_id=page_id,
            parent=parent,
            author_name=f"Lecteur {who}",
            email=f"lecteur{who}@example.org",
            body=f"Merci pour cet article, commentaire {n}. Nous menons un projet proche.",
            status=CommentStatus.APPROVED,
            ip_address=f"192.0.2.{who % 250 + 1}",
            user_agent="Mozilla/5.0 (bench)",
            avatar_key=keys[who],
            site_key=site_keys[page_id],
        )

    roots, replies = [], []
    for page_id, count in counts.items():
        for n in range(count):
            if n % 5 == 4 and roots and roots[-1].page_id == page_id:
                replies.append((page_id, n, roots[-1]))
            else:
                roots.append(comment(page_id, n))
    for start in range(0, len(roots), COMMENT_BATCH):
        Comment.objects.bulk_create(roots[start : start + COMMENT_BATCH])
    answers = [comment(page_id, n, parent) for page_id, n, parent in replies]
    for start in range(0, len(answers), COMMENT_BATCH):
        Comment.objects.bulk_create(answers[start : start + COMMENT_BATCH])
    return len(roots) + len(answers)


# --- the network's special pages ---------------------------------------------------------------


def share(post_id, target):
    """Share a post with one target site through a published revision, as its editor would, and
    accept the proposal as the target's editors would (blog.syndication)."""
    from blog import syndication
    from blog.choices import ProposalStatus, ShareScope
    from blog.models import BlogPostPage

    post = BlogPostPage.objects.get(pk=post_id)
    post.share_scope = ShareScope.NONE
    post.shared_sites = [target]
    post.save_revision().publish()
    for proposal in post.proposals.exclude(status=ProposalStatus.ACCEPTED):
        syndication.accept(proposal)
    return post


def page_path(page_id):
    """The page's path on its own site."""
    from wagtail.models import Page

    return Page.objects.get(pk=page_id).get_url_parts()[2]


# --- the whole seed ----------------------------------------------------------------------------


def seed(site_count, post_count, comment_count):
    """Everything; returns the spec of the network that bench/run.py loads."""
    from django.db import connection

    from wagtail.models import Locale

    from blog.models import Author, BlogCategory, BlogIndexPage, NetworkNewsPage

    timings = {}
    started = time.monotonic()
    sites = create_network(site_count)
    timings["sites_seconds"] = round(time.monotonic() - started, 1)

    french = Locale.objects.get(language_code="fr")
    authors = list(Author.objects.filter(locale=french).order_by("pk"))
    categories = {c.slug: c for c in BlogCategory.objects.filter(locale=french)}
    started = time.monotonic()
    posts = {site.pk: seed_posts(site, post_count, authors, categories) for site in sites}
    timings["posts_seconds"] = round(time.monotonic() - started, 1)

    head, origin, target = sites[:3]
    commented = posts[origin.pk][1]  # the second newest post of a regional site
    big = posts[origin.pk][2]
    shared = posts[origin.pk][3]
    comment_target = posts[target.pk][1]
    counts = {pk: comment_count for ids in posts.values() for pk in ids}
    counts[big] = BIG_THREAD
    started = time.monotonic()
    comments = seed_comments(counts)
    timings["comments_seconds"] = round(time.monotonic() - started, 1)

    shared_post = share(shared, target)
    origin_blog = BlogIndexPage.objects.child_of(origin.root_page).get()
    target_blog = BlogIndexPage.objects.child_of(target.root_page).get()
    news = NetworkNewsPage.objects.child_of(head.root_page).get()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    return {
        "sites": [site.hostname for site in sites],
        "posts": sum(len(ids) for ids in posts.values()),
        "comments": comments,
        "sizes": {"sites": site_count, "posts": post_count, "comments": comment_count},
        "timings": timings,
        "head": head.hostname,
        "site": origin.hostname,
        "target": target.hostname,
        "search_word": SEARCH_WORD,
        "pages": {
            "blog": page_path(origin_blog.pk),
            "commented_post": page_path(commented),
            "big_post": page_path(big),
            "shared_post": page_path(target_blog.pk)
            + target_blog.reverse_subpage("shared_post", args=[shared_post.slug]),
            "news": page_path(news.pk),
        },
        "comment_target": {"page_id": comment_target, "path": page_path(comment_target)},
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=50)
    parser.add_argument("--posts", type=int, default=200, help="per site")
    parser.add_argument("--comments", type=int, default=50, help="approved, per post")
    parser.add_argument("--json", type=Path, help="write the network's spec here")
    args = parser.parse_args()
    if args.sites < 3 or args.posts < 4:
        sys.exit("The benchmark needs at least 3 sites and 4 posts per site.")

    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    spec = seed(args.sites, args.posts, args.comments)
    text = json.dumps(spec, indent=2)
    if args.json:
        args.json.write_text(text + "\n")
    else:
        print(text)


if __name__ == "__main__":
    main()
