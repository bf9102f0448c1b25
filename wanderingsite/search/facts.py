"""Cited facts in search: a page is found by the claims of its facts and the
quotes that back them, as long as the public may read the quoting essay.

The words are indexed with the page (``ArchivePage.cited_facts_text``, a
search field); a result's snippet may quote a claim (``facts_of``, one query
for the page of results). An essay's visibility decides whether its quotes
count, so the pages citing it are indexed again when it is published or
unpublished, and when a view restriction over it changes.
"""

from __future__ import annotations

from django.db.models import Model
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction
from wagtail.search import index
from wagtail.signals import page_published, page_unpublished

from ..page_types import archive_types
from ..visibility import visible_q


def _fact_relations() -> list[tuple[type[Page], str, type[Model], str]]:
    """(page model, relation, fact model, its field naming the page) of each
    registered relation to cited facts."""
    found = []
    for archive_type in archive_types:
        for name in archive_type.facts:
            relation = archive_type.model._meta.get_field(name)
            found.append(
                (archive_type.model, name, relation.related_model, relation.field.name)
            )
    return found


def facts_of(page_ids: list[int]) -> dict[int, list[tuple[str, str]]]:
    """(claim, quote) of each visible-sourced fact of the pages ``page_ids``,
    by page, in their order on the page: one query for every type."""
    parts = [
        fact_model.objects.filter(**{f"{page_field}_id__in": page_ids})
        .filter(visible_q("essay__"))
        .order_by()
        .values_list(f"{page_field}_id", "sort_order", "claim", "quote")
        for _, _, fact_model, page_field in _fact_relations()
    ]
    if not parts or not page_ids:
        return {}
    facts: dict[int, list[tuple[int, str, str]]] = {}
    for page_id, order, claim, quote in parts[0].union(*parts[1:], all=True):
        facts.setdefault(page_id, []).append((order or 0, claim, quote))
    return {
        page_id: [(claim, quote) for _, claim, quote in sorted(rows)]
        for page_id, rows in facts.items()
    }


def pages_citing(essay_ids) -> list[Page]:
    """The pages, of any state, whose facts quote any of the essays ``essay_ids``."""
    pages: dict[int, Page] = {}
    for model, name, _, _ in _fact_relations():
        citing = model.objects.filter(**{f"{name}__essay_id__in": essay_ids})
        for page in citing.distinct():
            pages[page.pk] = page
    return list(pages.values())


def _reindex(essay_ids) -> None:
    for page in pages_citing(essay_ids):
        index.insert_or_update_object(page)


def _cited_models() -> set[type[Page]]:
    """The page types facts quote (essays)."""
    return {
        fact_model._meta.get_field("essay").related_model
        for _, _, fact_model, _ in _fact_relations()
    }


def _essay_changed(sender, instance, **kwargs) -> None:
    if any(isinstance(instance, model) for model in _cited_models()):
        _reindex([instance.pk])


def _restriction_changed(sender, instance, **kwargs) -> None:
    # A view restriction hides or shows the page and every page below it.
    essays = set()
    for model in _cited_models():
        below = model.objects.descendant_of(instance.page, inclusive=True)
        essays |= set(below.values_list("pk", flat=True))
    if essays:
        _reindex(essays)


def connect_facts() -> None:
    """Index the pages citing an essay again when the public comes to see it,
    or no longer may: it is published or withdrawn, or a view restriction over
    it is added, changed or removed."""
    page_published.connect(_essay_changed, dispatch_uid="search-facts-published")
    page_unpublished.connect(_essay_changed, dispatch_uid="search-facts-withdrawn")
    for signal, uid in ((post_save, "saved"), (post_delete, "deleted")):
        signal.connect(
            _restriction_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"search-facts-restriction-{uid}",
        )
