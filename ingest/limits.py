"""How much one file may hold: pages, characters of text, passages.

A small file can expand enormously (a PDF of 2000 pages sharing one content stream, a
20 MB text on one line); without limits it ties up the writer for hours and the index
for good. Loaders check pages and characters as they go, so that extraction stops at
the limit rather than after it; the pipeline checks passages after chunking.
"""

from __future__ import annotations

from dataclasses import dataclass

from gremium.errors import TooManyChunks, TooManyPages, TooMuchText


@dataclass(frozen=True)
class ParseLimits:
    """None: no limit (the default for library use; the service passes its settings)."""

    max_pages: int | None = None
    max_chars: int | None = None
    max_chunks: int | None = None

    def check_pages(self, pages: int, name: str) -> None:
        if self.max_pages is not None and pages > self.max_pages:
            raise TooManyPages(
                f"{name} has {pages} pages; at most {self.max_pages} are accepted "
                "(GREMIUM_MAX_PAGES): split the document"
            )

    def check_chars(self, chars: int, name: str, *, partial: bool = False) -> None:
        if self.max_chars is not None and chars > self.max_chars:
            count = f"more than {self.max_chars}" if partial else str(chars)
            raise TooMuchText(
                f"{name} holds {count} characters of text; at most {self.max_chars} are "
                "accepted (GREMIUM_MAX_DOCUMENT_CHARS): split the document"
            )

    def check_chunks(self, chunks: int, name: str) -> None:
        if self.max_chunks is not None and chunks > self.max_chunks:
            raise TooManyChunks(
                f"{name} would become {chunks} passages; at most {self.max_chunks} are "
                "accepted (GREMIUM_MAX_CHUNKS_PER_DOCUMENT): split the document"
            )


NO_LIMITS = ParseLimits()
