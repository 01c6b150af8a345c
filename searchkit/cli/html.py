"""``--format html``: a standalone, styled page of hits or quotes, everything escaped."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from searchkit.cli.escape import printable, quoted
from searchkit.cli.render import collapsed_summary, copy_text, counted

if TYPE_CHECKING:
    from searchkit.search.articles import Results
    from searchkit.search.quotes import QuoteResults
    from searchkit.search.snippets import Snippet

__all__ = ["hits_html", "html_page", "quotes_html"]


def _html(text: str) -> str:
    """Return text escaped for HTML, control characters shown as in :func:`printable`."""
    return html.escape(printable(text))


def _escaped_marks(snippet: Snippet) -> str:
    out, last = [], 0
    in_quotes = set(snippet.quoted)
    for start, end in snippet.highlights:
        css = "quoted-match" if (start, end) in in_quotes else "match"
        out += [
            _html(snippet.text[last:start]),
            f'<mark class="{css}">{_html(snippet.text[start:end])}</mark>',
        ]
        last = end
    out.append(_html(snippet.text[last:]))
    return "".join(out)


def hits_html(results: Results) -> str:
    """Render article hits as a safe HTML fragment: all article text is escaped."""
    e = _html
    items = []
    for hit in results:
        facts = " · ".join(
            e(x)
            for x in (
                hit.source or "unknown outlet",
                str(hit.date or "undated"),
                hit.dateline or "",
            )
            if x
        )
        if hit.url and hit.url.lower().startswith(("http://", "https://")):
            facts += f' · <a class="url" href="{e(hit.url)}">{e(hit.url)}</a>'
        elif hit.url:
            facts += f" · {e(hit.url)}"

        items.append(
            f'  <li data-id="{e(hit.id)}">\n'
            f'    <h3 class="title">{e(hit.title)}</h3>\n'
            f'    <p class="meta">{facts}</p>\n'
            f'    <p class="snippet">{_escaped_marks(hit.snippet)}</p>\n'
            + (
                f'    <p class="copies">also printed as: '
                f"{e('; '.join(copy_text(c.to_dict()) for c in hit.copies))}</p>\n"
                if hit.copies
                else ""
            )
            + "  </li>"
        )
    summary = f"{counted(results.total, 'article')} {quoted(results.query)}"
    summary += collapsed_summary(results)
    header = f'<p class="summary">{e(summary)}</p>'
    return header + '\n<ol class="searchkit-hits">\n' + "\n".join(items) + "\n</ol>\n"


#: The page's only styling; its Content-Security-Policy allows no script and no
#: request at all, so even a crafted article could not make it fetch or run anything.
_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font: 16px/1.5 system-ui, sans-serif; max-width: 50rem; margin: 2rem auto;
        padding: 0 1rem; color: #222; background: #fff; }}
h1 {{ font-size: 1.3rem; }}
ol {{ padding-left: 1.5rem; }}
li {{ margin-bottom: 1.2rem; }}
.title {{ font-size: 1.05rem; margin: 0; }}
.meta, .summary {{ color: #555; font-size: 0.9rem; margin: 0.2rem 0; }}
mark {{ background: #ffe58a; }}
mark.quoted-match {{ background: #bfe3ff; }}
blockquote {{ margin: 0; font-style: italic; }}
</style>
</head>
<body>
<h1>{title}</h1>
{body}</body>
</html>
"""


def html_page(title: str, body: str) -> str:
    """Wrap an escaped HTML fragment in a standalone, styled page that runs and loads nothing."""
    return _PAGE.format(title=_html(title), body=body)


def quotes_html(results: QuoteResults) -> str:
    """Render quote hits as a safe HTML fragment."""
    e = _html
    items = []
    for hit in results:
        who = e(hit.speaker or "unattributed")
        items.append(
            f'  <li data-article="{e(hit.article_id)}">\n'
            f"    <blockquote>{_escaped_marks(hit.snippet)}</blockquote>\n"
            f'    <p class="meta">{who}, {e(hit.source or "unknown outlet")}, '
            f"{e(str(hit.date or 'undated'))} — {e(hit.title)}</p>\n"
            "  </li>"
        )
    return '<ol class="searchkit-quotes">\n' + "\n".join(items) + "\n</ol>\n"
