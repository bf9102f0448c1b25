from django.core.management.base import BaseCommand

from wanderingsite.services.mentions import rebuild_mentions


class Command(BaseCommand):
    help = (
        "Find again which visible pages name each person or institution in their "
        "text (the people pages list them). Publishing a page updates its own; run "
        "this after renaming a person or adding an alias, or after a bulk change "
        "that bypassed publishing."
    )

    def handle(self, *args, **options):
        count = rebuild_mentions()
        self.stdout.write(self.style.SUCCESS(f"{count:,} mentions of people."))
