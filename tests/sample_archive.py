"""The sample archive's hidden word, where tests/wanderingsite/test_search*.py
import it from; the archive itself is built by tests/factories.py."""

from tests.factories import HIDDEN

__all__ = ["HIDDEN"]
