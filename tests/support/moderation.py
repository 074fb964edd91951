"""The comments' moderation area in the admin, as its tests read it: addresses, listed ids, the
sidebar's menu item."""

import json

from bs4 import BeautifulSoup

LIST = "/admin/comments/"


def detail_url(comment):
    return f"{LIST}{comment.pk}/"


def listed(response):
    """Ids of the comments in the list, in order (their bulk-action checkboxes)."""
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    return [int(box["data-object-id"]) for box in soup.select("input[data-bulk-action-checkbox]")]


def menu_item(response, name="comments"):
    """The sidebar's menu item named `name` (Wagtail renders the menu from JSON), or None."""
    soup = BeautifulSoup(response.content, "html.parser")
    props = json.loads(soup.find(id="wagtail-sidebar-props").string)

    def walk(node):
        if isinstance(node, dict):
            if node.get("name") == name and "label" in node:
                return node
            nodes = node.values()
        elif isinstance(node, list):
            nodes = node
        else:
            return None
        for child in nodes:
            if (found := walk(child)) is not None:
                return found
        return None

    return walk(props)
