"""From citation to source, browsing and conversations in headless Chromium (Debian's).

A real server (`api.app.run`, real embedding model) on loopback, with API keys: a copy
of the index the shared test server built from the corpus, in which the special
session's protocol is replaced by a PDF typeset from it, so the original opens at a
page (`#page=N`) and passages are found on PDF page texts. Screenshots are kept in
tests/api/artifacts/.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from api_helpers import (
    ADMIN_KEY,
    ARTIFACTS,
    BROWSER_MARKS,
    KEYS,
    PUBLIC_KEY,
    Server,
    real_corpus,
    start_server,
    stop_server,
    wait_ready,
)

from ingest.pipeline import parse_file
from tests.conftest import SONDERSITZUNG
from tests.ingest.pdf_render import render_protocol

pytestmark = BROWSER_MARKS

PDF_NAME = "2024-06-27_itplr-sondersitzung-delos-cloud_protokoll.pdf"
QUESTION = "Was hat Bayern zur Delos Cloud gesagt?"
FIRST = "Was sagte Niedersachsen in der Sondersitzung zu Microsoft Teams?"
FOLLOW_UP = "Und wie sah Berlin das?"
ANSWER_DONE = (
    "n => [...document.querySelectorAll('.gremium-widget-host')].some(h =>"
    " h.shadowRoot.querySelectorAll('.gw-answer[aria-busy=\"false\"]').length >= n)"
)


def fold(text: str) -> str:
    return re.sub(r"[^0-9a-zäöüß]", "", text.casefold())


@pytest.fixture(scope="module")
def pdf_server(real_server: Server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The corpus index with the special session as a PDF, served with keys."""
    folder = tmp_path_factory.mktemp("sources")
    shutil.copytree(real_server.data_dir, folder / "data")
    server = start_server(
        folder / "data",
        real_corpus(),
        folder / "server.log",
        GREMIUM_API_KEYS=KEYS,
        GREMIUM_ADMIN_KEYS=ADMIN_KEY,
        GREMIUM_RATE_LIMIT_PER_MINUTE="0",
    )
    try:
        wait_ready(server, timeout=60)
        admin = server.client(ADMIN_KEY)
        text_doc = next(
            d
            for d in admin.get("/documents").json()["documents"]
            if d["file"] == SONDERSITZUNG.name
        )
        assert admin.delete(f"/documents/{text_doc['id']}").status_code == 200
        pdf, _ = render_protocol(parse_file(SONDERSITZUNG))
        created = admin.post("/documents", files={"file": (PDF_NAME, pdf)}, params={"wait": 120})
        assert created.status_code == 201, created.text
        server.pdf_id = created.json()["document"]["id"]  # type: ignore[attr-defined]
        yield server
    finally:
        stop_server(server)


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="de-DE")
    tab = context.new_page()
    tab.errors = []
    tab.on("pageerror", lambda exc: tab.errors.append(str(exc)))
    yield tab
    context.close()


def ask(page: Any, question: str, n: int) -> None:
    """Type a question into the widget and wait for the n-th answer to be complete."""
    box = page.get_by_label("Ihre Frage")
    box.fill(question)
    box.press("Enter")
    page.wait_for_function(ANSWER_DONE, arg=n, timeout=60_000)


def active_in_widget(page: Any) -> dict[str, Any]:
    return page.evaluate(
        "() => { const a = document.querySelector('.gremium-widget-host').shadowRoot.activeElement;"
        " return a ? {cls: a.className, text: a.textContent, label: a.getAttribute('aria-label')}"
        " : {}; }"
    )


def shot(page: Any, name: str, **kwargs: Any) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), **kwargs)


