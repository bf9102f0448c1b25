"""Hostile input on every public parameter: no 500, no markup reflected, no
hidden page shown.

Hypothesis draws the query strings of the search, the listings, the tag pages
and feeds and the API. Many values are ones the archive knows (its tags,
people, types, years, pages), so that requests get past the first check to
the code behind it; the others are odd: control characters, NUL, Chinese,
any other unicode, broken percent-encodings, very long values, numbers past
any integer column, and markup. Requests go to the sample archive
(factories.sample_archive), built once for the module, drafts and private pages
included.

The test client raises what a view raises, so a 500 fails the test with the
request that caused it.
"""

from urllib.parse import quote

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from films.models import PolicyEventPage
from tests.factories import HIDDEN

MARKUP = ("<script>x</script>", '"><img src=x>')

# What the sample archive holds, so that requests find something.
TAG_SLUGS = ("science-fiction", "soft-power", "box-office", "film-policy")
PEOPLE_SLUGS = ("frant-gwo", "wu-jing", "aynne-kokas", "wang-xiaohui")
KINDS = (*PolicyEventPage.Kind.values, "release")
PAGE_NUMBERS = ("1", "2", "last", "0", "-1")
PAGE_TYPES = (
    "films.FilmPage",
    "films.PolicyEventPage",
    "essays.EssayPage",
    "films.TimelinePage",
    "films.FilmIndexPage",
    "essays.EssayIndexPage",
    "wanderingsite.HomePage",
    "wagtailcore.Page",
)
API_FIELDS = (
    "*",
    "_",
    "-title",
    "title,tags",
    "tags",
    "essays(title)",
    "citations(*)",
    "credits(person(name))",
    "*,-body",
    "title(",
    "a)",
)
API_ORDER = ("title", "-title", "id", "-id", "random", "date", "-first_published_at")

# The examples only read, so they may share the test's database state.
FUZZ = {
    "deadline": None,
    "database": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture],
}

