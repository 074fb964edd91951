"""Print the personal-data inventory with the current settings: the README's "Privacy" table
(--format markdown) or a site's default privacy policy (--format html), to paste after a change."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from comments import inventory


class Command(BaseCommand):
    help = (
        "Print what personal data the comments keep, why and how long, from the current settings: "
        "a Markdown table for the README, or the HTML of a site's default privacy policy."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--format", dest="output_format", choices=["markdown", "html"], default="markdown"
        )
        parser.add_argument(
            "--language",
            default=None,
            help="Language of the text (default: en for markdown, the site language for html).",
        )
        parser.add_argument(
            "--site-name", default="[site name]", help="The publisher named by the html policy."
        )

    def handle(self, *args, output_format="markdown", language=None, site_name="", **options):
        languages = dict(settings.LANGUAGES)
        if language is not None and language not in languages:
            raise CommandError(
                f"Unknown language {language!r}: choose one of {', '.join(languages)}."
            )
        if output_format == "markdown":
            self.stdout.write(inventory.markdown_table(language or "en"), ending="")
        else:
            language = language or settings.LANGUAGE_CODE
            self.stdout.write(inventory.privacy_policy_html(language, site_name))
