"""Renaming and merging tags: nothing lost, old addresses redirect, all logged."""

import copy
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import ModelLogEntry, PageLogEntry

from tests.factories import make_film, make_tag, small_archive
from tests.module_scope import default_home, rolled_back
from tests.wanderingsite.editorial_helpers import client_for, make_user
from wanderingsite.models import ArchiveTag
from wanderingsite.services import tags as tag_service

LIST_URL = reverse("wagtailsnippets_wanderingsite_archivetag:list")


def _merge_url(tag):
    return reverse("wagtailsnippets_wanderingsite_archivetag:merge", args=[tag.pk])


def _edit_url(tag):
    return reverse("wagtailsnippets_wanderingsite_archivetag:edit", args=[tag.pk])


@pytest.fixture(scope="module")
def vocabulary_once(django_db_setup, django_db_blocker):
    """'Sci-fi' on a film, an essay (which also has the kept tag) and an event,
    built once for the module."""
    with rolled_back(django_db_blocker):
        merged = make_tag("Sci-fi")
        kept = make_tag("Science fiction")
        archive = small_archive(default_home(), tags=[merged])
        archive["essay"].tags.add(kept)
        archive["essay"].save_revision().publish()
        yield {"merged": merged, "kept": kept, **archive}


@pytest.fixture
def vocabulary(vocabulary_once, db):
    """The vocabulary, each test in a savepoint, its tags and pages fresh copies."""
    return copy.deepcopy(vocabulary_once)


def _tag_names(page):
    return sorted(tag.name for tag in type(page).objects.get(pk=page.pk).tags.all())


def test_merge_moves_every_use_to_the_kept_tag_once(vocabulary):
    """Films, essays and events that had the merged tag have the kept one, once."""
    merged, kept = vocabulary["merged"], vocabulary["kept"]

    result = tag_service.merge_tags(merged, kept, user=make_user("moderator"))

    for kind in ("film", "essay", "event"):
        assert _tag_names(vocabulary[kind]) == ["Science fiction"], kind
    assert result.moved == {"films": 1, "essays": 0, "events": 1}
    assert result.already_tagged == {"films": 0, "essays": 1, "events": 0}
    assert not ArchiveTag.objects.filter(pk=merged.pk).exists()
    assert tag_service.tag_use_counts(kept) == {"films": 1, "essays": 1, "events": 1}


def test_merge_loses_no_other_tags(vocabulary):
    """Tags other than the two merged stay where they were."""
    other = make_tag("Soft power")
    vocabulary["film"].tags.add(other)
    vocabulary["film"].save_revision().publish()

    tag_service.merge_tags(vocabulary["merged"], vocabulary["kept"])

    assert _tag_names(vocabulary["film"]) == ["Science fiction", "Soft power"]


def test_merge_is_all_or_nothing(vocabulary):
    """A failure part-way through leaves every tag, use and redirect as it was."""
    merged, kept = vocabulary["merged"], vocabulary["kept"]
    merged_pk = merged.pk
    with (
        mock.patch.object(
            tag_service, "_leave_redirect", side_effect=RuntimeError("disk full")
        ),
        pytest.raises(RuntimeError),
    ):
        tag_service.merge_tags(merged, kept)

    merged = ArchiveTag.objects.get(pk=merged_pk)
    assert tag_service.tag_use_counts(merged) == {"films": 1, "essays": 1, "events": 1}
    assert tag_service.tag_use_counts(kept) == {"films": 0, "essays": 1, "events": 0}
    assert not Redirect.objects.exists()
    assert not ModelLogEntry.objects.filter(action=tag_service.MERGE_ACTION).exists()


def test_merge_old_tag_page_and_feed_redirect_permanently(client, vocabulary):
    """/tags/sci-fi/ and its Atom and RSS feeds answer 301 to the kept tag's."""
    tag_service.merge_tags(vocabulary["merged"], vocabulary["kept"])

    page = client.get("/tags/sci-fi/")
    feed = client.get("/tags/sci-fi/feed/")
    rss = client.get("/tags/sci-fi/feed/rss/")

    assert page.status_code == 301
    assert page["Location"] == "/tags/science-fiction/"
    assert feed.status_code == 301
    assert feed["Location"] == "/tags/science-fiction/feed/"
    assert rss.status_code == 301
    assert rss["Location"] == "/tags/science-fiction/feed/rss/"


