"""The admin forms the scoping and isolation tests send: a page's edit form, site settings, a
redirect, an uploaded PNG."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile

from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from PIL import Image as PILImage

from sites.models import SiteSettings


def page_form(page, **changes):
    data = {
        "title": page.title,
        "slug": page.slug,
        "intro": page.specific.intro,
        "body": streamfield([]),
        "comments": inline_formset([]),
    }
    data.update(changes)
    return nested_form_data(data)


def settings_form(site, **changes):
    current = SiteSettings.for_site(site)
    data = {
        "name": current.name,
        "tagline": current.tagline,
        "primary_colour": current.primary_colour,
        "text_on_primary_colour": current.text_on_primary_colour,
        "accent_colour": current.accent_colour,
        "privacy_page": current.privacy_page_id or "",
        "legal_notice_page": current.legal_notice_page_id or "",
        "comments_enabled": "on",
        "comment_moderation": current.comment_moderation,
    }
    data.update(changes)
    return data


def redirect_form(site, old_path="/nouveau", link="https://example.org/nouveau"):
    return {
        "old_path": old_path,
        "site": site.pk if site else "",
        "is_permanent": "on",
        "redirect_link": link,
    }


def png(name="photo.png"):
    buffer = io.BytesIO()
    PILImage.new("RGB", (8, 8), "#1d4f91").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")