def test_a_source_opens_beside_the_answer_with_the_passage_marked(
    page: Any, pdf_server: Server
) -> None:
    page.goto(f"{pdf_server.url}/widget#key={PUBLIC_KEY}")
    ask(page, QUESTION, 1)
    first = page.locator(".gw-citation").first
    assert "Bayern (BY)" in first.inner_text()
    cited = first.locator(".gw-passage p").text_content()
    show = page.get_by_role(
        "button", name=re.compile(r"^Quelle 1 im Dokument zeigen \(Seite \d+\)$")
    )
    number = int(re.search(r"Seite (\d+)", show.get_attribute("aria-label")).group(1))
    show.click()

    panel = page.get_by_role("dialog", name="Quelle [1]")
    panel.wait_for()
    assert active_in_widget(page)["cls"] == "gw-source-title"  # focus moved into the panel
    mark = panel.locator("mark").first
    mark.wait_for(timeout=15_000)
    marked = "".join(panel.locator("mark").all_text_contents())
    assert len(fold(marked)) > 40 and fold(marked) in fold(cited)
    status = panel.locator(".gw-source-status").inner_text()
    assert status.startswith(f"Seite {number} von ") and "markiert" in status
    # the passage is scrolled into the panel's view
    view = panel.locator(".gw-page").bounding_box()
    box = mark.bounding_box()
    assert view["y"] <= box["y"] and box["y"] + 10 <= view["y"] + view["height"]
    original = panel.get_by_role("link", name=f"Original öffnen (PDF, Seite {number})")
    href = original.get_attribute("href")
    assert href == f"{pdf_server.url}/documents/{pdf_server.pdf_id}/file#page={number}"  # type: ignore[attr-defined]
    shot(page, "widget-source.png")

    # with a key, the original is fetched with it and opened at the page
    with page.context.expect_page() as opened:
        original.click()
    popup = opened.value
    popup.wait_for_url(re.compile(r"^blob:"), timeout=15_000)
    assert popup.url.endswith(f"#page={number}")
    popup.close()

    panel.get_by_role("button", name="Nächste Seite ›").click()
    page.wait_for_function(
        "n => document.querySelector('.gremium-widget-host').shadowRoot"
        ".querySelector('.gw-source-status').textContent.startsWith('Seite ' + n + ' von')",
        arg=number + 1,
    )
    assert (
        panel.get_by_role("link")
        .filter(has_text="Original öffnen")
        .get_attribute("href")
        .endswith(f"#page={number + 1}")
    )

    page.keyboard.press("Escape")
    assert panel.is_hidden()
    assert active_in_widget(page)["label"] == show.get_attribute("aria-label")  # focus returns
    assert not page.errors, page.errors


def test_browse_sessions_then_a_session_then_a_speaker(page: Any, pdf_server: Server) -> None:
    page.goto(f"{pdf_server.url}/browse#key={PUBLIC_KEY}")
    page.get_by_role("heading", name="Sitzungen und Beteiligte").wait_for()
    cards = page.locator(".gb-card")
    assert cards.count() == 2
    assert cards.nth(0).get_by_role("link").inner_text() == "47. Sitzung am 26.06.2025"
    page.get_by_text("Beschluss B-2025/26-IT").wait_for()  # agenda items with their decisions
    assert "Ort\nSchwerin" in cards.nth(0).inner_text()
    assert page.get_by_role("link", name="Bayern (BY)").is_visible()
    shot(page, "browse-sessions.png", full_page=True)

    page.get_by_role("link", name="Sondersitzung am 27.06.2024").click()
    page.get_by_role("heading", name="Sondersitzung am 27.06.2024", level=1).wait_for()
    assert "session=2024-06-27-sonder" in page.url and page.url.endswith(f"#key={PUBLIC_KEY}")
    page.get_by_role("heading", name="TOP 01 Delos Cloud").wait_for()
    assert "Wortmeldungen:" in page.locator(".gb-spoke").inner_text()
    documents = page.locator(".gb-documents")
    assert "Sondersitzung des IT-Planungsrats" in documents.inner_text()
    assert (
        documents.get_by_role("link")
        .get_attribute("href")
        .endswith(
            f"/documents/{pdf_server.pdf_id}/file"  # type: ignore[attr-defined]
        )
    )
    note = page.locator(".gb-role-protocol_note").first
    assert "Multi-Cloud-Ansatz" in note.inner_text()
    assert re.search(
        r"#page=\d+$", note.get_by_role("link", name=re.compile(r"^S\. ")).get_attribute("href")
    )
    shot(page, "browse-session.png", full_page=True)

    page.locator(".gb-spoke").get_by_role("link", name="Bayern (BY)").click()
    page.get_by_role("heading", name="Bayern (BY)", level=1).wait_for()
    sessions = page.locator(".gb-item > h3").all_inner_texts()
    assert sessions == ["47. Sitzung am 26.06.2025", "Sondersitzung am 27.06.2024"]  # newest first
    page.get_by_label("Thema", exact=True).fill("Cloud")
    page.get_by_role("button", name="Anzeigen").click()
    timeline = page.get_by_role("list", name="Aussagen, älteste zuerst")
    timeline.wait_for(timeout=30_000)
    assert "Sondersitzung am 27.06.2024" in timeline.inner_text()
    assert "Multi-Cloud-Ansatz" in timeline.inner_text()
    assert "Cybersicherheit" not in timeline.inner_text()
    shot(page, "browse-speaker.png", full_page=True)
    assert not page.errors, page.errors


