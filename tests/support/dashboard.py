"""The admin's site dashboard read as a table: headers, site names, cells and links."""

from html.parser import HTMLParser


class TableParser(HTMLParser):
    """The rows of the listing table (Wagtail's `<table class="listing">`): for each cell its
    text pieces, for each row its links."""

    def __init__(self):
        super().__init__()
        self.rows, self.links = [], []
        self._cell = None
        self._in_table = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and attrs.get("class") == "listing":
            self._in_table = True
        elif self._in_table and tag == "tr":
            self.rows.append([])
            self.links.append([])
        elif self._in_table and tag in ("td", "th"):
            self._cell = []
        elif self._in_table and tag == "a":
            self.links[-1].append(attrs.get("href"))

    def handle_endtag(self, tag):
        if tag == "table":
            self._in_table = False
        elif tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(self._cell)
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None and data.strip():
            self._cell.append(" ".join(data.split()))


def table(response):
    """{"headers": [...], "names": [site names in order], "rows": {name: {header: text}},
    "links": {name: [hrefs]}} of the dashboard's table."""
    assert response.status_code == 200
    parser = TableParser()
    parser.feed(response.content.decode())
    if not parser.rows:
        return {"headers": [], "names": [], "rows": {}, "links": {}}
    headers = [" ".join(cell) for cell in parser.rows[0]]
    names = [row[0][0] for row in parser.rows[1:]]
    return {
        "headers": headers,
        "names": names,
        "rows": {
            row[0][0]: dict(zip(headers, (" ".join(cell) for cell in row), strict=True))
            for row in parser.rows[1:]
        },
        "links": dict(zip(names, parser.links[1:], strict=True)),
    }
