"""Documents as Wagtail serves them (collection privacy, nosniff, CSP, Content-Disposition), minus
one bogus header.

Wagtail's sendfile helper sets Content-Encoding to the encoding `mimetypes` guesses from the file
name, which is None for every extension we accept (WAGTAILDOCS_EXTENSIONS): the header went out
as a literal "Content-Encoding: None", which proxies and browsers may take for a compression they
do not know. A real guessed encoding (gzip for a ".gz" name) is kept.
"""

from wagtail.documents.views import serve as wagtail_serve


def serve(request, document_id, document_filename):
    response = wagtail_serve.serve(request, document_id, document_filename)
    if response.get("Content-Encoding") == "None":
        del response["Content-Encoding"]
    return response
