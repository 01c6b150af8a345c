"""Text -> :class:`Quote`: quotation marks, kinds, cues and speakers.

``extract`` pairs quotation marks and attributes each quote; ``speakers``
finds and resolves the people named around them and folds their names.
Pure functions of text: nothing here knows about Whoosh or the index.
"""

from __future__ import annotations

from searchkit.quotes.extract import Quote, extract_quotes, fold_name

__all__ = ["Quote", "extract_quotes", "fold_name"]
