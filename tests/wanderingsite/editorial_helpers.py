"""Users in each editorial role, and the admin's edit forms as they would post."""

from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

PASSWORD = "local-test-password"
# The group each editorial role's users belong to (admins are superusers).
GROUPS = {"editor": "Editors", "moderator": "Moderators"}


def make_user(role: str):
    """A user in role ``editor``, ``moderator`` or ``admin`` (a superuser)."""
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=role, defaults={"email": f"{role}@example.com", "first_name": role}
    )
    if created:
        user.set_password(PASSWORD)
        user.is_superuser = user.is_staff = role == "admin"
        user.save()
        group = GROUPS.get(role)
        if group:
            user.groups.add(Group.objects.get(name=group))
    return user


def client_for(client, role: str):
    """``client`` logged in as ``role``; ``anonymous`` leaves it logged out."""
    if role != "anonymous":
        client.force_login(make_user(role))
    return client


def form_data(html: str, form_id: str = "page-edit-form") -> dict:
    """What a browser would post from the form: every field as the page shows it.

    Skips the empty ``<template>`` forms of inline panels and unticked boxes.
    """
    soup = BeautifulSoup(html, "html.parser")
    form = soup.find("form", id=form_id)
    assert form is not None, f"no form #{form_id} on the page"
    data: dict[str, list[str]] = {}
    for field in form.find_all(["input", "select", "textarea"]):
        name = field.get("name")
        if not name or field.find_parent("template") is not None:
            continue
        kind = (field.get("type") or "").lower()
        if kind in {"submit", "button", "file", "image"}:
            continue
        if kind in {"checkbox", "radio"} and not field.has_attr("checked"):
            continue
        if field.name == "select":
            options = field.find_all("option")
            chosen = [o for o in options if o.has_attr("selected")] or options[:1]
            values = [option.get("value", option.text) for option in chosen]
        elif field.name == "textarea":
            values = [field.text.removeprefix("\n")]
        else:
            values = [field.get("value", "on" if kind == "checkbox" else "")]
        data.setdefault(name, []).extend(values)
    return data


def edit_form(client, page) -> dict:
    """The page's edit form as ``client`` opens it: what a browser would post."""
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200, response.status_code
    return form_data(response.content.decode())


def post_form(client, page, data: dict, **changes):
    """Post an edit form opened earlier (``edit_form``), with ``changes``."""
    data = {**data, **{name: [value] for name, value in changes.items()}}
    return client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)


def post_edit(client, page, **changes):
    """Post the page's edit form as shown, with ``changes`` and an action button.

    Pass e.g. ``**{"action-publish": "1"}``; a field is changed by its name.
    """
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    if response.status_code != 200:
        return response
    return post_form(client, page, form_data(response.content.decode()), **changes)


def person_url(name: str, *args) -> str:
    """The admin's ``name`` view of people (``edit``, ``lock``...) for ``args``."""
    return reverse(f"wagtailsnippets_wanderingsite_person:{name}", args=args)


def post_person_edit(client, person, **changes):
    """Post the person's edit form as shown, with ``changes`` and an action
    button, e.g. ``**{"action-submit": "1"}``."""
    url = person_url("edit", person.pk)
    response = client.get(url)
    if response.status_code != 200:
        return response
    data = form_data(response.content.decode(), "w-editor-form")
    data.update({name: [value] for name, value in changes.items()})
    return client.post(url, data)
