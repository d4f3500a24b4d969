"""Text that arrives from outside (questions, filter values, history, file and CLI names).

Python strings may hold what no UTF-8 encoder accepts: a lone surrogate from JSON
(`"\\ud800"`) or from a non-UTF-8 command-line argument (decoded with surrogateescape).
Such text is refused with a message that names where it was, before it can reach an
embedder, SQLite or a JSON encoder. Control characters are harmless to store but
meaningless in a question; they are replaced by spaces, and invisible format characters
are removed.
"""

from __future__ import annotations

import os
import re

from gremium.errors import InvalidRequest

_SURROGATE = re.compile("[\ud800-\udfff]")
# C0 and C1 controls except tab, newline and carriage return; DEL; the two
# non-characters that only ever come from a wrong decoding: replaced by a space.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
# Invisible format characters (soft hyphen, zero-width spaces and joiners, word joiner,
# byte-order mark): removed, so that "Bun\u00addes" reads "Bundes".
_INVISIBLE = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]")


def surrogate_at(text: str) -> int | None:
    """Index of the first lone surrogate in `text`, or None when it encodes as UTF-8."""
    match = _SURROGATE.search(text)
    return match.start() if match else None


def check_text(text: str, what: str) -> str:
    """`text` with control characters replaced and invisible ones removed; InvalidRequest for
    a lone surrogate."""
    position = surrogate_at(text)
    if position is not None:
        raise InvalidRequest(
            f"the {what} is not valid Unicode text: character {position + 1} is a lone "
            f"surrogate ({text[position]!a}); send the text as UTF-8"
        )
    return _INVISIBLE.sub("", _CONTROL.sub(" ", text))


def fs_name(name: str) -> str:
    """A file name as readable text, also when the file system holds non-UTF-8 bytes.

    Python decodes such names with surrogateescape; the bytes are read as UTF-8 where
    they are valid and as Windows-1252 (what old Windows archives wrote) otherwise.
    """
    if surrogate_at(name) is None:
        return name
    raw = os.fsencode(name)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")
