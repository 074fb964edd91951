from django.core.management.base import BaseCommand

from hub import demo


class Command(BaseCommand):
    help = (
        "Create the demo network (six branded sites on port 8000, an admin and one account per "
        "role of Maillage Bretagne). Idempotent."
    )

    def handle(self, *args, **options):
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
