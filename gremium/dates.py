"""Dates as the records and the questions write them: "26.06.2025", "26. Juni 2025".

Shared by ingest (the meeting date of a protocol) and the answer step (the date a
question restricts to), so both read the same forms the same way.
"""

from __future__ import annotations

import re

MONTHS = {
    "januar": 1, "jänner": 1, "january": 1, "februar": 2, "february": 2, "märz": 3,
    "maerz": 3, "march": 3, "april": 4, "mai": 5, "may": 5, "juni": 6, "june": 6,
    "juli": 7, "july": 7, "august": 8, "september": 9, "oktober": 10, "october": 10,
    "november": 11, "dezember": 12, "december": 12,
}  # fmt: skip
MONTH_PATTERN = "|".join(sorted(MONTHS, key=len, reverse=True))

NUMERIC_DATE = re.compile(r"\b(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})\b")
WORD_DATE = re.compile(rf"\b(\d{{1,2}})\.?\s*({MONTH_PATTERN})\s+(\d{{4}})\b", re.IGNORECASE)


def iso_date(day: int, month: int, year: int) -> str | None:
    """The ISO form of a day, or None when it cannot be one."""
    if 1 <= day <= 31 and 1 <= month <= 12:
        return f"{year:04d}-{month:02d}-{day:02d}"
    return None


def dates(text: str) -> list[tuple[int, str]]:
    """Every date in text as (offset, ISO date), in order."""
    found: list[tuple[int, str]] = []
    for m in NUMERIC_DATE.finditer(text):
        if iso := iso_date(int(m[1]), int(m[2]), int(m[3])):
            found.append((m.start(), iso))
    for m in WORD_DATE.finditer(text):
        if iso := iso_date(int(m[1]), MONTHS[m[2].casefold()], int(m[3])):
            found.append((m.start(), iso))
    return sorted(found)
