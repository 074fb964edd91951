from django.apps import AppConfig


class SearchConfig(AppConfig):
    """A site's search (its own pages and the posts shared with it), and the network's on the
    head site."""

    name = "search"
    label = "site_search"
    verbose_name = "Maillage search"
