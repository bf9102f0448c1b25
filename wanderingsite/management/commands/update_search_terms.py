from django.core.management.base import BaseCommand

from wanderingsite.search.lexicon import rebuild_lexicon


class Command(BaseCommand):
    help = (
        "Rebuild the lexicon that search corrects misspelt words from: the words, "
        "titles, tags and names of the pages the public can see. Run it after "
        "update_index or a bulk change that bypassed publishing."
    )

    def handle(self, *args, **options):
        count = rebuild_lexicon()
        self.stdout.write(self.style.SUCCESS(f"{count:,} search terms."))
