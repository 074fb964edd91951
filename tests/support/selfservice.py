"""A commenter's self-service links (comments/manage/): asking for one, reading it from the mail,
opening it, sending a page's form as a browser does."""

import re
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

from tests.support.comments import BRETAGNE

MANAGE = "/comments/manage/"
OCCITANIE = "occitanie.localhost"
LINK = re.compile(r"https?://[^\s\"<>]+")


def ask_link(client, email, host=BRETAGNE, lang="en", ip="198.51.100.1"):
    """Open the request page and send its form, as a browser does."""
    form = client.get(MANAGE, {"lang": lang}, HTTP_HOST=host, REMOTE_ADDR=ip)
    return submit(client, form, "manage-form", host=host, ip=ip, email=email)


def mailed_link(message):
    [url] = [url for url in LINK.findall(message.body) if "/comments/manage/" in url]
    return url


def open_link(client, url):
    parts = urlsplit(url)
    return client.get(parts.path, {"lang": "en"}, HTTP_HOST=parts.netloc)


def submit(client, response, form_id, host=BRETAGNE, ip="198.51.100.1", **data):
    """Send the form `form_id` of the page `response`, with its hidden fields and CSRF token."""
    form = BeautifulSoup(response.content, "html.parser").find("form", id=form_id)
    assert form is not None, form_id
    fields = {
        field["name"]: field.get("value", "")
        for field in form.find_all("input")
        if field.get("name") and field.get("type") not in ("checkbox", "radio")
    }
    fields.update(data)
    return client.post(form["action"], fields, HTTP_HOST=host, REMOTE_ADDR=ip)
