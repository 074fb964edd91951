"""What each site's search page covers, and how a result is shown.

A site's search covers its own live, public pages in the reader's language (the tree under its
home page's translation) and the posts other sites share with it (`blog.syndication`). The head
site also offers the whole network: every site's live, public pages in the reader's language,
counted by site so that readers can narrow the results to one site.

Whatever is typed, the search backend only ever receives words: `query_terms()` keeps letters and
digits, so quotes, `&`, `|`, `!`, `:*`, parentheses or backslashes can never be read as SQLite FTS5
or PostgreSQL tsquery syntax. Excerpts are built from plain text, escaped piece by piece, and only
the matched words are wrapped in <mark>.

On PostgreSQL the database backend stems words with the backend's SEARCH_CONFIG ("french", see
hub/settings/base.py); SQLite's FTS5 ignores it (no stemming there, accents and case folded).
"""

import re
import unicodedata
from dataclasses import dataclass, field, replace
from functools import reduce
from operator import or_

from django.db.models import Q
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

from wagtail import blocks
from wagtail.fields import StreamValue
from wagtail.models import Page
from wagtail.rich_text import get_text_for_indexing

from infra import pagination
from sites import network

RESULTS_PER_PAGE = 10
MAX_QUERY_LENGTH = 200  # characters kept of what was typed
MAX_TERMS = 20  # words sent to the search backend; the rest are ignored
EXCERPT_LENGTH = 240  # characters shown around the first match
EXCERPT_LEAD = 60  # of which, at most, before the match
MAX_TEXT_LENGTH = 20_000  # characters of a page's body read to build its excerpt

SITE = "site"
NETWORK = "network"

# Letters and digits (any script); an underscore is not a word character for the backends.
WORD = re.compile(r"[^\W_]+")


# --- the query ------------------------------------------------------------------------------------


def clean_query(value):
    """What was typed, made safe to show and keep in links: no NUL, NFC, single spaces, at most
    MAX_QUERY_LENGTH characters."""
    value = str(value or "").replace("\x00", "")
    value = unicodedata.normalize("NFC", value[: MAX_QUERY_LENGTH * 4])
    return " ".join(value.split())[:MAX_QUERY_LENGTH].strip()


def query_terms(query):
    """The distinct words of the query, in order, at most MAX_TERMS: all the backend is given."""
    terms, seen = [], set()
    for word in WORD.findall(query):
        key = word.casefold()
        if key not in seen:
            seen.add(key)
            terms.append(word)
    return terms[:MAX_TERMS]


def _positive_int(value):
    value = str(value or "")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None


@dataclass(frozen=True)
class SearchParams:
    """A search request, read from the query string: unknown scopes, site ids and page numbers
    are ignored rather than refused."""

    query: str = ""
    scope: str = SITE
    site_id: int | None = None  # network scope only: the site the results are narrowed to
    page: str = "1"

    @classmethod
    def from_query_dict(cls, data, *, network_allowed):
        scope = NETWORK if network_allowed and data.get("scope") == NETWORK else SITE
        return cls(
            query=clean_query(data.get("q")),
            scope=scope,
            site_id=_positive_int(data.get("site")) if scope == NETWORK else None,
            page=str(data.get("page") or "1")[:20],
        )

    @property
    def terms(self):
        return query_terms(self.query)

    def url(self, **changes):
        """The query string of this search with `changes` (None removes a parameter)."""
        params = {"q": self.query, "scope": self.scope if self.scope == NETWORK else None}
        params["site"] = self.site_id
        params.update(changes)
        return "?" + urlencode({key: value for key, value in params.items() if value})


# --- which pages a search covers -----------------------------------------------------------------


@dataclass(frozen=True)
class SiteRoot:
    """A site's home page in one language: the top of the tree its search covers."""

    site_id: int
    name: str
    path: str  # treebeard path: a FilterField of Page, so usable in search filters
    locale_id: int