markup = st.sampled_from(MARKUP)
# Any code point a URL can carry (surrogates cannot be encoded), control
# characters and NUL among them.
any_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)
chinese = st.text(
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=1, max_size=8
)
long_text = st.integers(200, 3000).map(lambda n: "流浪a-" * (n // 4))
numbers = st.one_of(st.integers(-(10**6), 10**6), st.integers(-(10**30), 10**30)).map(
    str
)


def hostile(*known: str) -> st.SearchStrategy[str]:
    """Odd values, and the known ones spoilt."""
    spoilt = (
        st.sampled_from(known).flatmap(
            lambda value: st.sampled_from(
                [value.upper(), f"{value}{MARKUP[0]}", f" {value}\x00", value * 40]
            )
        )
        if known
        else st.nothing()
    )
    return st.one_of(spoilt, markup, any_text, chinese, numbers, long_text, st.just(""))


def value(*known: str) -> st.SearchStrategy[str | None]:
    """A parameter's value: left out, one it knows, or hostile."""
    return st.one_of(st.none(), st.sampled_from(known), hostile(*known))


def mostly(*known: str) -> st.SearchStrategy[str]:
    """One of the ``known`` values three times in four, else a hostile one."""
    return st.integers(0, 3).flatmap(
        lambda n: st.sampled_from(known) if n else hostile(*known)
    )


def query(**values: st.SearchStrategy) -> st.SearchStrategy[dict]:
    """Query parameters, those drawn as None left out."""
    return st.fixed_dictionaries(values).map(
        lambda params: {k: v for k, v in params.items() if v is not None}
    )


def assert_answered(response) -> None:
    assert response.status_code < 500
    body = response.content.decode("utf-8", errors="replace")
    for raw in MARKUP:
        assert raw not in body
    assert HIDDEN not in body


@settings(max_examples=120, **FUZZ)
@given(
    params=query(
        q=value("wandering earth", "流浪地球", "Frant Gwo", "soft power", "Hollywod"),
        type=value("film", "essay", "event", "person"),
        tag=value(*TAG_SLUGS),
        page=value(*PAGE_NUMBERS),
        sort=value("relevance", "date", "-date", "title"),
    )
)
def test_fuzz_search_never_fails_nor_reflects_markup(sample_archive, client, params):
    """/search/ answers any q, type, tag, page and sort."""
    assert_answered(client.get("/search/", params))


@settings(max_examples=110, **FUZZ)
@given(
    listing=st.sampled_from(["films", "essays", "timeline"]),
    params=query(
        tag=value(*TAG_SLUGS),
        year=value("2019", "2023", "1900"),
        author=value(*PEOPLE_SLUGS),
        kind=value(*KINDS),
        page=value(*PAGE_NUMBERS),
    ),
)
def test_fuzz_listings_never_fail_nor_reflect_markup(
    sample_archive, client, listing, params
):
    """/films/, /essays/ and /timeline/ answer any filter and page."""
    url = getattr(sample_archive, listing).url
    assert_answered(client.get(url, params))


# A path segment as a browser or a bot may send it: percent escapes valid and
# broken, dots, and text percent-encoded.
segment_pieces = st.one_of(
    st.sampled_from(
        ["%00", "%ff", "%c3%28", "%e6%b5%81", "%2f", "%25", "%zz", "%", "..", "."]
    ),
    hostile(*TAG_SLUGS).map(lambda text: quote(text, safe="")),
)
tag_segment = st.one_of(
    st.sampled_from(TAG_SLUGS),
    st.sampled_from(TAG_SLUGS).map(str.upper),
    st.lists(segment_pieces, min_size=1, max_size=4).map("".join),
)


@settings(max_examples=100, **FUZZ)
@given(segment=tag_segment, feed=st.booleans())
def test_fuzz_tag_pages_never_fail_nor_reflect_markup(
    sample_archive, client, segment, feed
):
    """/tags/<slug>/ and its feed answer any slug: unicode, escapes, very long."""
    path = f"/tags/{segment}/feed/" if feed else f"/tags/{segment}/"
    assert_answered(client.get(path))


person_segment = st.one_of(
    st.sampled_from(PEOPLE_SLUGS),
    st.sampled_from(PEOPLE_SLUGS).map(str.upper),
    st.lists(segment_pieces, min_size=1, max_size=4).map("".join),
)


@settings(max_examples=80, **FUZZ)
@given(
    segment=st.one_of(st.none(), person_segment),
    params=query(page=value(*PAGE_NUMBERS)),
)
def test_fuzz_people_pages_never_fail_nor_reflect_markup(
    sample_archive, client, segment, params
):
    """/people/ answers any page number, /people/<slug>/ any slug."""
    path = "/people/" if segment is None else f"/people/{segment}/"
    assert_answered(client.get(path, params))


@settings(max_examples=80, **FUZZ)
@given(
    params=query(
        search=value("gwo", "Frant Gwo", "郭帆"),
        kind=value("person", "institution"),
        slug=value(*PEOPLE_SLUGS),
        order=value("name", "-name", "id", "random", "counts"),
        fields=value("*", "_", "counts", "credits", "-counts", "name(x)"),
        limit=value("1", "20", "1000"),
        offset=value("0", "2", "2147483648"),
    )
)
def test_fuzz_people_api_never_fails_nor_reflects_markup(
    sample_archive, client, params
):
    """/api/v2/people/ answers any mix of its parameters."""
    assert_answered(client.get("/api/v2/people/", params))


@settings(max_examples=60, **FUZZ)
@given(
    image=st.one_of(
        st.integers(0, 80).map(lambda n: f"/og/{n}.png"),
        numbers.map(lambda n: f"/og/{n.lstrip('-')}.png"),
        tag_segment.map(lambda segment: f"/og/tags/{segment}.png"),
    )
)
def test_fuzz_share_images_never_fail_nor_show_hidden_pages(
    sample_archive, client, image
):
    """/og/<id>.png and /og/tags/<slug>.png answer any id and slug: an image
    for a visible page or tag, else a 404, and never one of a hidden page."""
    response = client.get(image)
    assert response.status_code in (200, 404)
    hidden = {f"/og/{page.pk}.png" for page in vars(sample_archive.hidden).values()}
    if image in hidden:
        assert response.status_code == 404
    if response.status_code == 404:
        assert_answered(response)


@settings(max_examples=60, **FUZZ)
@given(
    tag=st.sampled_from(TAG_SLUGS),
    params=query(type=value("film", "essay", "event"), page=value(*PAGE_NUMBERS)),
)
def test_fuzz_tag_page_types_never_fail_nor_reflect_markup(
    sample_archive, client, tag, params
):
    """/tags/<slug>/?type= answers any type and page, and says what it ignored
    without reflecting markup."""
    assert_answered(client.get(f"/tags/{tag}/", params))


@settings(max_examples=30, **FUZZ)
@given(
    path=st.sampled_from(["/data/", "/api/v2/", "/data/archive.schema.json"]),
    params=st.dictionaries(any_text, hostile(), max_size=2),
)
def test_fuzz_data_pages_never_fail_nor_reflect_markup(
    sample_archive, client, path, params
):
    """The data page, the API's index and the schema answer any query string."""
    assert_answered(client.get(path, params))


# Pages of the archive by name, given to ?child_of= and ?descendant_of= as ids.
PARENTS = ("home", "films", "essays", "timeline", "film")
API_PARAMETERS = {
    "tags": st.one_of(
        mostly(*TAG_SLUGS),
        st.lists(st.sampled_from(TAG_SLUGS), min_size=2, max_size=12).map(",".join),
    ),
    "fields": mostly(*API_FIELDS),
    "order": mostly(*API_ORDER),
    "offset": mostly("0", "10", "2147483648"),
    "limit": mostly("1", "20", "1000"),
    "search": mostly("wandering", "流浪地球", "Kokas"),
    "search_operator": mostly("and", "or"),
    "child_of": mostly(*PARENTS),
    "descendant_of": mostly(*PARENTS),
    # Names the API does not take, or takes only for some types.
    "title": mostly("The Wandering Earth"),
    "site": mostly("testserver", "localhost:80"),
    "format": mostly("json", "html"),
}
odd_names = st.integers(0, 3).flatmap(
    lambda n: st.just({}) if n else st.dictionaries(any_text, hostile(), max_size=2)
)
api_query = st.tuples(
    st.one_of(st.none(), mostly(*PAGE_TYPES)),
    st.lists(st.sampled_from(sorted(API_PARAMETERS)), max_size=3, unique=True),
    odd_names,
).flatmap(
    lambda drawn: st.fixed_dictionaries(
        {name: API_PARAMETERS[name] for name in drawn[1]}
    ).map(
        lambda params: {
            **drawn[2],
            **params,
            **({"type": drawn[0]} if drawn[0] is not None else {}),
        }
    )
)


@settings(max_examples=140, **FUZZ)
@given(params=api_query)
def test_fuzz_api_never_fails_nor_reflects_markup(sample_archive, client, params):
    """/api/v2/pages/ answers any mix of its parameters, and of odd names."""
    ids = {name: str(getattr(sample_archive, name).pk) for name in PARENTS}
    params = {
        name: ids.get(given, given) if name in ("child_of", "descendant_of") else given
        for name, given in params.items()
    }
    assert_answered(client.get("/api/v2/pages/", params))


@settings(max_examples=50, **FUZZ)
@given(
    path=st.sampled_from(
        [
            "/search/",
            "/films/",
            "/essays/",
            "/timeline/",
            "/tags/science-fiction/",
            "/tags/science-fiction/feed/rss/",
            "/feeds/latest/rss/",
            "/data/",
            "/api/v2/",
            "/api/v2/pages/",
            "/api/v2/tags/",
            "/api/v2/images/",
            "/api/v2/documents/",
            "/people/",
            "/api/v2/people/",
        ]
    ),
    pieces=st.lists(segment_pieces, max_size=6),
)
def test_fuzz_raw_query_strings_never_fail(sample_archive, client, path, pieces):
    """Query strings with broken percent-encodings are answered."""
    names = ["q", "tag", "page", "type", "tags", "kind"]
    raw = "&".join(f"{n}={p}" for n, p in zip(names, pieces, strict=False))
    assert_answered(client.get(f"{path}?{raw}"))


@settings(max_examples=60, **FUZZ)
@given(
    essay=st.sampled_from(["kokas_essay", "world_essay"]),
    cited_from=value("1-00000000", "12-deadbeef", "0-"),
)
def test_fuzz_essay_from_a_citation_never_fails_nor_reflects_markup(
    sample_archive, client, essay, cited_from
):
    """An essay answers any ``?from=``, naming a fact or not."""
    params = {} if cited_from is None else {"from": cited_from}
    assert_answered(client.get(getattr(sample_archive, essay).url, params))


@settings(max_examples=60, **FUZZ)
@given(
    page_id=st.one_of(
        st.sampled_from(["film", "kokas_essay", "plan", "home"]), numbers, hostile()
    ),
    suffix=st.sampled_from(["", "cite.bib", "cite.ris", "cite.json", "cite.xml"]),
)
def test_fuzz_permalinks_never_fail_nor_show_hidden_pages(
    sample_archive, client, page_id, suffix
):
    """/p/<id>/ and its downloads answer any id: a page's, a hidden page's,
    none at all."""
    known = getattr(sample_archive, page_id, None) if page_id.isidentifier() else None
    segment = str(known.pk) if known else quote(page_id, safe="")
    assert_answered(client.get(f"/p/{segment}/{suffix}"))
    for hidden in ("draft_essay", "withdrawn_film", "private_event"):
        pk = getattr(sample_archive.hidden, hidden).pk
        assert client.get(f"/p/{pk}/{suffix}").status_code == 404
