"""The :class:`Article` every reader returns, and what identifies its content."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from searchkit.errors import ArticleError

__all__ = ["MAX_ARTICLE_BYTES", "PARSER_VERSION", "Article", "OnProblem"]

#: Bumped whenever parsing (or quote extraction) changes what an article looks
#: like, so an incremental update re-indexes every article parsed the old way.
#: 2: outlet names and quote attribution bounded on hostile text (issue 10);
#: 3: speaker attribution with gender, addressees and dialogue turns (issue 13),
#: written dates (``Published: March 3, 2024``), authors and language (issue 12);
#: 4: single, German and French quote marks; partial quotes kept from scare quotes;
#: attribution reads sentences from the shared splitter (issue 13); 5: news
#: attribution rules and dialogue turns (issue 13);
#: 6: the name after a descriptor's role is the speaker, a place or body after a
#: preposition is not, and junk speaker names are dropped (issue 13, news); in
#: dialogue, a bare line an odd number of paragraphs after the line it took its
#: speaker from is the other party's (issue 13, fiction); record keys match in
#: any case, records with no id get one from their content, a page's site name
#: that is its title gives way to its host, and feed titles in HTML read as text;
#: 7: a time between a speaker and the verb ("Beck on Wednesday called"), a gerund
#: after "by", wire datelines ("LONDON, March 3 (Reuters) - "), "“…,” reacted X" and a
#: quote paragraph after "X praised the plan." (news), a participle after a
#: description takes the sentence subject, and the name before an unlisted verb
#: leads a quote in ("Trump issued a statement, “…”", "Hillary shot back, “…”"), and
#: the name after a role or kin word in apposition speaks ("his wife, Jane Smith,") (issue 13);
#: 8: he/she goes to the subject opening the sentence before even with a second person of
#: that gender in it, unless that one is credited there with speech ("…, Stovall said.")
#: or the sentence opens with no name ("The Scot", a line break of hard-wrapped text),
#: a naming verb ("a super PAC called Future45") introduces no quote after its sentence,
#: and "“…,” Bennett shot back" names Bennett (issue 13); 9: occupations are roles
#: ("speechwriter Noam Neusner"), "Writer Neil Coppendale" is Neil Coppendale, "the
#: Dutchman said" is a description, and "said:" after a closed quote leads in the next.
PARSER_VERSION = 9

#: Where a reader sends each problem with a file or record (see :func:`read_articles`).
OnProblem = Callable[[ArticleError], None]
_HASHED_FIELDS = (
    "id",
    "title",
    "body",
    "path",
    "date",
    "dateline",
    "source",
    "url",
    "author",
    "authors",
    "language",
    "section",
    "kicker",
    "boilerplate",
)

#: One article (a .txt/.md file, a JSONL record) larger than this is skipped: no news
#: story is that long, and a 50 MB one takes minutes and ~600 MB of memory to index.
MAX_ARTICLE_BYTES = 8 * 1024 * 1024
#: Where an article was found, left out of :attr:`Article.copy_key`.
_PLACE_FIELDS = frozenset({"id", "path"})


@dataclass(frozen=True, slots=True)
class Article:
    """One news article as searchkit indexes it."""

    id: str
    title: str
    body: str
    path: str = ""
    date: dt.date | None = None
    dateline: str | None = None
    source: str | None = None
    url: str | None = None
    author: str | None = None
    #: Each author named, where the source lists them (``author`` joins them with "; ").
    authors: tuple[str, ...] = ()
    #: The language the source declares (``<html lang>``, a feed's or record's), as given.
    language: str | None = None
    section: str | None = None
    kicker: str | None = None
    boilerplate: str = ""
    problems: tuple[str, ...] = field(default=(), compare=False)
    #: The line of a JSONL record in its file when read (0 for an article file);
    #: not part of ``path`` or the content hash, since records move between lines.
    line: int = 0

    @property
    def location(self) -> str:
        """Where the article was read: its file, and for a JSONL record its line."""
        return f"{self.path}:{self.line}" if self.line else self.path

    @property
    def content_hash(self) -> str:
        """Return a digest of everything indexed about the article.

        A record's line number is left out: a line added above it does not change it.
        """
        # Field by field rather than dataclasses.asdict, whose deep copy cost
        # more than the hashing on a 21k-article build.
        digest = hashlib.blake2b(digest_size=16)
        digest.update(f"searchkit-article-{PARSER_VERSION}".encode())
        for name in _HASHED_FIELDS:
            value = getattr(self, name)
            text = value.isoformat() if isinstance(value, dt.date) else str(value)
            digest.update(f"\x00{name}\x00{len(text)}\x00{text}".encode())
        return digest.hexdigest()

    @property
    def copy_key(self) -> str:
        """Return a digest of everything indexed about the article but where it was found.

        Two copies of one article (a file copied, or reached by two links) share it.
        """
        digest = hashlib.blake2b(digest_size=16)
        for name in _HASHED_FIELDS:
            if name not in _PLACE_FIELDS:
                value = getattr(self, name)
                text = value.isoformat() if isinstance(value, dt.date) else str(value)
                digest.update(f"\x00{name}\x00{len(text)}\x00{text}".encode())
        return digest.hexdigest()

    def to_dict(self) -> dict[str, object]:
        """Return the article as JSON-ready data."""
        data = asdict(self)
        data["date"] = self.date.isoformat() if self.date else None
        data["problems"] = list(self.problems)
        data["authors"] = list(self.authors)
        data["content_hash"] = self.content_hash
        return data
