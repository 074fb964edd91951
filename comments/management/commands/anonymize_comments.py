"""The daily job of the comment data lifecycle (cron, next to Wagtail's publish_scheduled)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from comments import conf, lifecycle


class Command(BaseCommand):
    help = (
        "Anonymize the comments of pages unpublished for COMMENTS_ANONYMIZE_AFTER_MONTHS, erase "
        "IP addresses and user agents past COMMENTS_IP_RETENTION_DAYS, delete old spam and "
        "unconfirmed subscriptions, and identification records past "
        "COMMENTS_IDENTIFICATION_RETENTION_DAYS. Prints what it did (or, with --dry-run, would "
        "do) per site."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change; change nothing."
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=None,
            help=f"Comments changed per statement (default {conf.get('LIFECYCLE_BATCH_SIZE')}).",
        )

    def handle(self, *args, dry_run=False, batch_size=None, **options):
        if batch_size is not None and batch_size < 1:
            self.stderr.write("--batch-size must be a positive number.")
            raise SystemExit(2)
        now = timezone.now()
        verb = "would be" if dry_run else "were"
        if not dry_run:
            lifecycle.reconcile_clock(now)
        due = lifecycle.anonymization_due(now)
        per_site = lifecycle.counts_by_site(due)
        if dry_run:
            retention = {
                name: query.count() for name, query in lifecycle.retention_due(now).items()
            }
        else:
            lifecycle.anonymize(due, now=now, batch_size=batch_size)
            report = lifecycle.apply_retention(now=now, batch_size=batch_size)
            retention = {
                "ip": report.ip_addresses_erased,
                "spam": report.spam_deleted + report.spam_tombstoned,
                "subscriptions": report.subscriptions_expired,
                "identification": report.identification_records_deleted,
                "manage_links": report.manage_links_expired,
            }

        months = conf.get("ANONYMIZE_AFTER_MONTHS")
        legal_days = conf.get("IDENTIFICATION_RETENTION_DAYS")
        identification_limit = (
            f"older than {legal_days} days" if legal_days > 0 else "legal retention is off"
        )
        if per_site:
            for site, count in sorted(per_site.items()):
                self.stdout.write(
                    f"{site}: {count} comment{'s' if count != 1 else ''} {verb} anonymized "
                    f"(pages unpublished for {months} months or more)."
                )
        else:
            self.stdout.write(f"No comment to anonymize (pages unpublished for {months} months).")
        self.stdout.write(
            f"Retention: {retention['ip']} comments' IP address and user agent {verb} erased "
            f"(older than {conf.get('IP_RETENTION_DAYS')} days); {retention['spam']} spam or "
            f"rejected comments {verb} deleted (older than {conf.get('SPAM_RETENTION_DAYS')} "
            f"days); {retention['subscriptions']} unconfirmed notification subscriptions {verb} "
            f"deleted (older than {conf.get('UNCONFIRMED_SUBSCRIPTION_DAYS')} days); "
            f"{retention['identification']} identification records {verb} deleted "
            f"({identification_limit}); {retention['manage_links']} expired “manage my comments” "
            f"link records {verb} deleted."
        )