def test_merge_after_merge_redirects_without_a_chain(client, vocabulary):
    """Merging the kept tag again sends the first old address straight to the end."""
    tag_service.merge_tags(vocabulary["merged"], vocabulary["kept"])
    final = make_tag("Speculative fiction")

    tag_service.merge_tags(vocabulary["kept"], final)

    response = client.get("/tags/sci-fi/")
    assert response.status_code == 301
    assert response["Location"] == "/tags/speculative-fiction/"


def test_merge_is_in_the_audit_log_with_the_user(vocabulary):
    """The merge is logged on the kept tag, with who did it and what was merged."""
    moderator = make_user("moderator")

    tag_service.merge_tags(vocabulary["merged"], vocabulary["kept"], user=moderator)

    entry = ModelLogEntry.objects.get(action=tag_service.MERGE_ACTION)
    assert entry.user == moderator
    assert entry.object_id == str(vocabulary["kept"].pk)
    assert entry.data["merged"] == {"name": "Sci-fi", "slug": "sci-fi"}
    assert entry.data["uses"] == {"films": 1, "essays": 1, "events": 1}
    assert entry.timestamp is not None
    assert "Merged the tag 'Sci-fi' into 'Science fiction'" in entry.message


def test_merge_rewrites_revisions_so_drafts_keep_the_tag(vocabulary):
    """A draft saved with the merged tag carries the kept tag when published later."""
    film = vocabulary["film"]
    film.title = "The Wandering Earth (draft)"
    draft = film.save_revision()

    result = tag_service.merge_tags(vocabulary["merged"], vocabulary["kept"])

    assert result.revisions_rewritten >= 2
    draft.refresh_from_db()
    assert [item["tag"] for item in draft.content["tagged_items"]] == [
        vocabulary["kept"].pk
    ]
    draft.publish()
    assert _tag_names(film) == ["Science fiction"]


def test_merge_revision_with_both_tags_keeps_one(vocabulary):
    """A revision that names both tags is left naming the kept tag once."""
    essay = vocabulary["essay"]

    tag_service.merge_tags(vocabulary["merged"], vocabulary["kept"])

    revision = type(essay).objects.get(pk=essay.pk).latest_revision
    tags = [item["tag"] for item in revision.content["tagged_items"]]
    assert tags == [vocabulary["kept"].pk]


def test_merge_into_itself_is_refused(vocabulary):
    """A tag cannot be merged into itself."""
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        tag_service.merge_tags(vocabulary["kept"], vocabulary["kept"])


def test_merge_view_asks_for_confirmation_first(client, vocabulary):
    """Choosing the target shows what will happen and changes nothing yet."""
    client = client_for(client, "moderator")
    merged, kept = vocabulary["merged"], vocabulary["kept"]

    response = client.post(_merge_url(merged), {"target": kept.pk})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Please confirm" in html
    assert "/tags/sci-fi/" in html and "/tags/science-fiction/" in html
    assert ArchiveTag.objects.filter(pk=merged.pk).exists()


def test_merge_view_merges_after_confirmation(client, vocabulary):
    """Confirming merges, logs the moderator and returns to the tag list."""
    client = client_for(client, "moderator")
    merged, kept = vocabulary["merged"], vocabulary["kept"]

    response = client.post(_merge_url(merged), {"target": kept.pk, "confirm": "True"})

    assert response.status_code == 302
    assert response["Location"] == LIST_URL
    assert not ArchiveTag.objects.filter(pk=merged.pk).exists()
    entry = ModelLogEntry.objects.get(action=tag_service.MERGE_ACTION)
    assert entry.user.username == "moderator"


