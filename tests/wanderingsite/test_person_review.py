"""People go through review as pages do: an editor's change to a person is
public only once a moderator has approved it, and a person never published
appears nowhere public.

On the real archive, loaded once for the module (``loaded_archive``).
"""

import importlib
import json

import pytest
from bs4 import BeautifulSoup
from django.apps import apps as global_apps
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import get_messages
from django.core.cache import caches
from django.test import Client
from wagtail.models import Revision, WorkflowContentType, WorkflowState

from essays.models import EssayAuthor, EssayPage
from films.models import FilmCredit, FilmPage
from tests.archive_fixtures import load_archive
from tests.factories import make_person
from tests.wanderingsite.editorial_helpers import (
    client_for,
    form_data,
    make_user,
    person_url,
    post_edit,
    post_person_edit,
)
from wanderingsite.models import LoadedRecord, Person
from wanderingsite.search import search_archive

migration = importlib.import_module("wanderingsite.migrations.0012_person_review")

HEADER = "X-Page-Cache"
# A word no source holds, so that only the new name can bring it to a page.
NONCE = "Quillfeather"
ESSAY = "china-science-fiction-beijing-vision"
FILM = "the-wandering-earth"

# Who is renamed, and the public surfaces that name them.
JOURNEYS = {
    "essay author": (
        "aynne-kokas",
        f"Aynne {NONCE} Kokas",
        lambda: [
            f"/essays/{ESSAY}/",
            "/essays/",
            "/",
            f"/api/v2/pages/{EssayPage.objects.get(slug=ESSAY).pk}/",
        ],
    ),
    "film credit": (
        "jing-wu",
        f"Jing {NONCE} Wu",
        lambda: [
            f"/films/{FILM}/",
            f"/api/v2/pages/{FilmPage.objects.get(slug=FILM).pk}/",
        ],
    ),
}
ALSO_UNCHANGED = ["/feeds/latest/", "/sitemap.xml", "/timeline/"]


@pytest.fixture
def page_cache(settings):
    """The page cache on (test settings keep it off), empty."""
    settings.WAGTAIL_CACHE = True
    caches["pagecache"].clear()
    yield caches["pagecache"]
    caches["pagecache"].clear()