def site_roots(language_code, sites=None):
    """Each site's home page in `language_code` (sites.network: a translated home that is
    another Site's root is that Site's; sites without one are left out), by site name. No query
    once the map is built (one to read `sites` when it is a queryset)."""
    roots = {}
    for home in network.homes(sites, language_code):
        name = network.site_name(home.site_id)
        roots.setdefault(home.site_id, SiteRoot(home.site_id, name, home.path, home.locale_id))
    return sorted(roots.values(), key=lambda root: (root.name, root.site_id))


def is_head(site):
    """Whether `site` is the network's head site, which may search the whole network."""
    from sites.models import SiteKind

    profile = getattr(site, "profile", None) if site is not None else None
    return getattr(profile, "kind", None) == SiteKind.HEAD


def _pages():
    # specific(): the excerpt reads each page type's own fields, one query per type shown.
    return Page.objects.live().public().specific()


def _under(roots):
    return reduce(or_, (Q(path__startswith=root.path) for root in roots))


def site_pages(site, root, request=None):
    """The pages a site's search covers: its own tree in the root's language and the posts of
    other sites shared with it, in the same language."""
    from blog.models import BlogPostPage

    shared = BlogPostPage.objects.shared_with(site, request=request)
    shared = shared.filter(locale_id=root.locale_id)
    return _pages().filter(_under([root]) | Q(pk__in=shared.values("pk")))


def network_pages(roots):
    """The pages the network search covers: every site's tree in the roots' language."""
    return _pages().filter(_under(roots))


# --- running a search -----------------------------------------------------------------------------


@dataclass
class Facet:
    site_id: int | None  # None: every site
    name: str
    count: int
    url: str
    is_current: bool


@dataclass
class Result:
    page: Page
    url: str
    title: str  # HTML: escaped, matches marked
    excerpt: str  # HTML: escaped, matches marked
    site_name: str = ""  # network scope: the site the page belongs to
    shared_from: str = ""  # site scope: the site a shared post comes from


@dataclass
class Search:
    """A search page's content: `results_page` (a Django Page of Result, with `page_links`),
    and in network scope the `facets` by site."""

    params: SearchParams
    network_allowed: bool
    results_page: object = None
    facets: list = field(default_factory=list)
    root: SiteRoot | None = None  # site scope: the home page searched under
    selected_site: SiteRoot | None = None  # network scope: the site results are narrowed to

    @property
    def total(self):
        return self.results_page.paginator.count if self.results_page else 0

    @property
    def network_url(self):
        """The same query over the whole network (offered by the head site only)."""
        return self.params.url(scope=NETWORK, site=None, page=None)


def run(site, params, language_code, *, network_allowed, request=None):
    """Search `site` (or, from the head site, the network) for `params` in `language_code`:
    a fixed number of queries, whatever the number of results or sites."""
    search = Search(params=params, network_allowed=network_allowed)
    terms = params.terms
    if not terms:
        return search
    text = " ".join(terms)

    if params.scope == NETWORK:
        roots = site_roots(language_code, network.public_site_ids(request))
        if not roots:  # no site exists in this language
            return search
        chosen = [root for root in roots if root.site_id == params.site_id]
        if not chosen:  # no site, or one unknown in this language: every site
            params = search.params = replace(params, site_id=None)
        search.selected_site = chosen[0] if chosen else None
        pages = network_pages(roots)
        results = (pages.filter(_under(chosen)) if chosen else pages).search(text)
        search.facets = _facets(pages.search(text), roots, params, params.site_id)
    else:
        roots = site_roots(language_code, site)
        if not roots:  # the site does not exist in this language: nothing to search
            return search
        search.root = roots[0]
        results = site_pages(site, search.root, request).search(text)

    # A page past the end shows the last: the results change as the index does.
    results_page = pagination.paginate(
        results, params.page, RESULTS_PER_PAGE, past_the_end_is_last=True
    )
    results_page.object_list = _results(
        list(results_page.object_list), search, terms, request, roots
    )
    results_page.page_links = [
        (number, params.url(page=number if number != 1 else None))
        if number is not None
        else (None, "")  # an ellipsis
        for number in results_page.page_links
    ]
    if results_page.has_previous():
        previous = results_page.previous_page_number()
        results_page.previous_url = params.url(page=previous if previous != 1 else None)
    if results_page.has_next():
        results_page.next_url = params.url(page=results_page.next_page_number())
    search.results_page = results_page
    return search


