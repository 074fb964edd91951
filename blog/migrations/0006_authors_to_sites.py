"""Each existing author goes to the site of the posts that credit it (issue 19, item 3).

An author credited by the posts of one site becomes that site's; by the posts of several sites,
or of none, it stays the network's (no site): only the network administrators edit it then, and
every site may still credit it (blog/authors.py), so no post loses its author and no site's team
gains the power to change what another site's posts say. An author and its translations are one
person: the posts crediting any of them count, and they all get the same site.

A post's site is that of sites.network, reimplemented on the historical models: the Site whose
home holds the post's tree path, a site's homes being its root page and the translations of it
that are no other Site's root (such a translation goes to the oldest Site it translates); the
deepest home wins. Posts outside every site count for none.

The network administrators' group gets add_author and change_author, as every site's editors and
administrators have (blog/signal_handlers.py gives them to new sites' groups and to this group):
they manage every author. (On a new database the permissions do not exist yet: the site factory
grants them.)
"""

from django.db import migrations


def site_homes(apps):
    """[(home path, site id)], the deepest first."""
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    sites = list(Site.objects.select_related("root_page").order_by("-is_default_site", "pk"))
    root_ids = {site.root_page_id for site in sites}
    homes = {}
    for site in sites:
        homes.setdefault(site.root_page.path, site.pk)
    for site in sorted(sites, key=lambda site: site.pk):  # a translation: the oldest Site's
        translations = Page.objects.filter(translation_key=site.root_page.translation_key)
        for path in translations.exclude(pk__in=root_ids).values_list("path", flat=True):
            homes.setdefault(path, site.pk)
    return sorted(homes.items(), key=lambda item: -len(item[0]))


def site_of_path(homes, path):
    return next((site_id for home, site_id in homes if path.startswith(home)), None)


def assign_authors(apps, schema_editor):
    Author = apps.get_model("blog", "Author")
    BlogPostAuthor = apps.get_model("blog", "BlogPostAuthor")
    homes = site_homes(apps)
    credits = BlogPostAuthor.objects.values_list("author__translation_key", "post__path")
    sites_of = {}  # an author's translation key -> the ids of the sites of its posts
    for key, path in credits.distinct():
        site_id = site_of_path(homes, path)
        if site_id is not None:
            sites_of.setdefault(key, set()).add(site_id)
    by_site = {}
    for key, site_ids in sites_of.items():
        if len(site_ids) == 1:
            by_site.setdefault(next(iter(site_ids)), []).append(key)
    for site_id, keys in by_site.items():
        for start in range(0, len(keys), 500):
            Author.objects.filter(translation_key__in=keys[start : start + 500]).update(
                site_id=site_id
            )


NETWORK_ADMINISTRATORS = "Network administrators"  # sites.roles.NETWORK_ADMINISTRATORS
AUTHOR_PERMISSIONS = ("add_author", "change_author")  # blog.signal_handlers


def grant_network_administrators(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="blog", codename__in=AUTHOR_PERMISSIONS
    )
    for group in Group.objects.filter(name=NETWORK_ADMINISTRATORS):
        group.permissions.add(*permissions)


def forward(apps, schema_editor):
    assign_authors(apps, schema_editor)
    grant_network_administrators(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0005_accept_existing_shares"),
        ("wagtailcore", "0098_apitoken"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop, elidable=False)]
