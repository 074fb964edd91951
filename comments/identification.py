"""Legal retention of identification data, an option (COMMENTS_IDENTIFICATION_RETENTION_DAYS).

French law asks those who host what others post to keep, for a year, what identifies who posted it
(décret 2021-1362, LCEN art. 6): here the connection's IP address and port and the time of each
comment. When the setting is on, each comment POST writes an IdentificationRecord beside the
comment; moderators never see it (the comment keeps its own address only for
COMMENTS_IP_RETENTION_DAYS, for them); only those who see every site (the moderation scope "every
page": network administrators, superusers) export the records, each export written to the audit
trail (IdentificationExport) and the Python log; the daily job deletes the records past their
period, all of them once the setting is off.
"""

import csv
import datetime
import io
import logging

from django.utils import timezone

from . import conf, moderation
from .models import IdentificationExport, IdentificationRecord
from .throttle import client_ip

logger = logging.getLogger(__name__)

CSV_COLUMNS = ("comment_id", "page_id", "created_at", "ip_address", "port")


def enabled():
    return conf.get("IDENTIFICATION_RETENTION_DAYS") > 0


def may_export(user):
    """Network administrators and superusers: those whose moderation scope is every page."""
    return bool(user.is_authenticated and user.is_active) and (
        moderation.moderation_scope(user) is None
    )


def client_port(request):
    """The visitor's source port when known: the header a trusted proxy sets
    (COMMENTS_CLIENT_PORT_HEADER, e.g. nginx `proxy_set_header X-Client-Port $remote_port`, read as
    HTTP_X_CLIENT_PORT), else REMOTE_PORT when nothing forwarded the request (behind a proxy it
    is the proxy's own port, which identifies nobody); None otherwise."""
    header = conf.get("CLIENT_PORT_HEADER")
    if header:
        value = request.META.get(header, "")
    elif request.META.get("HTTP_X_FORWARDED_FOR"):
        return None
    else:
        value = request.META.get("REMOTE_PORT", "")
    value = str(value).strip()
    if value.isascii() and value.isdigit() and 0 < int(value) < 65536:
        return int(value)
    return None


def record(comment, request):
    """Keep the comment's identification data when the setting is on (one INSERT); else nothing,
    not even a query."""
    if not enabled():
        return None
    return IdentificationRecord.objects.create(
        comment_id=comment.pk,
        page_id=comment.page_id,
        ip_address=client_ip(request),
        port=client_port(request),
        created_at=comment.created_at,
    )


def expired(now):
    """The records past their period; every record when the setting is off (nothing obliges us
    to keep them any more)."""
    days = conf.get("IDENTIFICATION_RETENTION_DAYS")
    if days <= 0:
        return IdentificationRecord.objects.all()
    return IdentificationRecord.objects.filter(created_at__lt=now - datetime.timedelta(days=days))


def delete_expired(now=None):
    deleted, _ = expired(now or timezone.now()).delete()
    return deleted


def records_between(since=None, until=None):
    records = IdentificationRecord.objects.order_by("created_at", "pk")
    if since is not None:
        records = records.filter(created_at__gte=since)
    if until is not None:
        records = records.filter(created_at__lt=until)
    return records


def export_csv(*, username, reason, user=None, since=None, until=None):
    """The records posted in [since, until) as CSV text, the export written to the audit trail
    first (who, why, which period, how many) and to the Python log (no address in it)."""
    rows = list(records_between(since, until).values_list(*CSV_COLUMNS))
    IdentificationExport.objects.create(
        user=user, username=username, reason=reason, since=since, until=until, records=len(rows)
    )
    logger.warning(
        "Identification records exported by %s: %d records (%s to %s).",
        username,
        len(rows),
        since.isoformat() if since else "start",
        until.isoformat() if until else "now",
    )
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for comment_id, page_id, created_at, ip_address, port in rows:
        writer.writerow([comment_id, page_id, created_at.isoformat(), ip_address or "", port or ""])
    return out.getvalue()
