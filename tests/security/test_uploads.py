"""Uploaded images and documents are checked for type and size, and documents are served so that
no browser runs them (Wagtail's fields and serve view, infra/uploads.py, hub/settings/base.py)."""

import io
import zipfile

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from wagtail.documents.models import Document
from wagtail.images.models import Image

import pytest
from PIL import Image as PILImage

from tests.support.comments import make_user

HOST = "bretagne.localhost"
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def zipped(*entries):
    """A zip of (name, bytes) entries, stored uncompressed like an OpenDocument's mimetype."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries:
            archive.writestr(name, content)
    return buffer.getvalue()


DOCX = zipped(("[Content_Types].xml", b"<Types/>"), ("word/document.xml", b"<w:document/>"))
XLSX = zipped(("[Content_Types].xml", b"<Types/>"), ("xl/workbook.xml", b"<workbook/>"))
ODT = zipped(
    ("mimetype", b"application/vnd.oasis.opendocument.text"), ("content.xml", b"<office/>")
)
ODS = zipped(
    ("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"), ("content.xml", b"<o/>")
)


def png(size=(40, 30)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, "#0b6e4f").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def admin_client(network):
    client = Client()
    client.force_login(make_user("root", is_superuser=True))
    return client


def upload_document(client, name, content):
    return client.post(
        "/admin/documents/add/",
        {"title": name, "file": SimpleUploadedFile(name, content), "collection": 1},
        HTTP_HOST=HOST,
    )


def upload_documents(client, name, content):
    """Wagtail's multiple uploader (drag and drop): answers JSON."""
    return client.post(
        "/admin/documents/multiple/add/",
        {"files[]": SimpleUploadedFile(name, content), "collection": 1},
        HTTP_HOST=HOST,
    ).json()


def file_errors(response):
    assert response.status_code == 200, "the form should be shown again"
    return " ".join(response.context["form"].errors.get("file", []))


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("rapport.pdf", PDF),
        ("compte-rendu.docx", DOCX),
        ("budget.xlsx", XLSX),
        ("statuts.odt", ODT),
        ("tableau.ods", ODS),
        ("adherents.csv", "nom;ville\nMaël;Brest\n".encode()),
        ("lisez-moi.txt", "Bonjour à tous.\n".encode("latin-1")),
        ("lettre.rtf", b"{\\rtf1\\ansi Bonjour.}"),
    ],
)
def test_real_documents_are_accepted(admin_client, name, content):
    response = upload_document(admin_client, name, content)

    assert response.status_code == 302, response.context and response.context["form"].errors
    assert Document.objects.get(title=name).file.read() == content


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("rapport.pdf", HTML),  # a web page passed off as a PDF
        ("rapport.pdf", b"MZ\x90\x00\x03" + bytes(200)),  # a Windows program
        ("statuts.docx", zipped(("evil.html", HTML))),  # a zip, but no Office document
        ("statuts.odt", DOCX),  # an Office document passed off as an OpenDocument
        ("statuts.docx", ODT),
        ("budget.xlsx", DOCX),  # a text document passed off as a spreadsheet
        ("statuts.odt", zipped(("mimetype", b"text/html"), ("index.html", HTML))),
        ("liste.csv", png()),
        ("lisez-moi.txt", b"\x7fELF\x02\x01\x01\x00" + bytes(64)),
        ("lettre.rtf", HTML),
    ],
)
def test_documents_whose_content_is_not_their_extension_are_refused(admin_client, name, content):
    response = upload_document(admin_client, name, content)
    extension = name.rsplit(".", 1)[1]

    # In the admin's language, French by default.
    assert f"Ce fichier n'est pas un vrai fichier .{extension}" in file_errors(response)
    assert not Document.objects.exists()


def test_the_multiple_uploader_refuses_them_too(admin_client):
    refused = upload_documents(admin_client, "rapport.pdf", HTML)
    accepted = upload_documents(admin_client, "rapport.pdf", PDF)

    assert refused["success"] is False
    assert "This file is not a real .pdf file" in refused["error_message"]
    assert accepted["success"] is True
    assert Document.objects.count() == 1


@pytest.mark.parametrize("name", ["page.html", "dessin.svg", "script.js", "programme.exe"])
def test_extensions_outside_the_list_are_refused(admin_client, name):
    response = upload_document(admin_client, name, HTML)

    assert "File extension" in file_errors(response)
    assert not Document.objects.exists()


def test_documents_over_the_size_limit_are_refused(admin_client, settings):
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 1000
    response = upload_document(admin_client, "gros.pdf", PDF + bytes(1000))

    assert "This file is too big" in file_errors(response)
    assert upload_document(admin_client, "petit.pdf", PDF).status_code == 302


def upload_image(client, name, content):
    return client.post(
        "/admin/images/add/",
        {"title": name, "file": SimpleUploadedFile(name, content), "collection": 1},
        HTTP_HOST=HOST,
    )


def test_a_real_image_is_accepted(admin_client):
    assert upload_image(admin_client, "photo.png", png()).status_code == 302
    assert Image.objects.get().width == 40


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        ("photo.png", HTML, "Not a valid .png image"),
        ("photo.jpg", png(), "The extension does not match the file format"),
        (
            "logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "Not a supported image format",
        ),
    ],
)
def test_images_that_are_not_what_they_say_or_svg_are_refused(admin_client, name, content, error):
    response = upload_image(admin_client, name, content)

    assert response.status_code == 200
    assert error in " ".join(response.context["form"].errors["file"])
    assert not Image.objects.exists()


def test_images_over_the_size_or_pixel_limits_are_refused(admin_client, settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 500
    too_heavy = upload_image(admin_client, "lourde.png", png((400, 400)) + bytes(500))
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
    settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS = 1000
    too_large = upload_image(admin_client, "large.png", png((100, 100)))

    assert "This file is too big" in " ".join(too_heavy.context["form"].errors["file"])
    assert "too many pixels" in " ".join(too_large.context["form"].errors["file"])
    assert not Image.objects.exists()


def stored(name, content):
    return Document.objects.create(title=name, file=ContentFile(content, name=name))


def download(document):
    response = Client().get(f"/documents/{document.pk}/{document.filename}", HTTP_HOST=HOST)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("adherents.csv", b"nom;ville\n", "text/csv"),
        ("lisez-moi.txt", b"<script>alert(1)</script>", "text/plain"),
        ("compte-rendu.docx", DOCX, "application/vnd.openxmlformats"),
        ("statuts.odt", ODT, "application/vnd.oasis.opendocument.text"),
    ],
)
def test_documents_are_downloaded_never_rendered(network, name, content, content_type):
    response = download(stored(name, content))

    assert response["Content-Type"].startswith(content_type)
    assert response["Content-Disposition"].startswith(f'attachment; filename="{name}"')
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert b"".join(response.streaming_content) == content


def test_pdfs_open_in_the_browser_but_can_run_nothing(network):
    response = download(stored("rapport.pdf", PDF))

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert "camera=()" in response["Permissions-Policy"]


def test_an_uploaded_document_is_served_as_an_attachment(admin_client):
    assert upload_document(admin_client, "adherents.csv", b"nom;ville\n").status_code == 302

    response = download(Document.objects.get())

    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
