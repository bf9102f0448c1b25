"""Editorial review as moderators actually use it, on pages that carry inline rows."""

from django.urls import reverse
from wagtail.models import TaskState, WorkflowState

from tests.factories import make_person, small_archive
from tests.wanderingsite.editorial_helpers import client_for, form_data


def _post_edit_form(client, page, **changes):
    """Post the edit form as the admin shows it to ``client``, with ``changes``."""
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    data = form_data(client.get(url).content.decode())
    data.update({name: [value] for name, value in changes.items()})
    return client.post(url, data)


def _with_new_credit(client, page, person, role):
    """The edit form's fields plus one more credit row, as 'Add credit' makes it."""
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    data = form_data(client.get(url).content.decode())
    row = int(data["credits-TOTAL_FORMS"][0])
    data["credits-TOTAL_FORMS"] = [str(row + 1)]
    data.update(
        {
            f"credits-{row}-id": [""],
            f"credits-{row}-person": [str(person.pk)],
            f"credits-{row}-role": [role],
            f"credits-{row}-character": [""],
            f"credits-{row}-ORDER": [str(row + 1)],
        }
    )
    return data


def test_editorial_approving_on_the_edit_page_publishes_an_added_credit(
    client, home_page
):
    """A moderator who approves from the page's edit screen publishes the
    submitted change, new credit included, instead of restarting the review."""
    film = small_archive(home_page)["film"]
    director = make_person("Frant Gwo")
    editor = client_for(client, "editor")
    data = _with_new_credit(editor, film, director, "director")
    data["action-submit"] = ["1"]
    response = editor.post(reverse("wagtailadmin_pages:edit", args=[film.pk]), data)
    assert response.status_code == 302
    film.refresh_from_db()
    assert not film.credits.exists()
    visitor = client.__class__()
    assert "Frant Gwo" not in visitor.get(film.url).content.decode()

    moderator = client_for(client.__class__(), "moderator")
    response = _post_edit_form(
        moderator,
        film,
        **{
            "action-workflow-action": "1",
            "workflow-action-name": "approve",
            "workflow-action-extra-data": "{}",
        },
    )

    assert response.status_code == 302
    film.refresh_from_db()
    assert [c.person.name for c in film.credits.all()] == ["Frant Gwo"]
    assert not film.has_unpublished_changes
    state = WorkflowState.objects.get(object_id=str(film.pk))
    assert state.status == WorkflowState.STATUS_APPROVED
    assert not TaskState.objects.filter(
        workflow_state=state, status=TaskState.STATUS_IN_PROGRESS
    ).exists()
    assert "Frant Gwo" in visitor.get(film.url).content.decode()


def test_editorial_film_form_asks_a_topic_for_facts_but_not_for_box_office(
    client, home_page
):
    """A cited fact is filed under a topic; a box-office figure, which has its
    own table, does not ask for one."""
    film = small_archive(home_page)["film"]
    editor = client_for(client, "editor")

    html = editor.get(reverse("wagtailadmin_pages:edit", args=[film.pk]))
    html = html.content.decode()

    assert 'name="citations-__prefix__-topic"' in html
    assert 'name="box_office_figures-__prefix__-quote"' in html
    assert 'name="box_office_figures-__prefix__-topic"' not in html


def test_editorial_new_page_form_does_not_autosave(client, home_page):
    """The add-page form does not autosave, so a submit can never race an
    autosave that has already created the page at the same slug."""
    archive = small_archive(home_page)
    client = client_for(client, "editor")
    index = archive["essay"].get_parent()
    url = reverse("wagtailadmin_pages:add", args=["essays", "essaypage", index.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert b"w-autosave#save" not in response.content
    assert b"data-w-autosave-interval-value" not in response.content
