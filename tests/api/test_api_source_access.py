"""Collection limits on where citations lead and on browsing: no trace of hidden documents.

The public corpus is indexed for everyone; two uploads go to the collection
`teilnehmer`, which only STAFF_KEY may see: a protocol of a session nobody else
recorded (Hessen and the Saarland speak), and a protocol of the 47th session, which
the public corpus records too. PUBLIC_KEY must find no page, file, session, speaker,
passage or statement of either.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from api_helpers import ADMIN_KEY, KEYS, PUBLIC_KEY, STAFF_KEY, UPLOAD_LINES, make_pdf
from fastapi.testclient import TestClient

from api.app import create_app
from gremium.settings import Settings
from tests.conftest import CORPUS

HIDDEN_47_LINES = [
    "47. IT-Planungsratssitzung",
    "Protokoll",
    "Datum: 26.06.2025",
    "Ort: Schwerin",
    "TOP Vertrauliches Ziel Quelle BE",
    "99 Geheimsache Nordlicht",
    "ON Diskussion",
    "HE:",
    "Hessen berichtet vertraulich über das Vorhaben Nordlicht und dessen Kosten.",
    "TH:",
    "Thüringen unterstützt das Vorhaben Nordlicht ausdrücklich.",
]
HIDDEN_SESSION = "2024-03-14-sonder"


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture(scope="module")
def keyed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    settings = Settings(
        embedder="fake",
        data_dir=tmp_path_factory.mktemp("data"),
        corpus_dir=CORPUS,
        api_keys=KEYS,
        admin_keys=ADMIN_KEY,
        rate_limit_per_minute=0,
    )
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        assert client.app.state.gremium.wait_ready(120)  # type: ignore[attr-defined]
        hidden = {}
        for name, lines in (("zwerge.pdf", UPLOAD_LINES), ("nordlicht.pdf", HIDDEN_47_LINES)):
            created = client.post(
                "/documents",
                files={"file": (name, make_pdf(lines))},
                data={"collection": "teilnehmer"},
                headers=bearer(ADMIN_KEY),
            )
            assert created.status_code == 201, created.text
            hidden[name] = created.json()["document"]["id"]
        staff = bearer(STAFF_KEY)
        chunk = client.get("/search", params={"q": "Nordlicht", "k": 1}, headers=staff).json()[
            "hits"
        ][0]
        assert chunk["document"]["id"] == hidden["nordlicht.pdf"]
        yield {"client": client, "hidden": hidden, "hidden_chunk": chunk["chunk_id"]}


def get(keyed: dict[str, Any], key: str, path: str, **params: Any) -> Any:
    return keyed["client"].get(path, params=params, headers=bearer(key))


def test_hidden_originals_are_not_served(keyed: dict[str, Any]) -> None:
    for doc_id in keyed["hidden"].values():
        assert get(keyed, STAFF_KEY, f"/documents/{doc_id}/file").status_code == 200
        hidden = get(keyed, PUBLIC_KEY, f"/documents/{doc_id}/file")
        assert hidden.status_code == 404
        assert hidden.json()["error"]["code"] == "not_found"


def test_hidden_pages_are_not_served(keyed: dict[str, Any]) -> None:
    for doc_id in keyed["hidden"].values():
        assert get(keyed, STAFF_KEY, f"/documents/{doc_id}/pages/1").status_code == 200
        assert get(keyed, PUBLIC_KEY, f"/documents/{doc_id}/pages/1").status_code == 404
    # a hidden passage cannot be located on a visible page either: it reads as unknown
    public_doc = next(
        d["id"]
        for d in get(keyed, PUBLIC_KEY, "/documents").json()["documents"]
        if d["session"] and d["session"]["id"] == "2025-06-26-47"
    )
    chunk = keyed["hidden_chunk"]
    foreign = get(keyed, PUBLIC_KEY, f"/documents/{public_doc}/pages/1", chunk=chunk)
    unknown = get(keyed, PUBLIC_KEY, f"/documents/{public_doc}/pages/1", chunk="0" * 16)
    assert foreign.status_code == unknown.status_code == 422
    assert foreign.json()["error"]["message"].replace(chunk, "X") == unknown.json()["error"][
        "message"
    ].replace("0" * 16, "X")


def test_hidden_sessions_are_not_listed_or_shown(keyed: dict[str, Any]) -> None:
    staff = {s["id"] for s in get(keyed, STAFF_KEY, "/sessions").json()["sessions"]}
    public = {s["id"] for s in get(keyed, PUBLIC_KEY, "/sessions").json()["sessions"]}
    assert HIDDEN_SESSION in staff and HIDDEN_SESSION not in public
    assert get(keyed, STAFF_KEY, f"/sessions/{HIDDEN_SESSION}").status_code == 200
    assert get(keyed, PUBLIC_KEY, f"/sessions/{HIDDEN_SESSION}").status_code == 404


def test_a_shared_session_shows_only_what_the_key_may_see(keyed: dict[str, Any]) -> None:
    staff = get(keyed, STAFF_KEY, "/sessions/2025-06-26-47").json()
    public = get(keyed, PUBLIC_KEY, "/sessions/2025-06-26-47").json()
    hidden_doc = keyed["hidden"]["nordlicht.pdf"]
    assert hidden_doc in {d["id"] for d in staff["documents"]}
    assert hidden_doc not in {d["id"] for d in public["documents"]}
    assert "Nordlicht" in str(staff) and "Nordlicht" not in str(public)
    assert public["session"]["passages"] < staff["session"]["passages"]
    listed = {s["id"]: s for s in get(keyed, PUBLIC_KEY, "/sessions").json()["sessions"]}
    assert listed["2025-06-26-47"]["passages"] == public["session"]["passages"]


def test_hidden_speakers_are_not_listed_or_shown(keyed: dict[str, Any]) -> None:
    staff = {s["code"] for s in get(keyed, STAFF_KEY, "/speakers").json()["speakers"]}
    public = {s["code"] for s in get(keyed, PUBLIC_KEY, "/speakers").json()["speakers"]}
    assert "TH" in staff and "TH" not in public  # Thüringen speaks only in a hidden record
    assert get(keyed, STAFF_KEY, "/speakers/TH").status_code == 200
    assert get(keyed, PUBLIC_KEY, "/speakers/TH").status_code == 404
    assert get(keyed, PUBLIC_KEY, "/speakers/Thüringen").status_code == 404


def test_a_shared_speaker_shows_only_visible_passages(keyed: dict[str, Any]) -> None:
    staff = get(keyed, STAFF_KEY, "/speakers/HE").json()
    public = get(keyed, PUBLIC_KEY, "/speakers/HE").json()
    assert HIDDEN_SESSION in {s["session"]["id"] for s in staff["sessions"]}
    assert HIDDEN_SESSION not in {s["session"]["id"] for s in public["sessions"]}
    for text in ("Nordlicht", "Zwergplanetenregister"):
        assert text in str(staff) and text not in str(public)
    assert public["speaker"]["passages"] < staff["speaker"]["passages"]


def test_hidden_statements_are_not_returned(keyed: dict[str, Any]) -> None:
    topic = "Zwergplanetenregister"
    staff = get(keyed, STAFF_KEY, "/speakers/HE/statements", topic=topic).json()
    public = get(keyed, PUBLIC_KEY, "/speakers/HE/statements", topic=topic).json()
    assert staff["count"] >= 1 and public["count"] == 0
    nordlicht = get(keyed, PUBLIC_KEY, "/speakers/HE/statements", topic="Nordlicht Kosten")
    assert nordlicht.json()["count"] == 0
    assert get(keyed, STAFF_KEY, "/speakers/TH/statements", topic="Nordlicht").json()["count"]
    hidden_speaker = get(keyed, PUBLIC_KEY, "/speakers/TH/statements", topic="Nordlicht")
    assert hidden_speaker.status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/documents/{doc}/file",
        "/documents/{doc}/pages/1",
        "/sessions/2025-06-26-47",
        "/speakers/BY",
        "/speakers/BY/statements?topic=Cloud",
    ],
)
def test_every_new_endpoint_needs_a_valid_key(keyed: dict[str, Any], path: str) -> None:
    client: TestClient = keyed["client"]
    doc = next(
        iter(
            d["id"]
            for d in client.get("/documents", headers=bearer(PUBLIC_KEY)).json()["documents"]
        )
    )
    url = path.format(doc=doc)
    assert client.get(url).status_code == 401
    assert client.get(url, headers=bearer("wrong-key")).status_code == 401
    assert client.get(url, headers=bearer(PUBLIC_KEY)).status_code == 200


def test_the_session_overview_shows_no_hidden_agenda(keyed: dict[str, Any]) -> None:
    staff = get(keyed, STAFF_KEY, "/sessions", agenda="true").json()["sessions"]
    public = get(keyed, PUBLIC_KEY, "/sessions", agenda="true").json()["sessions"]
    assert "Geheimsache Nordlicht" in str(staff) and "Geheimsache" not in str(public)
    assert HIDDEN_SESSION not in {s["id"] for s in public}