def test_merge_view_refuses_an_unknown_target(client, vocabulary):
    """A target that is not a tag is a form error, not a merge or a 500."""
    client = client_for(client, "moderator")
    merged = vocabulary["merged"]

    response = client.post(_merge_url(merged), {"target": "999999", "confirm": "True"})

    assert response.status_code == 200
    assert ArchiveTag.objects.filter(pk=merged.pk).exists()


def test_rename_in_admin_redirects_old_slug_and_logs(client, vocabulary):
    """Renaming a tag's slug in the admin leaves a 301 and an audit entry."""
    moderator = client_for(client, "moderator")
    merged = vocabulary["merged"]

    response = moderator.post(
        _edit_url(merged),
        {"name": "SF", "slug": "sf", "description": "Science fiction, briefly."},
    )

    assert response.status_code == 302
    merged.refresh_from_db()
    assert (merged.name, merged.slug) == ("SF", "sf")
    assert tag_service.tag_use_counts(merged) == {"films": 1, "essays": 1, "events": 1}
    moderator.logout()
    redirect = client.get("/tags/sci-fi/")
    assert redirect.status_code == 301
    assert redirect["Location"] == "/tags/sf/"
    entry = ModelLogEntry.objects.get(action=tag_service.RENAME_ACTION)
    assert entry.user.username == "moderator"
    assert entry.data["old"] == {"name": "Sci-fi", "slug": "sci-fi"}


def test_rename_back_leaves_no_redirect_loop(vocabulary):
    """Renaming a tag and back leaves the old address to the live tag, not a loop."""
    merged = vocabulary["merged"]

    tag_service.rename_tag(merged, slug="sf")
    tag_service.rename_tag(merged, slug="sci-fi")

    assert not Redirect.objects.filter(old_path="/tags/sci-fi").exists()
    assert Redirect.objects.get(old_path="/tags/sf").redirect_link == "/tags/sci-fi/"


def test_rename_to_a_taken_name_is_refused(vocabulary):
    """Two tags cannot share a name, whatever its case."""
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        tag_service.rename_tag(vocabulary["merged"], name="SCIENCE FICTION")


def test_tag_list_shows_use_counts_per_type(client, vocabulary):
    """The tag list annotates film, essay and event counts for each tag."""
    response = client_for(client, "moderator").get(LIST_URL)

    rows = {tag.name: tag for tag in response.context["object_list"]}
    merged = rows["Sci-fi"]
    assert (merged.film_count, merged.essay_count, merged.event_count) == (1, 1, 1)
    kept = rows["Science fiction"]
    assert (kept.film_count, kept.essay_count, kept.event_count) == (0, 1, 0)


def test_tag_list_query_count_does_not_grow_with_tags(client, vocabulary):
    """Listing 30 tags costs as many queries as listing 2: no query per row."""
    client = client_for(client, "moderator")
    client.get(LIST_URL)
    with CaptureQueriesContext(connection) as few:
        client.get(LIST_URL)
    films = vocabulary["indexes"]["films"]
    for n in range(28):
        make_film(films, tags=[make_tag(f"Extra tag {n}")])

    with CaptureQueriesContext(connection) as many:
        response = client.get(LIST_URL)

    assert len(response.context["object_list"]) == 30
    assert len(many) == len(few)


def test_merge_shows_in_each_live_page_history(vocabulary):
    """A live page without a pending draft gets a published revision by the
    moderator and a merge entry in its own history."""
    moderator = make_user("moderator")

    result = tag_service.merge_tags(
        vocabulary["merged"], vocabulary["kept"], user=moderator
    )

    event = type(vocabulary["event"]).objects.get(pk=vocabulary["event"].pk)
    assert result.pages_republished == 3
    assert event.live_revision == event.latest_revision
    assert event.latest_revision.user == moderator
    entry = PageLogEntry.objects.get(page=event, action=tag_service.MERGE_ACTION)
    assert entry.user == moderator
    assert "Merged the tag 'Sci-fi' into 'Science fiction'" in entry.message


# How a merge survives reloading the archive: test_load_archive.py.
