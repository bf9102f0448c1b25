"""Load the curated archive into the database: validate everything, then write.

``load_archive`` reads the fixtures (``archive_fixtures.read_archive``, which
writes nothing and fails on any bad record), then writes in one transaction.
It never touches an editor's work: the loader owns a page or a person only
while their latest revision is the one it recorded in ``LoadedRecord``; any
other is kept and reported. Nothing is ever deleted, and a second run with the
same fixtures changes no row.
"""

import hashlib
import json
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from wagtail.models import Page, Site
from wagtail.search import index

from essays.models import BoxOfficeFigure, EssayAuthor, EssayPage
from films.models import EventActor, FilmCredit, FilmPage, PolicyEventPage
from wanderingsite.documents import paragraphs_html
from wanderingsite.models import ArchiveTag, HomePage, LoadedRecord, Person
from wanderingsite.page_types import archive_types
from wanderingsite.quotes import find_anchor
from wanderingsite.search.lexicon import rebuild_lexicon
from wanderingsite.services.mentions import rebuild_mentions

from .archive_fixtures import (
    DEFAULT_FIXTURES_DIR,
    INDEX_TYPES,
    Archive,
    ArchiveFixtureError,
    EssayRecord,
    EventRecord,
    FilmRecord,
    HomeRecord,
    IndexRecord,
    read_archive,
)

# Bump when the mapping from records to pages changes, so the next load
# rewrites the pages it owns.
FORMAT_VERSION = 1
# Set only once every page exists: they point at other pages, people or tags.
RELATION_FIELDS = frozenset(
    {
        "featured_film",
        "authors",
        "credits",
        "actors",
        "citations",
        "box_office_figures",
        "films",
        "events",
        "tags",
    }
)
# ``progress(phase, done, total)`` is told each step of a load, for a terminal.
Progress = Callable[[str, int, int], None]
# What the loader writes of a person, in the order of its fingerprint.
PERSON_FIELDS = ("name", "slug", "kind", "original_name", "aliases", "description")
CHILD_MODELS = {
    "credits": FilmCredit,
    "authors": EssayAuthor,
    "actors": EventActor,
    "box_office_figures": BoxOfficeFigure,
}


@dataclass
class LoadResult:
    counts: Counter = field(default_factory=Counter)
    kinds: Counter = field(default_factory=Counter)
    kept: list[str] = field(default_factory=list)
    checked: Archive | None = None

    def note(self, action: str, kind: str) -> None:
        self.counts[action] += 1
        self.kinds[kind] += 1

    def summary_line(self) -> str:
        if self.checked is not None:
            archive = self.checked
            return (
                f"Archive fixtures are valid: {len(archive.essays)} essays, "
                f"{len(archive.films)} films, {len(archive.events)} events, "
                f"{len(archive.people)} people and institutions, "
                f"{len(archive.tags)} tags, {archive.citation_count} citations. "
                "Nothing was written (--check)."
            )
        counts = self.counts
        return (
            f"Archive loaded: {counts['created']} created, {counts['updated']} "
            f"updated, {counts['kept']} kept, {counts['unchanged']} unchanged "
            f"({self.kinds['page']} pages, {self.kinds['person']} people and "
            f"institutions, {self.kinds['tag']} tags)."
        )


