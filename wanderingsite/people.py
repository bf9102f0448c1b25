"""The people pages: every person and institution the public may meet, and
each one's page with their credits, essays, events and the pages that name
them.

A person is public while a visible page credits them, was written by them,
names them as an actor in an event, or names them in its text; anyone else's
address is a 404, so that a person known only to a draft leaks nothing.
"""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from .selectors import people_index, person_detail
from .sites import site_root_url


def _home_crumb() -> dict:
    return {"title": _("Home"), "url": "/"}


def people_index_view(request):
    shown = people_index(page=request.GET.get("page"))
    canonical = f"{site_root_url(request)}{reverse('people_index')}"
    if shown.number > 1:
        canonical += f"?page={shown.number}"
    title = _("People and institutions")
    context = {
        "people": shown,
        "seo_title": title,
        "meta_description": _(
            "The people and institutions the archive's films, essays and policy "
            "events name, each with what the sources record of them."
        ),
        "canonical_url": canonical,
        "breadcrumbs": [_home_crumb()],
        "json_ld": {
            "@context": "https://schema.org",
            "@type": "CollectionPage",
            "name": title,
            "url": canonical,
            "numberOfItems": shown.paginator.count,
        },
    }
    return render(request, "wanderingsite/person_index.html", context)


def person_page(request, slug: str):
    detail = person_detail(slug=slug)
    if detail is None:
        raise Http404(_("No such person or institution"))
    person = detail.person
    root = site_root_url(request)
    canonical = f"{root}{person.get_absolute_url()}"
    description = person.description or _(
        "%(name)s in the Wandering Earth Archive: credits, essays, events and "
        "the pages that name them."
    ) % {"name": person.name}
    json_ld = {
        "@context": "https://schema.org",
        **person.get_json_ld(root),
        "description": person.description,
        "mainEntityOfPage": canonical,
    }
    context = {
        "detail": detail,
        "person": person,
        "seo_title": person.name,
        "crumb_title": person.name,
        "meta_description": description,
        "canonical_url": canonical,
        "breadcrumbs": [
            _home_crumb(),
            {"title": _("People"), "url": reverse("people_index")},
        ],
        "json_ld": {key: value for key, value in json_ld.items() if value},
    }
    return render(request, "wanderingsite/person_page.html", context)
