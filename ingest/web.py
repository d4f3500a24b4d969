"""Web pages: the site around a record's content, which is no part of the record.

A page of the council's web site wraps each record in the site's header and menu, a
breadcrumb ("Startseite › Entscheidungen › …"), "nach oben" links and a footer
("Impressum | Datenschutz | …", "© 2024 …"). In HTML the page's structure says what is
content (`<main>`; `<nav>`, `<aside>`, `<footer>` and a header holding the menu are
not); in text saved from a page, and in HTML without that structure, the furniture is
known by its lines: a breadcrumb, a link back to the top, a menu of short items, a
copyright line.
"""

from __future__ import annotations

import re

_MAIN = re.compile(r"<main\b[^>]*>(.*)</main>", re.IGNORECASE | re.DOTALL)
_SITE_PARTS = re.compile(
    r"<(nav|aside|footer|noscript|form|button|template)\b[^>]*>.*?</\1\s*>",
    re.IGNORECASE | re.DOTALL,
)
_HEADER = re.compile(r"<header\b[^>]*>(.*?)</header\s*>", re.IGNORECASE | re.DOTALL)

_BREADCRUMB = re.compile(
    r"^(?:Sie\s+sind\s+hier\s*:?\s*)?(?:Startseite|Home|Start)\s*(?:[›»>/|]\s*[^›»>/|]{1,80}){1,8}$",
    re.IGNORECASE,
)
_TO_TOP = re.compile(
    r"^[↑▲^⬆]?\s*(?:(?:zurück\s+)?nach\s+oben|zum\s+Seitenanfang|Seitenanfang|top)\s*[↑▲^⬆]?$",
    re.IGNORECASE,
)
_COPYRIGHT = re.compile(r"^(?:©|\(c\)|Copyright\b)\s*(?:\d{4}\b)?", re.IGNORECASE)
_MENU_SEPARATOR = re.compile(r"\s+[|·•]\s+")


def content_html(page: str) -> str:
    """The part of an HTML page that holds its content: `<main>` where the page has one,
    else the body without the site's menus, asides and footer."""
    body = _MAIN.search(page)
    text = body.group(1) if body else page
    text = _HEADER.sub(lambda m: "" if re.search(r"<nav\b", m[1], re.I) else m[0], text)
    return _SITE_PARTS.sub("\n", text)


def is_site_furniture(line: str) -> bool:
    """A line of the site, not of the record: breadcrumb, "nach oben", menu, copyright."""
    text = line.strip()
    if not text or len(text) > 200:
        return False
    if _BREADCRUMB.match(text) or _TO_TOP.match(text) or _COPYRIGHT.match(text):
        return True
    items = _MENU_SEPARATOR.split(text)
    return len(items) >= 3 and all(_is_menu_item(item) for item in items)


def _is_menu_item(item: str) -> bool:
    """ "Impressum", "Der IT-Planungsrat", "Leichte Sprache": a short link text."""
    words = item.split()
    return 1 <= len(words) <= 4 and item[:1].isupper() and not re.search(r"[\d:.,;!?]", item)


def strip_site_furniture(pages: list[str]) -> list[str]:
    """Pages without the lines of the site around the record."""
    return ["\n".join(ln for ln in page.split("\n") if not is_site_furniture(ln)) for page in pages]
