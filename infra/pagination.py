"""One way to cut a public listing into pages (a blog, the network news, a search's results).

Odd page numbers never make a 500: a value that is not a whole number gives the first page; a
number past the end gives a 404, or the last page where the listing changes under the reader (a
search's results, which the index changes). Each page carries `page_links`: the numbers to link
to around the current one, None for an ellipsis.
"""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404
from django.utils.translation import gettext_lazy as _


def paginate(items, number, per_page, *, past_the_end_is_last=False):
    """The page numbered `number` (a ?page= value, as given) of `items`."""
    paginator = Paginator(items, per_page)
    try:
        page = paginator.page(number)
    except PageNotAnInteger:
        page = paginator.page(1)
    except EmptyPage:
        if not past_the_end_is_last:
            raise Http404(_("There is no such page.")) from None
        page = paginator.page(paginator.num_pages)
    page.page_links = [
        number if isinstance(number, int) else None
        for number in paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    ]
    return page


def page_number(value):
    """The number of the page asked for, as paginate() reads it (1 for anything but a whole
    number), without counting the items: for titles. Read with int() as the paginator does, so
    that "²" (a digit to str.isdigit(), not to int()) or 5,000 nines never make a 500."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return 1