def _fingerprint(data) -> str:
    payload = json.dumps(
        {"format": FORMAT_VERSION, "data": data},
        sort_keys=True,
        ensure_ascii=False,
        default=str,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _block_id(key: str, anchor: str) -> str:
    return str(
        uuid.uuid5(uuid.NAMESPACE_URL, f"wandering-earth-archive/{key}#{anchor}")
    )


def _where(page: Page) -> str:
    return page.get_url() or page.url_path


@dataclass
class _PagePlan:
    key: str
    label: str
    model: type
    parent_key: str | None
    slug: str
    record: object
    action: str = ""
    page: Page | None = None


def _no_progress(phase: str, done: int, total: int) -> None:
    pass


class _Writer:
    def __init__(self, archive: Archive, progress: Progress = _no_progress):
        self.archive = archive
        self.progress = progress
        self.result = LoadResult()
        self.records = {r.key: r for r in LoadedRecord.objects.all()}
        self.tags: dict[str, ArchiveTag] = {}
        self.people: dict[str, Person] = {}
        self.pages: dict[str, Page] = {}
        self.touched: list[Page] = []

    def keep(self, kind: str, label: str, reason: str) -> None:
        self.result.note("kept", kind)
        self.result.kept.append(f"Kept {label}: {reason}.")

    # -- people and tags --

    def sync_snippet(self, kind, key, label, instance, model, values):
        """Create or update one tag unless an editor changed it."""
        fingerprint = _fingerprint(values)
        record = self.records.get(key)
        if instance is None:
            if record is not None:
                reason = (
                    "no longer found (renamed or deleted in the admin); not recreated"
                )
                self.keep(kind, label, reason)
                return None
            instance = model.objects.create(**values)
            LoadedRecord.objects.create(key=key, fingerprint=fingerprint)
            self.result.note("created", kind)
            self.touched.append(instance)
            return instance
        if record is None:
            self.keep(
                kind, label, "it already existed and was not created by the loader"
            )
            return instance
        # A tag has no revisions: compare what it holds now with what the
        # loader last wrote to see whether an editor changed it since.
        current = _fingerprint({name: getattr(instance, name) for name in values})
        if current != record.fingerprint:
            self.keep(kind, label, "changed in the admin since the last load")
        elif fingerprint == record.fingerprint:
            self.result.note("unchanged", kind)
        else:
            for name, value in values.items():
                setattr(instance, name, value)
            instance.save()
            record.fingerprint = fingerprint
            record.save(update_fields=["fingerprint"])
            self.result.note("updated", kind)
            self.touched.append(instance)
        return instance

    def write_tags(self):
        total = len(self.archive.tags)
        self.progress("tags", 0, total)
        for done, tag in enumerate(self.archive.tags, start=1):
            existing = (
                ArchiveTag.objects.filter(slug=tag.slug).first()
                or ArchiveTag.objects.filter(name__iexact=tag.name).first()
            )
            values = {
                "name": tag.name,
                "slug": tag.slug,
                "description": tag.description,
            }
            instance = self.sync_snippet(
                "tag",
                f"tag:{tag.slug}",
                f'tag "{tag.slug}"',
                existing,
                ArchiveTag,
                values,
            )
            if instance is not None:
                self.tags[tag.slug] = instance
            self.progress("tags", done, total)

    def write_people(self):
        total = len(self.archive.people)
        self.progress("people and institutions", 0, total)
        for done, person in enumerate(self.archive.people, start=1):
            values = {
                "name": person.name,
                "slug": person.slug,
                "kind": person.kind,
                "original_name": person.original_name,
                "aliases": "\n".join(person.aliases),
                "description": person.description,
            }
            instance = self.sync_person(f"person:{person.slug}", values)
            if instance is not None:
                self.people[person.slug] = instance
            self.progress("people and institutions", done, total)

    def sync_person(self, key: str, values: dict) -> Person | None:
        """Create or update one person through a published revision, unless the
        person is no longer the loader's: as for pages, the loader owns a person
        only while their latest revision is the one it recorded."""
        label = f'person "{values["slug"]}"'
        fingerprint = _fingerprint(values)
        record = self.records.get(key)
        instance = Person.objects.filter(slug=values["slug"]).first()
        if instance is None:
            if record is not None:
                reason = "no longer found (renamed or deleted in the admin)"
                self.keep("person", label, f"{reason}; not recreated")
                return None
            instance = Person.objects.create(**values)
            revision = self.publish_person(instance)
            LoadedRecord.objects.create(
                key=key, revision=revision, fingerprint=fingerprint
            )
            self.result.note("created", "person")
            return instance
        if record is None:
            reason = "it already existed and was not created by the loader"
            self.keep("person", label, reason)
            return instance
        if reason := self.person_editor_reason(instance, record):
            self.keep("person", label, reason)
            return instance
        if record.revision_id is None:
            # Loaded before people had revisions, and unchanged since: the
            # person's first revision (migration 0012) is the loader's.
            record.revision_id = instance.latest_revision_id
            record.save(update_fields=["revision"])
        if fingerprint == record.fingerprint:
            self.result.note("unchanged", "person")
            return instance
        for name, value in values.items():
            setattr(instance, name, value)
        record.revision = self.publish_person(instance, log_action=True)
        record.fingerprint = fingerprint
        record.save(update_fields=["revision", "fingerprint"])
        self.result.note("updated", "person")
        return instance

    def publish_person(self, person: Person, *, log_action: bool = False):
        revision = person.save_revision(log_action=log_action)
        revision.publish()
        person.refresh_from_db()
        self.touched.append(person)
        return revision

    @staticmethod
    def person_editor_reason(person: Person, record: LoadedRecord) -> str | None:
        """Why ``person`` is no longer the loader's, or None if they still are."""
        if record.revision_id is None:
            # Loaded before people had revisions: the loader's while the person
            # still holds what it wrote then.
            held = {name: getattr(person, name) for name in PERSON_FIELDS}
            if _fingerprint(held) != record.fingerprint:
                return "changed in the admin since the last load"
        elif person.latest_revision_id != record.revision_id:
            latest = person.latest_revision
            return _editors_revision(latest, person.live_revision_id)
        if not person.live:
            return "it was unpublished in the admin"
        if person.locked:
            return "it is locked in the admin"
        return None

    # -- pages --

    def plans(self) -> list[_PagePlan]:
        archive = self.archive
        plans = [_PagePlan("home", "home page", HomePage, None, "home", archive.home)]
        index_keys = {}
        for record in archive.indexes:
            key = f"index:{record.type}"
            index_keys[record.type] = key
            plans.append(
                _PagePlan(
                    key,
                    f'index "{record.slug}"',
                    INDEX_TYPES[record.type],
                    "home",
                    record.slug,
                    record,
                )
            )
        for kind, model, parent, records in (
            ("essay", EssayPage, "essays", archive.essays),
            ("film", FilmPage, "films", archive.films),
            ("event", PolicyEventPage, "timeline", archive.events),
        ):
            for record in records:
                plans.append(
                    _PagePlan(
                        f"{kind}:{record.slug}",
                        f'{kind} "{record.slug}"',
                        model,
                        index_keys[parent],
                        record.slug,
                        record,
                    )
                )
        return plans

    def editor_reason(self, page: Page, record: LoadedRecord) -> str | None:
        """Why ``page`` is no longer the loader's, or None if it still is."""
        latest = page.revisions.order_by("-pk").first()
        if (
            latest is None
            or record.revision_id is None
            or latest.pk != record.revision_id
        ):
            if latest is None:
                return "it has no revisions"
            return _editors_revision(latest, page.live_revision_id)
        if not page.live:
            return "it was unpublished in the admin"
        if page.locked:
            return "it is locked in the admin"
        return None

    def claim(self, plan: _PagePlan) -> None:
        record = self.records.get(plan.key)
        if record is not None:
            if record.page_id is None:
                plan.action = "kept"
                self.keep("page", plan.label, "deleted in the admin; not recreated")
                return
            page = record.page.specific
            self.pages[plan.key] = page
            reason = self.editor_reason(page, record)
            if reason:
                plan.action = "kept"
                self.keep("page", f"{plan.label} ({_where(page)})", reason)
            else:
                plan.action, plan.page = "own", page
            return
        if plan.key == "home":
            site = Site.objects.filter(is_default_site=True).first()
            page = site.root_page.specific if site else None
            if not isinstance(page, HomePage):
                plan.action = "kept"
                self.keep("page", plan.label, "the default site has no home page")
                return
            self.pages[plan.key] = page
            if page.revisions.exists():
                plan.action = "kept"
                self.keep("page", plan.label, "it has revisions not made by the loader")
            else:
                plan.action, plan.page = "own", page
            return
        parent = self.pages.get(plan.parent_key)
        if parent is None:
            plan.action = "kept"
            self.keep("page", plan.label, f"its parent ({plan.parent_key}) is missing")
            return
        existing = parent.get_children().filter(slug=plan.slug).first()
        if existing is not None:
            existing = existing.specific
            if isinstance(existing, plan.model):
                self.pages[plan.key] = existing
            plan.action = "kept"
            self.keep(
                "page",
                f"{plan.label} ({_where(existing)})",
                "a page already exists at this slug and was not created by the loader",
            )
            return
        page = plan.model(slug=plan.slug, live=False)
        self.apply(page, self.spec(plan, scalar_only=True))
        parent.add_child(instance=page)
        plan.action, plan.page = "create", page
        self.pages[plan.key] = page

    def run(self) -> LoadResult:
        self.write_tags()
        self.write_people()
        plans = self.plans()
        for plan in plans:
            if plan.record is not None:
                self.claim(plan)
        order = {EssayPage: 0, FilmPage: 1, PolicyEventPage: 1}
        self.progress("pages", 0, len(plans))
        for done, plan in enumerate(
            sorted(plans, key=lambda p: order.get(p.model, 2)), start=1
        ):
            if plan.action in ("own", "create"):
                self.fill(plan)
            self.progress("pages", done, len(plans))
        # Related rows (tags, authors) land after a page's own row is saved;
        # index the pages as they now are in the database.
        page_ids = [i.pk for i in self.touched if isinstance(i, Page)]
        people = [i for i in self.touched if isinstance(i, Person)]
        total = len(page_ids) + len(people)
        self.progress("search index", 0, total)
        pages = Page.objects.filter(pk__in=page_ids).specific()
        for done, instance in enumerate([*pages, *people], start=1):
            index.insert_or_update_object(instance)
            self.progress("search index", done, total)
        self.progress("search terms", 0, 1)
        rebuild_lexicon()
        self.progress("search terms", 1, 1)
        self.progress("mentions of people", 0, 1)
        rebuild_mentions()
        self.progress("mentions of people", 1, 1)
        return self.result

    def fill(self, plan: _PagePlan) -> None:
        page = plan.page
        spec = self.spec(plan)
        fingerprint = _fingerprint(spec)
        record = self.records.get(plan.key)
        if plan.action == "own" and record and record.fingerprint == fingerprint:
            self.result.note("unchanged", "page")
            return
        self.apply(page, spec)
        revision = page.save_revision(log_action=plan.action == "own")
        revision.publish()
        LoadedRecord.objects.update_or_create(
            key=plan.key,
            defaults={"page": page, "revision": revision, "fingerprint": fingerprint},
        )
        page.refresh_from_db()
        self.pages[plan.key] = page
        self.touched.append(page)
        self.result.note("created" if plan.action == "create" else "updated", "page")

    # -- what each page holds --

    def spec(self, plan: _PagePlan, *, scalar_only: bool = False) -> dict:
        builder = {
            HomePage: self.home_spec,
            EssayPage: self.essay_spec,
            FilmPage: self.film_spec,
            PolicyEventPage: self.event_spec,
        }.get(plan.model, self.index_spec)
        spec = builder(plan)
        if scalar_only:
            return {k: v for k, v in spec.items() if k not in RELATION_FIELDS}
        return spec

    # A spec names other records by slug, as the fixtures do, so its
    # fingerprint changes only when the fixtures or documents change; ``apply``
    # resolves the slugs to rows.

    def home_spec(self, plan):
        record: HomeRecord = plan.record
        return {
            "title": record.title,
            "summary": record.summary,
            "intro": paragraphs_html(record.intro),
            "featured_film": record.featured_film,
        }

    def index_spec(self, plan):
        record: IndexRecord = plan.record
        return {
            "title": record.title,
            "slug": record.slug,
            "summary": record.summary,
            "intro": paragraphs_html(record.intro),
        }

    def essay_spec(self, plan):
        record: EssayRecord = plan.record
        body = [
            {
                "type": block.kind,
                "value": {
                    "text": block.html if block.kind == "paragraph" else block.text,
                    "anchor": block.anchor,
                },
                "id": _block_id(plan.key, block.anchor),
            }
            for block in record.document.blocks
        ]
        return {
            "title": record.title,
            "slug": record.slug,
            "summary": record.summary,
            "publication": record.publication,
            "publication_note": record.publication_note,
            "published_date": record.published,
            "published_date_precision": record.published_precision,
            "source_url": record.source_url,
            "provenance": record.provenance,
            "rights": record.rights,
            "body": body,
            "authors": [
                {"person": person, "affiliation": affiliation}
                for person, affiliation in record.authors
            ],
            "films": record.films,
            "events": record.events,
            "tags": record.tags,
        }

    def citations(self, citations) -> list[dict]:
        result = []
        for citation in citations:
            entry = {
                "claim": citation.claim,
                "essay": citation.essay,
                "quote": citation.quote,
                "anchor": self.anchor(citation.essay, citation.quote),
            }
            for name in ("topic", "region", "amount", "currency", "qualifier"):
                if hasattr(citation, name):
                    entry[name] = getattr(citation, name)
            if getattr(citation, "relation", ""):
                entry["relation"] = citation.relation
                entry["related_film"] = citation.film
            result.append(entry)
        return result

    def anchor(self, essay_slug: str, quote: str) -> str:
        """The paragraph of the essay as it is now that holds ``quote``."""
        essay = self.pages.get(f"essay:{essay_slug}")
        if essay is None or not essay.pk:
            return ""
        return find_anchor(essay.body, quote) or ""

    def film_spec(self, plan):
        record: FilmRecord = plan.record
        return {
            "title": record.title,
            "slug": record.slug,
            "original_title": record.original_title,
            "original_language": record.original_language,
            "other_titles": "\n".join(record.other_titles),
            "date": record.date,
            "date_precision": record.date_precision,
            "date_note": record.date_note,
            "summary": record.summary,
            "based_on": record.based_on,
            "based_on_title": record.based_on_title,
            "synopsis": paragraphs_html(record.synopsis),
            "credits": [
                {"person": person, "role": role, "character": character}
                for person, role, character in record.credits
            ],
            "citations": self.citations(record.citations),
            "box_office_figures": self.citations(record.box_office),
            "tags": record.tags,
        }

    def event_spec(self, plan):
        record: EventRecord = plan.record
        body = []
        for number, text in enumerate(record.body, start=1):
            anchor = f"e{number}"
            body.append(
                {
                    "type": "paragraph",
                    "value": {"text": paragraphs_html(text), "anchor": anchor},
                    "id": _block_id(plan.key, anchor),
                }
            )
        return {
            "title": record.title,
            "slug": record.slug,
            "date": record.date,
            "date_precision": record.date_precision,
            "date_note": record.date_note,
            "kind": record.kind,
            "summary": record.summary,
            "body": body,
            "actors": [
                {"person": person, "role": role} for person, role in record.actors
            ],
            "films": record.films,
            "citations": self.citations(record.citations),
            "tags": record.tags,
        }

    # -- writing a spec onto a page --

    def page(self, key: str) -> Page | None:
        page = self.pages.get(key)
        return page if page is not None and page.pk else None

    def rows(self, model, rows: list[dict]) -> list:
        """Child rows with their slugs resolved; rows naming a missing one are
        left out (an editor deleted that person, essay or film)."""
        result = []
        for row in rows:
            values = dict(row)
            if "person" in values:
                values["person"] = self.people.get(values["person"])
            if "essay" in values:
                values["essay"] = self.page(f"essay:{values['essay']}")
            if "related_film" in values:
                values["related_film"] = self.page(f"film:{values['related_film']}")
            if None in (
                values.get("person", 1),
                values.get("essay", 1),
                values.get("related_film", 1),
            ):
                continue
            result.append(model(sort_order=len(result), **values))
        return result

    def page_tags(self, page: Page, slugs: list[str]) -> list[ArchiveTag]:
        """The record's tags, plus any tag on the page the loader does not know
        (a tag renamed in the admin keeps its place on the page)."""
        vocabulary = {tag.slug for tag in self.archive.tags}
        tags = [self.tags[slug] for slug in slugs if slug in self.tags]
        if page.pk:
            uses = archive_types.for_model(type(page)).tag_uses
            tags += [
                tag
                for tag in ArchiveTag.objects.filter(
                    **{f"{uses}__content_object": page}
                )
                if tag.slug not in vocabulary and tag not in tags
            ]
        return tags

    def apply(self, page: Page, spec: dict) -> None:
        for name, value in spec.items():
            if name in CHILD_MODELS:
                setattr(page, name, self.rows(CHILD_MODELS[name], value))
            elif name == "citations":
                page.citations = self.rows(page.citations.model, value)
            elif name == "tags":
                through = archive_types.for_model(type(page)).tag_through
                page.tagged_items = [
                    through(tag=tag) for tag in self.page_tags(page, value)
                ]
            elif name in ("films", "events"):
                kind = name[:-1]
                pages = (self.page(f"{kind}:{slug}") for slug in value)
                getattr(page, name).set([p for p in pages if p is not None])
            elif name == "featured_film":
                film = self.page(f"film:{value}") if value else None
                page.featured_film_id = film.pk if film else None
            else:
                setattr(page, name, value)


def load_archive(
    *,
    fixtures_dir: Path = DEFAULT_FIXTURES_DIR,
    check: bool = False,
    progress: Progress = _no_progress,
) -> LoadResult:
    """Validate the fixtures, then (unless ``check``) write them in one transaction."""
    progress("checking fixtures and documents", 0, 1)
    archive = read_archive(fixtures_dir)
    progress("checking fixtures and documents", 1, 1)
    if check:
        return LoadResult(checked=archive)
    with transaction.atomic():
        result = _Writer(archive, progress).run()
        progress("committing", 0, 1)
    progress("committing", 1, 1)
    return result


__all__ = [
    "DEFAULT_FIXTURES_DIR",
    "ArchiveFixtureError",
    "LoadResult",
    "Progress",
    "load_archive",
    "read_archive",
]


def _editors_revision(latest, live_revision_id: int | None) -> str:
    """Why a page or person whose latest revision is someone else's is kept."""
    state = (
        "published"
        if latest.pk == live_revision_id
        else "scheduled"
        if latest.approved_go_live_at
        else "an unpublished draft"
    )
    who = f" by {latest.user}" if latest.user_id else ""
    return (
        f"its latest revision (#{latest.pk}, {state}{who}) is not the "
        "loader's; an editor's work is left as it is"
    )
