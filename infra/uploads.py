"""Uploaded documents must be what their extension says (WAGTAILDOCS_DOCUMENT_FORM_BASE).

Wagtail checks a document's extension (WAGTAILDOCS_EXTENSIONS) and size
(WAGTAILDOCS_MAX_UPLOAD_SIZE), not its content: an HTML page or a program renamed report.pdf would
be published under the network's name. Each known extension is checked against the file's first
bytes, and for Office and OpenDocument files against the names inside the zip, which is cheap
(nothing is decompressed but the few bytes of an OpenDocument "mimetype"). Images need none of
this: Wagtail opens them with Willow and refuses a format that does not match the extension.
"""

import zipfile
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from wagtail.documents.forms import BaseDocumentForm

HEAD_BYTES = 8192

OPEN_DOCUMENT = {
    "odt": b"application/vnd.oasis.opendocument.text",
    "ods": b"application/vnd.oasis.opendocument.spreadsheet",
    "odp": b"application/vnd.oasis.opendocument.presentation",
}
OFFICE_FOLDER = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}


def _is_open_document(file, extension):
    try:
        with zipfile.ZipFile(file) as archive:
            info = archive.getinfo("mimetype")
            return info.file_size < 100 and archive.read(info).strip() == OPEN_DOCUMENT[extension]
    except (KeyError, zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return False


def _is_office_document(file, extension):
    try:
        with zipfile.ZipFile(file) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return False
    folder = OFFICE_FOLDER[extension]
    return "[Content_Types].xml" in names and any(name.startswith(folder) for name in names)


def _is_text(head):
    """Plain text (.txt, .csv) in any usual encoding: no NUL byte, which binary files all have."""
    return b"\x00" not in head


def content_matches(file, extension):
    """Whether the uploaded `file` is a real .`extension` file; True for extensions not listed
    here (WAGTAILDOCS_EXTENSIONS decides which are allowed)."""
    file.seek(0)
    head = file.read(HEAD_BYTES)
    file.seek(0)
    try:
        if extension == "pdf":
            return head.startswith(b"%PDF-")
        if extension == "rtf":
            return head.startswith(b"{\\rtf")
        if extension in ("txt", "csv"):
            return _is_text(head)
        if extension in OPEN_DOCUMENT:
            return head.startswith(b"PK\x03\x04") and _is_open_document(file, extension)
        if extension in OFFICE_FOLDER:
            return head.startswith(b"PK\x03\x04") and _is_office_document(file, extension)
        if extension == "zip":
            return head.startswith((b"PK\x03\x04", b"PK\x05\x06"))
        return True
    finally:
        file.seek(0)


class DocumentForm(BaseDocumentForm):
    """Wagtail's document form (add, edit, multiple upload, chooser), refusing a file whose
    content is not what its extension says."""

    def clean_file(self):
        file = self.cleaned_data.get("file")
        if isinstance(file, UploadedFile):
            extension = PurePath(file.name).suffix.lower().lstrip(".")
            if not content_matches(file, extension):
                raise ValidationError(
                    _("This file is not a real .%(extension)s file: its content does not match."),
                    code="content_mismatch",
                    params={"extension": extension},
                )
        return file
