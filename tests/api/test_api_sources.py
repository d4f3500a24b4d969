"""Where citations lead, and browsing: pages, originals, sessions, speakers, statements.

In process (`TestClient`) with the fake embedder over the repository's corpus, so the
sessions have real agenda items, decisions and speakers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from api_helpers import UPLOAD_LINES, make_pdf
from fastapi.testclient import TestClient

from api.app import create_app
from api.routes.sources import content_disposition
from gremium.settings import Settings
from gremium.types import Document, Session
from index.testing import make_protocol
from tests.conftest import CORPUS, SITZUNG_47, SONDERSITZUNG

QUESTION = "Was hat Bayern zur Delos Cloud gesagt?"


def fold(text: str) -> str:
    return re.sub(r"[^0-9a-zäöüß]", "", text.casefold())


@pytest.fixture(scope="module")
def corpus_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    settings = Settings(
        embedder="fake",
        data_dir=tmp_path_factory.mktemp("data"),
        corpus_dir=CORPUS,
        rate_limit_per_minute=0,
    )
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        assert client.app.state.gremium.wait_ready(120)  # type: ignore[attr-defined]
        yield client


def document_id(client: TestClient, file: str) -> str:
    docs = client.get("/documents").json()["documents"]
    return next(d["id"] for d in docs if d["file"] == file)


# -- citations lead to pages -------------------------------------------------------------------


def test_every_citation_leads_to_its_page_with_the_passage_marked(
    corpus_client: TestClient,
) -> None:
    answer = corpus_client.post("/ask", json={"question": QUESTION}).json()
    hits = corpus_client.get("/search", params={"q": "Cloud", "k": 20}).json()["hits"]
    citations = answer["citations"] + hits
    assert len(citations) > 10
    for citation in citations:
        doc_id, page = citation["document"]["id"], citation["page"]
        assert citation["url"] == f"/documents/{doc_id}/pages/{page}"
        response = corpus_client.get(citation["url"], params={"chunk": citation["chunk_id"]})
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["page"] == page and body["document"]["id"] == doc_id
        assert body["file_url"] == f"/documents/{doc_id}/file"
        assert body["highlights"], citation["text"][:80]
        marked = "".join(body["text"][h["start"] : h["end"]] for h in body["highlights"])
        # what is marked is the passage (its part on this page), nothing else
        assert fold(marked) in fold(citation["text"])
        if citation["pages"] == [page]:
            assert len(fold(marked)) >= 0.85 * len(fold(citation["text"]))


def test_a_page_without_chunk_has_no_highlights_and_reads_like_the_page(
    corpus_client: TestClient,
) -> None:
    doc_id = document_id(corpus_client, SONDERSITZUNG.name)
    body = corpus_client.get(f"/documents/{doc_id}/pages/3").json()
    assert body["highlights"] == []
    assert body["document"]["pages"] == 6 and body["document"]["file"] == SONDERSITZUNG.name
    assert "NW:" in body["text"] and "Spricht sich gegen eine Beschlussfassung aus." in body["text"]
    assert "\n\n\n" not in body["text"]  # the export's double spacing is undone


def test_pages_out_of_range_and_foreign_chunks_are_refused(corpus_client: TestClient) -> None:
    doc_id = document_id(corpus_client, SONDERSITZUNG.name)
    other = document_id(corpus_client, SITZUNG_47.name)
    other_chunk = corpus_client.get(
        "/search", params={"q": "Cybersicherheit", "document_id": other, "k": 1}
    ).json()["hits"][0]["chunk_id"]
    for path, status in [
        (f"/documents/{doc_id}/pages/7", 404),
        (f"/documents/{doc_id}/pages/0", 422),
        (f"/documents/{doc_id}/pages/x", 422),
        ("/documents/0000000000000000/pages/1", 404),
        (f"/documents/{doc_id}/pages/1?chunk={other_chunk}", 422),
        (f"/documents/{doc_id}/pages/1?chunk=nope", 422),
    ]:
        response = corpus_client.get(path)
        assert response.status_code == status, (path, response.text)
        assert response.json()["error"]["message"]
    assert (
        "pages 1 to 6"
        in corpus_client.get(f"/documents/{doc_id}/pages/7").json()["error"]["message"]
    )


# -- originals ---------------------------------------------------------------------------------


def test_the_original_text_file_is_served_as_is_and_safely(corpus_client: TestClient) -> None:
    doc_id = document_id(corpus_client, SONDERSITZUNG.name)
    response = corpus_client.get(f"/documents/{doc_id}/file")
    assert response.status_code == 200
    assert response.content == SONDERSITZUNG.read_bytes()
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["content-security-policy"].startswith("sandbox")
    assert response.headers["content-disposition"].startswith(
        f'inline; filename="{SONDERSITZUNG.name}"'
    )
    download = corpus_client.get(f"/documents/{doc_id}/file", params={"download": "true"})
    assert download.headers["content-disposition"].startswith("attachment;")
    assert corpus_client.get("/documents/0000000000000000/file").status_code == 404


def test_an_uploaded_pdf_is_served_as_pdf_and_its_pages_are_readable(
    make_client: Callable[..., TestClient],
) -> None:
    client = make_client()
    pdf = make_pdf(UPLOAD_LINES)
    created = client.post("/documents", files={"file": ("Zwerge 2024 „neu“.pdf", pdf)})
    assert created.status_code == 201, created.text
    doc_id = created.json()["document"]["id"]
    response = client.get(f"/documents/{doc_id}/file")
    assert response.content == pdf
    assert response.headers["content-type"] == "application/pdf"
    assert "content-security-policy" not in response.headers  # the PDF viewer needs scripts
    disposition = response.headers["content-disposition"]
    assert disposition.startswith('inline; filename="Zwerge 2024 neu.pdf"')
    assert "filename*=UTF-8''Zwerge%202024%20%E2%80%9Eneu%E2%80%9C.pdf" in disposition
    page = client.get(f"/documents/{doc_id}/pages/1").json()
    assert "Zwergplanetenregister" in page["text"]
    hit = client.get("/search", params={"q": "Zwergplanetenregister Pluto", "k": 1}).json()["hits"][
        0
    ]
    marked = client.get(hit["url"], params={"chunk": hit["chunk_id"]}).json()
    assert marked["highlights"]


@pytest.mark.parametrize(
    ("name", "ascii_name"),
    [
        ("protokoll.pdf", "protokoll.pdf"),
        ('a"b.pdf', "a_b.pdf"),
        ("evil\r\nSet-Cookie: x=1.txt", "evil_Set-Cookie_ x_1.txt"),
        ("../../etc/passwd", "passwd"),
        ("Sitzung; attachment.html", "Sitzung_ attachment.html"),
        ("Übersicht ä.md", "Ubersicht a.md"),
        ("漢字.pdf", "dokument.pdf"),
        ("", "dokument"),
    ],
)
def test_download_names_cannot_break_the_header(name: str, ascii_name: str) -> None:
    header = content_disposition("inline", name)
    assert header.startswith(f"inline; filename=\"{ascii_name}\"; filename*=UTF-8''")
    assert "\r" not in header and "\n" not in header
    assert header.count('"') == 2 and header.count(";") == 2


# -- sessions and speakers ---------------------------------------------------------------------


def test_session_lists_agenda_items_in_record_order_with_decisions_and_speakers(
    corpus_client: TestClient,
) -> None:
    listed = corpus_client.get("/sessions").json()["sessions"]
    assert [s["id"] for s in listed][:2] == ["2025-06-26-47", "2024-06-27-sonder"]
    assert all(s["url"] == f"/sessions/{s['id']}" for s in listed)
    body = corpus_client.get("/sessions/2025-06-26-47").json()
    assert body["session"]["label"] == "47. Sitzung am 26.06.2025"
    assert body["session"]["place"] == "Schwerin"
    numbers = [i["agenda_item"]["number"] for i in body["agenda_items"] if i["agenda_item"]]
    # the record's order: TOP 10 was brought forward, the Grüne Liste follows the areas
    assert numbers.index("00") < numbers.index("10") < numbers.index("08") < numbers.index("18")
    by_number = {i["agenda_item"]["number"]: i for i in body["agenda_items"] if i["agenda_item"]}
    decisions = [d["decision"] for d in by_number["08"]["decisions"]]
    assert decisions == ["B-2025/26-IT"]
    [decision] = by_number["18"]["decisions"]
    assert decision["label"] == "Beschluss B-2025/30-IT"
    assert "40.700,00 Euro" in " ".join(p["text"] for p in decision["passages"])
    # a long decision split into several passages is still one decision
    assert [d["decision"] for d in by_number["12"]["decisions"]] == ["B-2025/27-IT"]
    assert len(by_number["12"]["decisions"][0]["passages"]) > 1
    assert {s["code"] for s in by_number["10"]["speakers"]} >= {"BSI", "HE", "BY", "NI"}
    assert {s["code"] for s in body["speakers"]} >= {"MV", "HH", "BSI", "BY", "BE"}
    [document] = body["documents"]
    assert document["file"] == SITZUNG_47.name and document["file_url"].endswith("/file")
    passage = by_number["10"]["passages"][0]
    assert passage["url"] == f"/documents/{document['id']}/pages/{passage['page']}"
    assert "score" not in passage
    assert corpus_client.get("/sessions/1999-01-01-3").status_code == 404


def test_sessions_show_attendance_where_the_record_lists_it(
    make_client: Callable[..., TestClient],
) -> None:
    client = make_client()
    index = client.app.state.gremium.service.index  # type: ignore[attr-defined]
    doc, chunks = make_protocol(
        48, "2025-11-20", [("BY", "01", "Cloud", "Bayern begrüßt die Cloud-Strategie.")]
    )
    assert doc.session is not None
    session = Session(
        **{**doc.session.__dict__, "participants": ("BY", "HE"), "absentees": ("SL",)}
    )
    index.upsert([(Document(**{**doc.__dict__, "session": session}), chunks)])
    listed = {s["id"]: s for s in client.get("/sessions").json()["sessions"]}
    assert listed["2025-11-20-48"]["participants"] == ["BY", "HE"]
    assert listed["2025-11-20-48"]["absentees"] == ["SL"]
    assert "participants" not in listed["2025-06-26-47"]  # not listed by that record
    detail = client.get("/sessions/2025-11-20-48").json()["session"]
    assert detail["participants"] == ["BY", "HE"] and detail["absentees"] == ["SL"]


def test_speaker_page_groups_by_session_newest_first_and_by_agenda_item(
    corpus_client: TestClient,
) -> None:
    listed = corpus_client.get("/speakers").json()["speakers"]
    assert all(s["url"] == f"/speakers/{s['code']}" for s in listed)
    body = corpus_client.get("/speakers/Bayern").json()  # names work as well as codes
    assert body["speaker"]["code"] == "BY" and body["speaker"]["passages"] >= 3
    sessions = [s["session"]["id"] for s in body["sessions"]]
    assert sessions == ["2025-06-26-47", "2024-06-27-sonder"]
    sonder = body["sessions"][1]["agenda_items"]
    assert [i["agenda_item"]["number"] for i in sonder] == ["01"]
    texts = [p["text"] for p in sonder[0]["passages"]]
    assert texts[0].startswith("Protokollnotiz (Bayern)")  # record order within the TOP
    assert all(p["speaker"]["code"] == "BY" for i in sonder for p in i["passages"])
    paged = corpus_client.get("/speakers/BY", params={"limit": 1, "offset": 1}).json()
    assert paged["total_sessions"] == 2
    assert [s["session"]["id"] for s in paged["sessions"]] == ["2024-06-27-sonder"]
    assert corpus_client.get("/speakers/Atlantis").status_code == 404
    assert corpus_client.get("/speakers/BY", params={"limit": 0}).status_code == 422


def statement_texts(body: dict[str, Any]) -> list[str]:
    return [c["text"] for s in body["sessions"] for c in s["citations"]]


def test_statements_on_a_topic_by_session_oldest_first_each_cited(
    corpus_client: TestClient,
) -> None:
    body = corpus_client.get("/speakers/HH/statements", params={"topic": "NOOTS"}).json()
    assert body["speaker"]["code"] == "HH" and body["topic"] == "NOOTS"
    dates = [s["session"]["date"] for s in body["sessions"]]
    assert dates == sorted(dates) and dates
    numbers = [c["n"] for s in body["sessions"] for c in s["citations"]]
    assert numbers == list(range(1, body["count"] + 1))
    for session in body["sessions"]:
        for citation in session["citations"]:
            assert citation["speaker"]["code"] == "HH"
            assert citation["session"]["id"] == session["session"]["id"]
            assert citation["url"].startswith(f"/documents/{citation['document']['id']}/pages/")
    assert any("NOOTS" in text for text in statement_texts(body))
    # what the speaker said about other things is not a statement on this topic
    assert not any("Klausurtagung" in text for text in statement_texts(body))


def test_statements_on_an_unknown_topic_are_none_and_bad_input_is_refused(
    corpus_client: TestClient,
) -> None:
    empty = corpus_client.get("/speakers/BY/statements", params={"topic": "Zwergplaneten"})
    assert empty.status_code == 200 and empty.json()["count"] == 0
    assert corpus_client.get("/speakers/BY/statements").status_code == 422
    assert corpus_client.get("/speakers/BY/statements", params={"topic": ""}).status_code == 422
    assert (
        corpus_client.get("/speakers/Atlantis/statements", params={"topic": "Cloud"}).status_code
        == 404
    )


# -- the conversation field and the pages served ------------------------------------------------


def test_ask_accepts_a_conversation_as_history(corpus_client: TestClient) -> None:
    history = [
        {"role": "user", "content": "Was sagte Niedersachsen zu Microsoft Teams?"},
        {"role": "assistant", "content": "In der Sondersitzung am 27.06.2024 … [1]"},
    ]
    ok = corpus_client.post(
        "/ask", json={"question": "Und wie sah Berlin das?", "history": history}
    )
    assert ok.status_code == 200, ok.text
    bad = corpus_client.post(
        "/ask",
        json={"question": "Und Berlin?", "history": [{"role": "system", "content": "x"}]},
    )
    assert bad.status_code == 422


@pytest.mark.parametrize(
    ("path", "kind"),
    [("/browse", "text/html"), ("/browse.js", "text/javascript"), ("/browse.css", "text/css")],
)
def test_browse_page_is_served(corpus_client: TestClient, path: str, kind: str) -> None:
    response = corpus_client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(kind)


def test_openapi_documents_the_new_endpoints(corpus_client: TestClient) -> None:
    paths = corpus_client.get("/openapi.json").json()["paths"]
    for path in (
        "/documents/{document_id}/file",
        "/documents/{document_id}/pages/{page}",
        "/sessions/{session_id}",
        "/speakers/{code}",
        "/speakers/{code}/statements",
    ):
        assert "get" in paths[path], path


def test_corpus_files_here_are_the_ones_in_the_index(corpus_client: TestClient) -> None:
    files = {d["file"] for d in corpus_client.get("/documents").json()["documents"]}
    assert files == {p.name for p in Path(CORPUS).glob("*.txt")}


def test_session_overview_with_agenda_and_decisions_in_one_request(
    corpus_client: TestClient,
) -> None:
    plain = corpus_client.get("/sessions").json()["sessions"]
    assert all("agenda_items" not in s for s in plain)
    listed = {s["id"]: s for s in corpus_client.get("/sessions?agenda=true").json()["sessions"]}
    items = listed["2025-06-26-47"]["agenda_items"]
    numbers = [i["number"] for i in items if i["number"]]
    assert numbers.index("10") < numbers.index("08") < numbers.index("18")  # record order
    by_number = {i["number"]: i for i in items}
    assert by_number["08"]["decisions"] == ["Beschluss B-2025/26-IT"]
    assert by_number["12"]["decisions"] == ["Beschluss B-2025/27-IT"]  # once, not per passage
    assert by_number["10"]["decisions"] == []
    # the same as the session's own page says
    detail = corpus_client.get("/sessions/2025-06-26-47").json()["agenda_items"]
    assert [i["agenda_item"]["number"] for i in detail if i["agenda_item"]] == [
        i["number"] for i in items
    ]
    assert [i["number"] for i in listed["2024-06-27-sonder"]["agenda_items"]] == ["00", "01"]
