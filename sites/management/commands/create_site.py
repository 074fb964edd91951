from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from sites import lifecycle
from sites.factory import SiteRequest, create_site
from sites.models import SiteKind


class Command(BaseCommand):
    help = (
        "Create a complete site of the network: home page, Site, settings, default pages, "
        "media collection and its editors, moderators and administrators groups."
    )

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True)
        parser.add_argument("--hostname", required=True)
        parser.add_argument("--port", default=80)
        parser.add_argument("--kind", required=True, help=" | ".join(SiteKind.values))
        parser.add_argument("--region", default="")
        parser.add_argument("--theme", default="")
        parser.add_argument("--locale", default="", help="language of the site (default: fr)")
        parser.add_argument("--default", action="store_true", help="make it the default site")
        parser.add_argument(
            "--launch",
            action="store_true",
            help="open it to the public at once (otherwise it is a draft, shown to its team only)",
        )

    def handle(self, *args, **options):
        request = SiteRequest(
            name=options["name"],
            hostname=options["hostname"],
            port=options["port"],
            kind=options["kind"],
            region=options["region"],
            theme=options["theme"],
            locale=options["locale"],
            is_default=options["default"],
        )
        try:
            site = create_site(request)
        except ValidationError as error:
            problems = "; ".join(
                f"--{field}: {message}"
                for field, messages in error.message_dict.items()
                for message in messages
            )
            raise CommandError(
                _("No site created. %(problems)s") % {"problems": problems}
            ) from None
        if options["launch"]:
            lifecycle.launch(site)
        profile = site.profile
        self.stdout.write(
            self.style.SUCCESS(
                _("Created %(name)s at %(url)s")
                % {"name": site.site_name, "url": f"http://{site.hostname}:{site.port}/"}
            )
        )
        for group in profile.groups:
            self.stdout.write(_("  group: %(name)s") % {"name": group.name})
        self.stdout.write(_("  collection: %(name)s") % {"name": profile.collection.name})
        if not options["launch"]:
            self.stdout.write(
                _(
                    "The site is a draft: only its team and the network administrators see it. "
                    "Launch it from its checklist (%(url)s) or with --launch."
                )
                % {"url": f"/admin/network/sites/{site.pk}/checklist/"}
            )