def _public(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, url
    return response


def _messages(response) -> list[str]:
    """The admin's messages for the next page, as text, without their buttons."""
    texts = []
    for message in get_messages(response.wsgi_request):
        soup = BeautifulSoup(str(message), "html.parser")
        for buttons in soup.select(".buttons"):
            buttons.decompose()
        texts.append(soup.get_text(" ", strip=True))
    return texts


def _approve(client, edit):
    """Press "Approve and publish" on the edit form that ``edit`` posts."""
    return edit(
        client, **{"action-workflow-action": "1", "workflow-action-name": "approve"}
    )


@pytest.mark.parametrize("journey", JOURNEYS)
def test_person_rename_is_public_only_once_a_moderator_approves(
    loaded_archive, page_cache, django_capture_on_commit_callbacks, journey
):
    """An editor's rename, submitted for review, shows on no public page, in the
    API or in search; once a moderator approves it the page cache is purged and
    every page that names the person shows the new name."""
    slug, new_name, surfaces = JOURNEYS[journey]
    person = Person.objects.get(slug=slug)
    old_name, urls = person.name, surfaces()
    visitor = Client()
    for url in urls:
        assert old_name in _public(visitor, url).content.decode()

    editor = client_for(Client(), "editor")
    with django_capture_on_commit_callbacks(execute=True):
        response = post_person_edit(
            editor, person, name=new_name, **{"action-submit": "1"}
        )
    assert response.status_code == 302
    assert "submitted for moderation" in " ".join(_messages(response))

    for url in urls + ALSO_UNCHANGED:
        assert new_name not in _public(visitor, url).content.decode(), url
    assert _public(visitor, urls[0])[HEADER] == "hit"
    assert search_archive(query=NONCE).total == 0
    person.refresh_from_db()
    assert person.name == old_name
    assert person.workflow_in_progress

    moderator = client_for(Client(), "moderator")
    with django_capture_on_commit_callbacks(execute=True):
        response = _approve(moderator, lambda c, **a: post_person_edit(c, person, **a))

    assert _messages(response) == [
        f"Person or institution '{new_name}' has been approved and published."
    ]
    for url in urls:
        response = _public(visitor, url)
        assert response[HEADER] == "miss", url
        assert new_name in response.content.decode(), url
    assert search_archive(query=NONCE).total >= 1


def test_person_editor_publish_button_saves_a_draft(loaded_archive):
    """An editor pressing "Publish" on a person saves a draft: the live name stays."""
    person = Person.objects.get(slug="aynne-kokas")

    post_person_edit(
        client_for(Client(), "editor"),
        person,
        name=f"{NONCE} Kokas",
        **{"action-publish": "1"},
    )

    person.refresh_from_db()
    assert person.name == "Aynne Kokas"
    assert person.has_unpublished_changes
    assert person.get_latest_revision_as_object().name == f"{NONCE} Kokas"


def test_person_rejected_change_stays_off_the_site(loaded_archive):
    """A rename the moderator sends back is not published, and the message says
    changes were requested."""
    person = Person.objects.get(slug="aynne-kokas")
    post_person_edit(
        client_for(Client(), "editor"),
        person,
        name=f"{NONCE} Kokas",
        **{"action-submit": "1"},
    )

    response = post_person_edit(
        client_for(Client(), "moderator"),
        person,
        **{
            "action-workflow-action": "1",
            "workflow-action-name": "reject",
            "workflow-action-extra-data": json.dumps({"comment": "Spell it so."}),
        },
    )

    person.refresh_from_db()
    assert person.name == "Aynne Kokas"
    state = person.workflow_states.get()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert _messages(response) == [
        f"Changes to Person or institution '{NONCE} Kokas' have been requested."
    ]
    assert NONCE not in Client().get(f"/essays/{ESSAY}/").content.decode()


def test_person_list_shows_who_has_a_change_waiting(loaded_archive):
    """The admin's list of people shows a person with an unpublished change as
    live with a draft."""
    person = Person.objects.get(slug="aynne-kokas")
    editor = client_for(Client(), "editor")
    post_person_edit(editor, person, name=f"{NONCE} Kokas")

    listing = BeautifulSoup(editor.get(person_url("list")).content, "html.parser")

    row = next(tr for tr in listing.select("tbody tr") if "Aynne" in tr.get_text())
    assert "live + draft" in row.get_text(" ", strip=True)


def test_person_added_by_an_editor_is_a_draft_in_review(loaded_archive):
    """A person an editor adds and submits is a draft: not among the public
    people, in review."""
    editor = client_for(Client(), "editor")
    data = {"name": f"{NONCE} Studio", "slug": "quillfeather-studio"}

    editor.post(
        person_url("add"), {**data, "kind": "institution", "action-submit": "1"}
    )

    person = Person.objects.get(slug="quillfeather-studio")
    assert not person.live
    assert person.workflow_in_progress
    assert not Person.objects.public().filter(pk=person.pk).exists()


def test_person_never_published_appears_on_no_public_surface(loaded_archive):
    """A draft person credited on a live film and writing a live essay is left
    out of the film's credits, the essay's byline, the essay listings, the
    people pages, the sitemap, the API, the JSON-LD and search; the published
    people beside them still show."""
    draft = make_person(f"{NONCE} Draft", live=False)
    film, essay = FilmPage.objects.get(slug=FILM), EssayPage.objects.get(slug=ESSAY)
    FilmCredit.objects.create(page=film, person=draft, role="cast", character="X")
    EssayAuthor.objects.create(page=essay, person=draft, affiliation="Y")
    visitor = Client()

    surfaces = [film.url, essay.url, "/essays/", "/", "/people/", "/sitemap.xml"]
    for url in [*surfaces, f"/api/v2/pages/{film.pk}/", "/api/v2/people/"]:
        assert NONCE not in _public(visitor, url).content.decode(), url
    assert visitor.get(draft.get_absolute_url()).status_code == 404
    api = json.loads(_public(visitor, f"/api/v2/pages/{essay.pk}/").content)
    assert [a["person"]["name"] for a in api["authors"]] == ["Aynne Kokas"]
    assert "Jing Wu" in _public(visitor, film.url).content.decode()
    assert search_archive(query=NONCE).total == 0
    assert list(Person.objects.public().filter(slug=draft.slug)) == []


def test_person_draft_save_leaves_the_page_cache(
    loaded_archive, page_cache, django_capture_on_commit_callbacks
):
    """Saving a draft of a person changes nothing public: cached pages stay."""
    visitor = Client()
    _public(visitor, f"/essays/{ESSAY}/")
    person = Person.objects.get(slug="aynne-kokas")

    with django_capture_on_commit_callbacks(execute=True):
        post_person_edit(client_for(Client(), "editor"), person, name="A. Kokas")

    assert _public(visitor, f"/essays/{ESSAY}/")[HEADER] == "hit"


def test_person_save_from_an_outdated_form_is_refused(loaded_archive):
    """A person's form opened before someone else saved a newer revision is
    refused, unsaved, with a message naming them and a comparison."""
    person = Person.objects.get(slug="aynne-kokas")
    editor = client_for(Client(), "editor")
    opened = form_data(
        editor.get(person_url("edit", person.pk)).content.decode(), "w-editor-form"
    )
    post_person_edit(client_for(Client(), "moderator"), person, name="A. Kokas")

    response = editor.post(
        person_url("edit", person.pk), {**opened, "name": ["Kokas, Aynne"]}
    )

    assert response["Location"] == person_url("edit", person.pk)
    person.refresh_from_db()
    assert person.get_latest_revision_as_object().name == "A. Kokas"
    (message,) = _messages(response)
    assert message.startswith("'A. Kokas' was changed by moderator at ")


def test_review_message_says_a_page_was_published(loaded_archive):
    """A moderator's "Approve and publish" on a page's edit form says the page
    was published, not that it "has been updated"."""
    film = FilmPage.objects.get(slug="monster-hunt")
    post_edit(
        client_for(Client(), "editor"),
        film,
        title="Monster Hunt (revised)",
        **{"action-submit": "1"},
    )

    response = _approve(
        client_for(Client(), "moderator"), lambda c, **a: post_edit(c, film, **a)
    )

    film.refresh_from_db()
    assert film.title == "Monster Hunt (revised)"
    assert _messages(response) == [
        "Page 'Monster Hunt (revised)' has been approved and published."
    ]


# -- the loader --


def _loader_record(slug: str) -> LoadedRecord:
    return LoadedRecord.objects.get(key=f"person:{slug}")


def test_load_archive_publishes_each_person_through_a_revision(loaded_archive):
    """Every person the loader made is live, its live version its one revision,
    the revision the loader recorded."""
    for person in Person.objects.all():
        assert person.live, person
        assert person.live_revision_id == person.latest_revision_id
        assert person.revisions.count() == 1
        assert _loader_record(person.slug).revision_id == person.latest_revision_id


def test_load_archive_again_leaves_every_person_as_it_is(loaded_archive):
    """A second load writes no revision and reports every person unchanged."""
    revisions = Revision.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Person)
    ).count()

    output = load_archive()

    assert "0 created, 0 updated, 0 kept" in output
    assert (
        Revision.objects.filter(
            base_content_type=ContentType.objects.get_for_model(Person)
        ).count()
        == revisions
    )


