"""Archive search: one ranked list over every archive type.

- ``query``: reading what the visitor typed (cleaning, words, numerals);
- ``engine``: the matches, their ranking, facets and spelling corrections;
- ``snippets``: highlighted titles and the passage each result shows.

The page itself is ``views.search_view``.
"""

from ..page_types import archive_types
from .engine import ArchiveSearch, search_archive, specific_pages
from .query import clean_query, query_terms

__all__ = [
    "ArchiveSearch",
    "clean_query",
    "query_terms",
    "search_archive",
    "specific_pages",
]


def __getattr__(name: str):
    # Until feeds.py and api.py read the registry themselves: the names they
    # import from the old module, read from the registry when asked for.
    if name == "SEARCH_TYPES":
        return tuple(archive_types)
    if name == "SEARCH_MODELS":
        return archive_types.models
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
