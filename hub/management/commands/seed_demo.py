from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from hub.demo import network as demo


class Command(BaseCommand):
    help = (
        "Create the demo network (six branded sites on port 8000, an admin and one account per "
        "role of Maillage Bretagne). Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--i-know-this-is-not-production",
            action="store_true",
            dest="not_production",
            help="Seed even though DEBUG is off (a staging copy, a benchmark, the tests).",
        )

    def handle(self, *args, **options):
        # The demo's accounts have published passwords (one a superuser): never on a real network.
        if not settings.DEBUG and not options["not_production"]:
            raise CommandError(
                "seed_demo refused: DEBUG is off, so this may be a production database, and the "
                "demo would add a superuser and accounts whose passwords are published. Run it "
                "with the development settings (DEBUG=1), or add --i-know-this-is-not-production."
            )
        changes = demo.seed_demo()
        if changes:
            for verb, what in changes:
                self.stdout.write(f"{verb.capitalize()} {what}")
            self.stdout.write(self.style.SUCCESS(f"Demo network ready ({len(changes)} changes)."))
        else:
            self.stdout.write("Nothing to do: the demo network is already in place.")
        self.stdout.write("\nSites:")
        for name, url in demo.demo_urls():
            self.stdout.write(f"  {name}: {url}")
        self.stdout.write(
            f"\nAdmin: http://localhost:{demo.DEMO_PORT}/admin/ "
            f"login {demo.ADMIN_USERNAME} / password {demo.ADMIN_PASSWORD}"
        )
        self.stdout.write("\nDemo accounts (demo only, change them anywhere else):")
        for username, password, description in demo.demo_accounts():
            self.stdout.write(f"  login {username} / password {password}: {description}")
