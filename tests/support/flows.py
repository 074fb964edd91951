"""The isolation matrix's flow section as data: what the generic flows of
tests/security/test_isolation_flows.py cannot find out alone.

Everything else is found by introspection (every page type's, site setting's and snippet's admin
form, every admin URL, every report): a new field or screen is probed without being listed here.
"""

# Besides the field under test, what a form needs to accept an image (a companion field).
COMPANIONS = {
    "hero_image": {"hero_alt": "Texte de remplacement"},
}


def prepare(world):
    """What the forms of Bretagne need to be saved, and objects to choose besides the one edited:
    a post with its author (a post needs one) and a second post (a post's related posts)."""
    from blog.models import BlogPostAuthor

    post = world["a"].post
    if not post.post_authors.exists():
        BlogPostAuthor.objects.create(post=post, author=world["a"].author)
        post.save_revision()
    world["a"].fresh().make("post")
    world["b"].make("post")


# The words of an admin URL name or route that mark a confirmation screen.
CONFIRMATION_WORDS = ("confirm", "move", "copy", "delete", "unpublish", "bulk")

# The kind of object an admin route's integer arguments name, by the route's beginning.
ROUTE_KINDS = (
    ("admin/pages/", "page"),
    ("admin/images/", "image"),
    ("admin/documents/", "document"),
    ("admin/redirects/", "redirect"),
    ("admin/workflows/remove/", "page"),
    ("admin/forms/submissions/", "page"),
    ("admin/comments/", "comment"),
    ("admin/network/sites/", "site"),
    ("admin/snippets/blog/author/", "author"),
)

# Confirmation screens the flow does not probe with ids, and why.
NETWORK_ONLY = "network administrators' objects: the matrix refuses every site role"
CONFIRMATIONS_NOT_PROBED = {
    "wagtail_bulk_action": "probed below with ?id= of both sites, for every registered action",
    "wagtailadmin_password_reset_confirm": "a token from a mail, no object",
    "maillage_account:confirm_email": "a signed token mailed to the new address, no id",
    "wagtailsnippets_blog_blogcategory:delete": "categories are the network's",
    "wagtailsnippets_blog_blogcategory:copy": "categories are the network's",
    "wagtailadmin_collections:delete": NETWORK_ONLY,
    "wagtaillocales:delete": NETWORK_ONLY,
    "wagtaillocales:copy": NETWORK_ONLY,
    "wagtailsites:delete": NETWORK_ONLY,
    "wagtailsites:copy": NETWORK_ONLY,
    "wagtailusers_users:delete": NETWORK_ONLY,
    "wagtailusers_users:copy": NETWORK_ONLY,
    "wagtailusers_groups:delete": NETWORK_ONLY,
    "blog_adaptations:remove": (
        "a POST-only action, no confirmation screen (GET answers 405); the matrix's local "
        "adaptations area sends it with another site's post and site ids"
    ),
}