def test_the_widget_sends_its_conversation_and_starts_afresh(page: Any, pdf_server: Server) -> None:
    bodies: list[dict[str, Any]] = []
    page.on(
        "request",
        lambda request: (
            bodies.append(request.post_data_json)
            if request.url.endswith("/ask") and request.method == "POST"
            else None
        ),
    )
    page.goto(f"{pdf_server.url}/widget#key={PUBLIC_KEY}")
    ask(page, FIRST, 1)
    first_answer = page.locator(".gw-answer").nth(0).inner_text()
    ask(page, FOLLOW_UP, 2)
    assert "history" not in bodies[0]
    history = bodies[1]["history"]
    assert [turn["role"] for turn in history] == ["user", "assistant"]
    assert history[0]["content"] == FIRST
    assert fold(history[1]["content"]) == fold(first_answer)
    second = page.locator(".gw-entry").nth(1)
    assert second.locator(".gw-citation").count() >= 1
    assert second.locator(".gw-speaker").first.inner_text()  # the cited speaker is shown

    page.get_by_role("button", name="Neue Unterhaltung").click()
    assert page.locator(".gw-entry").count() == 0
    assert page.locator(".gw-status").inner_text() == "Neue Unterhaltung begonnen."
    assert active_in_widget(page)["cls"] == "gw-input"

    # how a follow-up was read is shown above its answer
    reading = "Was sagte Berlin in der Sondersitzung am 27.06.2024 zu Microsoft Teams?"

    def with_reading(route: Any) -> None:
        response = route.fetch()
        events = []
        for block in response.text().strip().split("\n\n"):
            name, _, data = block.partition("\ndata: ")
            payload = json.loads(data)
            if name in ("event: meta", "event: done"):
                payload["interpreted_as"] = reading
            events.append(f"{name}\ndata: {json.dumps(payload, ensure_ascii=False)}\n\n")
        route.fulfill(response=response, body="".join(events))

    page.route("**/ask", with_reading)
    ask(page, FOLLOW_UP, 1)
    assert "history" not in bodies[-1]  # the new conversation starts without the old one
    entry = page.locator(".gw-entry").first
    assert entry.locator(".gw-interpreted").inner_text() == f"Verstanden als: {reading}"
    order = entry.evaluate("e => [...e.children].map(c => c.className.split(' ')[0])")
    assert order.index("gw-interpreted") < order.index("gw-answer")
    shot(page, "widget-conversation.png")
    assert not page.errors, page.errors


def test_a_follow_up_cites_the_speaker_it_asks_about(page: Any, pdf_server: Server) -> None:
    page.goto(f"{pdf_server.url}/widget#key={PUBLIC_KEY}")
    ask(page, FIRST, 1)
    assert (
        "Niedersachsen (NI)"
        in page.locator(".gw-entry").nth(0).locator(".gw-citation").first.inner_text()
    )
    ask(page, FOLLOW_UP, 2)
    shot(page, "widget-follow-up.png")
    entry = page.locator(".gw-entry").nth(1)
    cited = entry.locator(".gw-citation").first.inner_text()
    assert "Berlin (BE)" in cited and "Sondersitzung am 27.06.2024" in cited
    assert "Verstanden als" in entry.inner_text()


def test_real_model_statements_and_pages_over_http(pdf_server: Server) -> None:
    """The statements endpoint and page highlights with the real embedding model."""
    with httpx.Client(base_url=pdf_server.url, headers={"X-API-Key": PUBLIC_KEY}, timeout=60) as c:
        body = c.get("/speakers/BY/statements", params={"topic": "Cloud"}).json()
        assert [s["session"]["id"] for s in body["sessions"]] == ["2024-06-27-sonder"]
        texts = [x["text"] for s in body["sessions"] for x in s["citations"]]
        assert any("Multi-Cloud-Ansatz" in t for t in texts)
        security = c.get("/speakers/BY/statements", params={"topic": "Cybersicherheit"}).json()
        assert [s["session"]["id"] for s in security["sessions"]] == ["2025-06-26-47"]
        citation = body["sessions"][0]["citations"][0]
        assert citation["document"]["id"] == pdf_server.pdf_id  # type: ignore[attr-defined]
        page = c.get(citation["url"], params={"chunk": citation["chunk_id"]}).json()
        marked = "".join(page["text"][h["start"] : h["end"]] for h in page["highlights"])
        assert fold(marked) and fold(marked) in fold(citation["text"])
        original = c.get(f"/documents/{pdf_server.pdf_id}/file")  # type: ignore[attr-defined]
        assert original.headers["content-type"] == "application/pdf"
        assert original.content.startswith(b"%PDF-")


def test_the_floating_widget_opens_sources_beside_the_chat(page: Any, pdf_server: Server) -> None:
    """On the browse page the widget floats; Escape closes the source first, then the chat."""
    page.goto(f"{pdf_server.url}/browse#key={PUBLIC_KEY}")
    page.get_by_role("button", name="Fragen an Gremium").click()
    ask(page, QUESTION, 1)
    page.locator(".gw-open").first.press("Enter")
    panel = page.get_by_role("dialog", name="Quelle [1]")
    panel.locator("mark").first.wait_for(timeout=15_000)
    source, chat = panel.bounding_box(), page.locator(".gw-panel").bounding_box()
    assert source["x"] + source["width"] <= chat["x"], "the source covers the chat"
    page.keyboard.press("Escape")
    assert panel.is_hidden() and page.locator(".gw-panel").is_visible()
    assert active_in_widget(page)["cls"] == "gw-open"
    page.keyboard.press("Escape")
    assert page.locator(".gw-panel").is_hidden()
    assert not page.errors, page.errors
