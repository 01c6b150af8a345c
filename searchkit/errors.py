"""The exceptions searchkit raises.

Every error the library raises on purpose derives from :class:`SearchkitError`,
so a caller (the CLI above all) can catch one type and show its message::

    SearchkitError
     ├── ArticleError       an article file or record cannot be read or parsed
     ├── IndexError_        no index, not a searchkit index, incompatible or locked
     │    ├── NoIndexError
     │    ├── IndexLockedError
     │    └── UntrustedIndexError  a file in the folder could run code; refused
     └── QueryError         a query string or filter value is malformed

Messages are written for the person at the keyboard: what is wrong, where,
and what to do next.
"""

from __future__ import annotations

__all__ = [
    "ArticleError",
    "IndexError_",
    "IndexLockedError",
    "NoIndexError",
    "QueryError",
    "SearchkitError",
    "UntrustedIndexError",
]


class SearchkitError(Exception):
    """Base class of every error searchkit raises on purpose."""


class ArticleError(SearchkitError):
    """An article file or record cannot be read or parsed.

    ``location`` names the file (and line, for JSONL records) so the message
    can point the user at it; ``skipped`` is False for a problem that was
    reported but did not stop the article being indexed (a warning).
    """

    def __init__(self, location: str, message: str, *, skipped: bool = True) -> None:
        super().__init__(f"{location}: {message}")
        self.location = location
        self.message = message
        self.skipped = skipped


class IndexError_(SearchkitError):
    """The index directory cannot be used as it is."""


class NoIndexError(IndexError_):
    """There is no searchkit index at the given location."""


class IndexLockedError(IndexError_):
    """Another process is writing the index and did not finish in time."""


class UntrustedIndexError(IndexError_):
    """An index file holds a pickle naming something no searchkit index contains."""


class QueryError(SearchkitError):
    """A query string or filter value is malformed."""
