"""Document downloads through Wagtail's view (infra/documents.py): no "Content-Encoding: None",
which a proxy or a browser may take for an unknown compression; everything else Wagtail sends
stays."""

from django.core.files.base import ContentFile
from django.test import Client

from wagtail.documents.models import Document

import pytest

BRETAGNE = "bretagne.localhost"
OCCITANIE = "occitanie.localhost"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def stored(name, content):
    return Document.objects.create(title=name, file=ContentFile(content, name=name))


def download(document, host=BRETAGNE, path=None):
    return Client().get(path or f"/documents/{document.pk}/{document.filename}", HTTP_HOST=host)


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [("adherents.csv", b"nom;ville\n", "text/csv"), ("rapport.pdf", PDF, "application/pdf")],
)
@pytest.mark.parametrize("host", [BRETAGNE, OCCITANIE])
def test_a_download_carries_no_content_encoding(network, host, name, content, content_type):
    response = download(stored(name, content), host)

    assert response.status_code == 200
    assert "Content-Encoding" not in response
    assert "None" not in {value for _, value in response.items()}
    # What Wagtail sends is all still there.
    assert response["Content-Type"].startswith(content_type)
    assert response["Content-Disposition"].startswith(("attachment", "inline"))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert response["ETag"]
    assert b"".join(response.streaming_content) == content


def test_a_document_unchanged_since_the_last_download_is_not_sent_again(network):
    document = stored("rapport.pdf", PDF)
    etag = download(document)["ETag"]

    again = Client().get(
        f"/documents/{document.pk}/{document.filename}", HTTP_HOST=BRETAGNE, HTTP_IF_NONE_MATCH=etag
    )

    assert again.status_code == 304
    assert "Content-Encoding" not in again


def test_unknown_documents_and_wrong_names_are_still_refused(network):
    document = stored("rapport.pdf", PDF)

    assert download(document, path="/documents/999999/rapport.pdf").status_code == 404
    wrong_name = download(document, path=f"/documents/{document.pk}/autre.pdf")
    assert wrong_name.status_code in (302, 404)
