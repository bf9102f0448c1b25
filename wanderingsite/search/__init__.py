"""Archive search: one ranked list over every archive type.

- ``query``: reading what the visitor typed (cleaning, words, numerals);
- ``engine``: the matches, their ranking, facets and spelling corrections;
- ``snippets``: highlighted titles and the passage each result shows.

The page itself is ``views.search_view``.
"""

from .engine import ArchiveSearch, search_archive
from .query import clean_query, query_terms

__all__ = ["ArchiveSearch", "clean_query", "query_terms", "search_archive"]