def _site_of(path, roots_by_path, lengths):
    """The root `path` is under: the deepest first, should a site's root be inside another's."""
    for length in lengths:
        root = roots_by_path.get(path[:length])
        if root is not None:
            return root
    return None


def _facets(results, roots, params, selected):
    """Matches by site: one query (the backend's facet on the pages' tree paths), whatever the
    number of sites; the paths are mapped to sites here."""
    roots_by_path = {root.path: root for root in roots}
    lengths = sorted({len(path) for path in roots_by_path}, reverse=True)
    counts = {}
    for path, count in results.facet("path").items():
        root = _site_of(path, roots_by_path, lengths)
        if root is not None:
            counts[root.site_id] = counts.get(root.site_id, 0) + count
    facets = [
        Facet(None, "", sum(counts.values()), params.url(site=None, page=None), selected is None)
    ]
    for root in sorted(roots, key=lambda root: (-counts.get(root.site_id, 0), root.name)):
        if counts.get(root.site_id):
            facets.append(
                Facet(
                    root.site_id,
                    root.name,
                    counts[root.site_id],
                    params.url(site=root.site_id, page=None),
                    root.site_id == selected,
                )
            )
    return facets


def _results(pages, search, terms, request, roots=()):
    """Result for each page shown: its address on this site, highlighted title and excerpt, and
    its site's name (network scope, from `roots`) or, for a post shared with the site, its
    origin's, and the site's local title and introduction if it adapted the post. A fixed
    number of queries: the blog serving shared posts and the site's adaptations of them."""
    if search.params.scope == NETWORK:
        roots_by_path = {root.path: root for root in roots}
        lengths = sorted({len(path) for path in roots_by_path}, reverse=True)
        site_names = {}
        for page in pages:
            root = _site_of(page.path, roots_by_path, lengths)
            site_names[page.pk] = root.name if root else ""
        shared, origins, blog = set(), {}, None
    else:
        site_names = {}
        shared = {page.pk for page in pages if not page.path.startswith(search.root.path)}
        origins = _origins([page for page in pages if page.pk in shared])
        blog = _blog(search.root) if shared else None
        _adapt([page for page in pages if page.pk in shared], search.root.site_id)

    results = []
    for page in pages:
        if page.pk in shared and blog is not None:
            url = blog.shared_post_url(page, request)
        else:
            url = page.get_url(request) or ""
        results.append(
            Result(
                page=page,
                url=url,
                title=highlight(page.title, terms),
                excerpt=excerpt(page_texts(page), terms),
                site_name=site_names.get(page.pk, ""),
                shared_from=origins.get(page.pk, ""),
            )
        )
    return results


def _adapt(pages, site_id):
    """Posts shared with the site, shown as it adapted them (blog.adaptation: one query)."""
    from blog.adaptation import adapt

    if pages:
        adapt(pages, site_id)


def _origins(pages):
    """{page id: name of the site it belongs to} (sites.network; no query once its map is
    built)."""
    origins = {}
    for page in pages:
        holding = network.site_ids_holding(page.url_path)
        origins[page.pk] = network.site_name(holding[0]) if holding else ""
    return origins


def _blog(root):
    """The blog that serves posts shared with the site, in the root's language."""
    from blog.models import BlogIndexPage

    return (
        BlogIndexPage.objects.live()
        .filter(path__startswith=root.path, locale_id=root.locale_id)
        .order_by("depth", "path")
        .first()
    )


# --- excerpts -------------------------------------------------------------------------------------


def page_texts(page):
    """The texts an excerpt may come from, in order: search description, introduction, body.

    The body's text is read from its raw data with the block definitions, so that image,
    document and page choosers are never loaded (no query per result)."""
    texts = [page.search_description or "", getattr(page, "intro", "") or ""]
    body = getattr(page, "body", None)
    if isinstance(body, StreamValue):
        parts = []
        _block_texts(body.stream_block, list(body.raw_data), parts)
        texts.append(" ".join(parts)[:MAX_TEXT_LENGTH])
    return [" ".join(str(text).split()) for text in texts]


