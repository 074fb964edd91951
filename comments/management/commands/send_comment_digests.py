"""Cron job (e.g. every 10 minutes): mail each site's moderators the pending comments that
arrived while their digest window was closed."""

from django.core.management.base import BaseCommand

from comments import digest


class Command(BaseCommand):
    help = "Send the due digests of comments awaiting moderation to each site's moderators."

    def handle(self, *args, **options):
        sent = digest.send_due_digests()
        self.stdout.write(f"Digests sent: {sent}.")
