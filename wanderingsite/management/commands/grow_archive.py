from django.core.management.base import BaseCommand, CommandError

from wanderingsite.services.synthetic import (
    BatchTiming,
    NotABenchmarkDatabase,
    grow_archive,
)


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = (
        "For benchmarks only: add N synthetic films, essays and events (with "
        "people, tags and citations, every slug beginning 'synthetic-', every "
        "page tagged 'synthetic') to a benchmark database, in bulk batches. "
        "Refuses unless the database's name begins with 'bench' or 'wa_bench' "
        "and the settings are a single machine's (local, dev or test)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--pages",
            type=_positive,
            required=True,
            help="How many pages to add: half essays, 3 in 10 events, 2 in 10 films.",
        )
        parser.add_argument(
            "--batch-size",
            type=_positive,
            default=500,
            help="Pages written per transaction (default 500).",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=None,
            help="Seed for the made-up text, for a repeatable archive.",
        )

    def handle(self, *args, pages: int, batch_size: int, seed: int | None, **options):
        def progress(done: int, timing: BatchTiming) -> None:
            self.stdout.write(
                f"{done:>8,} pages  (+{timing.pages} in {timing.seconds:.1f} s, "
                f"{timing.seconds_per_thousand:.1f} s per 1,000 pages, "
                f"{timing.queries} queries)"
            )
            self.stdout.flush()

        try:
            result = grow_archive(
                pages=pages, batch_size=batch_size, seed=seed, progress=progress
            )
        except NotABenchmarkDatabase as error:
            raise CommandError(f"{error} Nothing was written.") from error
        self.stdout.write(self.style.SUCCESS(result.summary_line()))
