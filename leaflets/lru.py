"""One bounded least-recently-used mapping, for the caches that are not plain function results.

Font sets keep memos of written text and font subsets in it, the deck code its itemized
paragraphs, parsed templates and font runs, and an engine its remembered layout choices: one
class, so every such cache is bounded, thread-safe and counted the same way.  (Function results
use :func:`functools.lru_cache` through :meth:`FontSet.cached
<leaflets.render.fontset.FontSet.cached>`.)  Standard library only: the engine imports it at
start-up.
"""

from __future__ import annotations

import threading
from collections import OrderedDict


class Memo:
    """A least-recently-used mapping of at most ``bound`` entries, safe to share between
    threads (each step under its own lock); ``hits`` and ``misses`` count :meth:`get`."""

    def __init__(self, bound: int):
        self.bound = bound
        self._entries: OrderedDict = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key):
        """The value kept for ``key`` (now the most recently used), or None."""
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                self.misses += 1
            else:
                self.hits += 1
                self._entries.move_to_end(key)
            return found

    def put(self, key, value) -> None:
        """Keep ``value`` for ``key``, dropping the least recently used beyond the bound."""
        self._keep(key, value, replace=True)

    def keep(self, key, value):
        """The value kept for ``key``: the one already there (another thread made it meanwhile), else
        ``value``, now kept; either way the most recently used.  Callers that share what they keep
        use this, so two threads end up with one object."""
        return self._keep(key, value, replace=False)

    def _keep(self, key, value, replace: bool):
        with self._lock:
            if replace:
                self._entries[key] = value
            else:
                value = self._entries.setdefault(key, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.bound:
                self._entries.popitem(last=False)
            return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