def _block_texts(block, value, parts):
    """Append to `parts` the plain text of a raw block value, as the search index sees it."""
    if value is None or not getattr(block, "search_index", True):
        return
    if isinstance(block, blocks.RichTextBlock):
        parts.append(get_text_for_indexing(str(value)))
    elif isinstance(block, (blocks.CharBlock, blocks.TextBlock)):
        parts.append(str(value))
    elif isinstance(block, blocks.StructBlock) and isinstance(value, dict):
        for name, child in block.child_blocks.items():
            _block_texts(child, value.get(name), parts)
    elif isinstance(block, blocks.StreamBlock) and isinstance(value, list):
        for item in value:
            if isinstance(item, dict) and item.get("type") in block.child_blocks:
                _block_texts(block.child_blocks[item["type"]], item.get("value"), parts)
    elif isinstance(block, blocks.ListBlock) and isinstance(value, list):
        for item in value:
            # Newer list data: {"type": "item", "value": ..., "id": ...}; older: the value itself.
            is_item = isinstance(item, dict) and item.get("type") == "item" and "value" in item
            _block_texts(block.child_block, item["value"] if is_item else item, parts)


def _fold(text):
    """`text` without case or accents, and for each of its characters the index of the
    character of `text` it comes from (plus one past the end)."""
    folded, origin = [], []
    for index, char in enumerate(text):
        base = "".join(
            c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c)
        )
        for c in base.casefold():
            folded.append(c)
            origin.append(index)
    origin.append(len(text))
    return "".join(folded), origin


def _pattern(terms):
    """Words starting with one of the terms (case and accents aside). One-letter terms are left
    out unless there is nothing else, or every word starting with that letter would be marked."""
    folded = {_fold(term)[0] for term in terms}
    longer = {term for term in folded if len(term) > 1}
    folded = sorted(longer or folded, key=len, reverse=True)
    if not folded:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(term) for term in folded) + r")\w*")


def match_spans(text, terms):
    """(start, end) of each word of `text` matching one of the terms."""
    pattern = _pattern(terms)
    if pattern is None or not text:
        return []
    folded, origin = _fold(text)
    return [(origin[m.start()], origin[m.end()]) for m in pattern.finditer(folded)]


def highlight(text, terms, spans=None):
    """`text` escaped, with each match wrapped in <mark>: every piece is escaped on its own, so
    a mark can never land inside a tag or an entity."""
    text = str(text or "")
    spans = match_spans(text, terms) if spans is None else spans
    pieces, position = [], 0
    for start, end in spans:
        pieces.append(escape(text[position:start]))
        pieces.append(f"<mark>{escape(text[start:end])}</mark>")
        position = end
    pieces.append(escape(text[position:]))
    return mark_safe("".join(pieces))  # noqa: S308 - every piece of text is escaped above


def excerpt(texts, terms, length=EXCERPT_LENGTH):
    """A short, highlighted excerpt of the first text that matches, around its first match; else
    the beginning of the first text that is not empty."""
    texts = [text for text in texts if text]
    if not texts:
        return mark_safe("")
    for text in texts:
        spans = match_spans(text, terms)
        if spans:
            break
    else:
        text, spans = texts[0], []
    start = 0
    if spans and len(text) > length:
        first = spans[0][0]
        # Up to EXCERPT_LEAD characters before the match, fewer if the text ends soon after it.
        start = max(0, min(first - EXCERPT_LEAD, len(text) - length))
        if start > 0:  # begin on a word
            space = text.find(" ", start, first)
            start = space + 1 if space != -1 else first
    end = start + length
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    window = [(s - start, e - start) for s, e in spans if s >= start and e <= end]
    html = highlight(text[start:end], terms, spans=window)
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(f"{prefix}{html}{suffix}")  # noqa: S308 - highlight() escaped the text
