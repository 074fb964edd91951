"""Export the identification records (comments.identification) as CSV, for a legal request; the
export is written to the audit trail with the reason, like the admin's."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from comments import identification


def day(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date such as 2026-03-01.") from None


class Command(BaseCommand):
    help = (
        "Print the identification records kept under COMMENTS_IDENTIFICATION_RETENTION_DAYS as "
        "CSV (comment, page, time, IP address, port), posted between --since and --until "
        "(included); the export is logged with --reason."
    )

    def add_arguments(self, parser):
        parser.add_argument("--reason", required=True, help="The legal request answered.")
        parser.add_argument("--since", type=day, default=None, help="First day (YYYY-MM-DD).")
        parser.add_argument("--until", type=day, default=None, help="Last day (YYYY-MM-DD).")

    def handle(self, *args, reason, since=None, until=None, **options):
        reason = reason.strip()
        if not reason:
            raise CommandError("Say which legal request this export answers (--reason).")
        if since and until and since > until:
            raise CommandError("--since is after --until.")

        def start_of(value):
            return timezone.make_aware(datetime.datetime.combine(value, datetime.time()))

        text = identification.export_csv(
            username="command",
            reason=reason[:300],
            since=start_of(since) if since else None,
            until=start_of(until + datetime.timedelta(days=1)) if until else None,
        )
        self.stdout.write(text, ending="")