def test_load_archive_keeps_a_person_an_editor_changed(loaded_archive):
    """A person with a later revision by an editor, published or not, is left as
    it is and reported; the loader writes no revision of its own."""
    person = Person.objects.get(slug="aynne-kokas")
    person.name = f"Aynne {NONCE} Kokas"
    draft = person.save_revision(user=make_user("editor"))
    record = _loader_record("aynne-kokas")
    record.fingerprint = "fixtures changed since"
    record.save()

    output = load_archive()

    person.refresh_from_db()
    assert person.name == "Aynne Kokas"
    assert person.latest_revision_id == draft.pk
    assert (
        f'Kept person "aynne-kokas": its latest revision (#{draft.pk}, an '
        "unpublished draft by editor) is not the loader's" in output
    )


def test_load_archive_updates_a_person_it_still_owns(loaded_archive):
    """A person whose record changed and who is still the loader's gets one new
    revision, published, which the loader records."""
    person = Person.objects.get(slug="aynne-kokas")
    record = _loader_record("aynne-kokas")
    record.fingerprint = "fixtures changed since"
    record.save()

    output = load_archive()

    person.refresh_from_db()
    record.refresh_from_db()
    assert person.revisions.count() == 2
    assert person.live_revision_id == person.latest_revision_id == record.revision_id
    assert "1 updated" in output


def test_load_archive_adopts_a_person_loaded_before_people_had_revisions(
    loaded_archive,
):
    """A person loaded before review, unchanged since, stays the loader's: its
    first revision (from the migration) becomes the loader's; one an editor
    changed back then is kept."""
    kept = Person.objects.get(slug="marina-zhang")
    LoadedRecord.objects.filter(key__startswith="person:").update(revision=None)
    Person.objects.filter(pk=kept.pk).update(name="M. Zhang")

    output = load_archive()

    assert _loader_record("aynne-kokas").revision_id == (
        Person.objects.get(slug="aynne-kokas").latest_revision_id
    )
    assert _loader_record("marina-zhang").revision_id is None
    assert Person.objects.get(pk=kept.pk).name == "M. Zhang"
    assert (
        'Kept person "marina-zhang": changed in the admin since the last load' in output
    )


# -- the migration --


def test_migration_makes_existing_people_live_with_a_first_revision(loaded_archive):
    """People from before review (no revision, not live) become live, their one
    revision holding what they held; running it again changes nothing."""
    old = Person.objects.create(name="Zhou Enlai (old)", slug="zhou-enlai-old")
    assert not old.live

    migration.apply_person_review(global_apps, None)
    migration.apply_person_review(global_apps, None)

    old.refresh_from_db()
    assert old.live
    assert not old.has_unpublished_changes
    assert old.revisions.count() == 1
    assert old.live_revision_id == old.latest_revision_id
    assert old.latest_revision.as_object().name == "Zhou Enlai (old)"


def test_migration_puts_people_under_the_editorial_review(db):
    """After migrate, people follow the Editorial review workflow; Editors may
    lock people, Moderators publish, lock and unlock them."""
    workflow = WorkflowContentType.objects.get(
        content_type=ContentType.objects.get_for_model(Person)
    ).workflow

    assert workflow.name == "Editorial review"
    assert Person.get_default_workflow() == workflow
    codenames = {
        group: set(
            Group.objects.get(name=group)
            .permissions.filter(content_type__model="person")
            .values_list("codename", flat=True)
        )
        for group in ("Editors", "Moderators")
    }
    assert codenames["Editors"] == {
        "add_person",
        "change_person",
        "view_person",
        "lock_person",
    }
    assert codenames["Moderators"] == {
        "add_person",
        "change_person",
        "delete_person",
        "view_person",
        "publish_person",
        "lock_person",
        "unlock_person",
    }
