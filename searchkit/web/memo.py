"""The index's answers, kept while it is served."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, ParamSpec, TypeVar, cast

__all__ = ["REMEMBER", "Remembered"]

P = ParamSpec("P")
T = TypeVar("T")

#: Answers of the index kept for pages asked again.
REMEMBER = 256


class Remembered:
    """The index's latest answers, kept: the index does not change while it is served.

    Going back, paging and clicking facets then asks the library nothing new;
    the least recently used answer goes first.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self.answers: OrderedDict[Hashable, Any] = OrderedDict()

    def __call__(self, method: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        if not self.size:
            return method(*args, **kwargs)
        key = (method.__name__, args, tuple(sorted(kwargs.items())))
        if key in self.answers:
            self.answers.move_to_end(key)
        else:
            self.answers[key] = method(*args, **kwargs)
            if len(self.answers) > self.size:
                self.answers.popitem(last=False)
        return cast(T, self.answers[key])
