"""Give every site's privacy policy and legal notice a version in each language its home page is
translated into (sites translated before this was automatic)."""

from django.core.management.base import BaseCommand

from wagtail.models import Site

from sites import network
from sites.factory import translate_default_pages


class Command(BaseCommand):
    help = (
        "Create the missing translations of each site's privacy policy and legal notice, "
        "generated in the language of each translation of its home page."
    )

    def handle(self, *args, **options):
        made = 0
        for site in Site.objects.select_related("root_page").order_by("hostname"):
            home = site.root_page
            others = network.home_pages(site).exclude(pk=home.pk)  # its own translations
            for translated_home in others.select_related("locale"):
                for page in translate_default_pages(site, translated_home.locale):
                    made += 1
                    self.stdout.write(f"{site.hostname}: created {page.url_path} ({page.title})")
        self.stdout.write(f"{made} page{'s' if made != 1 else ''} created.")
