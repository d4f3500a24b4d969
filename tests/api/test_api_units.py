"""The API's small pieces on their own: keys, the token bucket, file names, SSE."""

from __future__ import annotations

import pytest
from starlette.requests import Request

from api.auth import KeyRing, authorize
from api.ratelimit import RateLimitExceeded, TokenBucketLimiter
from api.sse import event, pieces
from api.uploads import InvalidFilename, safe_filename
from gremium.errors import Forbidden, Unauthorized
from gremium.settings import Settings


def request_with(headers: dict[str, str]) -> Request:
    raw = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    return Request({"type": "http", "method": "GET", "path": "/", "headers": raw})


def test_keyring_parses_keys_with_collections_and_admins() -> None:
    ring = KeyRing.from_settings(
        Settings(api_keys="a, b:public|teilnehmer ,c:", admin_keys="root", embedder="fake")
    )
    assert ring.keys == {"a": None, "b": ("public", "teilnehmer"), "c": None, "root": None}
    assert ring.admin_keys == {"root"}


def test_authorize_scopes_and_admin() -> None:
    ring = KeyRing.from_settings(
        Settings(api_keys="a,b:public", admin_keys="root", embedder="fake")
    )
    assert authorize(ring, request_with({"Authorization": "Bearer b"})).collections == ("public",)
    assert authorize(ring, request_with({"X-API-Key": "a"})).collections is None
    assert authorize(ring, request_with({"Authorization": "Bearer root"}), admin=True).admin
    with pytest.raises(Unauthorized):
        authorize(ring, request_with({}))
    with pytest.raises(Unauthorized):
        authorize(ring, request_with({"Authorization": "Bearer a-but-longer"}))
    with pytest.raises(Forbidden):
        authorize(ring, request_with({"Authorization": "Bearer a"}), admin=True)


def test_no_keys_means_everyone_may_do_everything() -> None:
    ring = KeyRing.from_settings(Settings(embedder="fake"))
    caller = authorize(ring, request_with({}), admin=True)
    assert caller.admin and caller.collections is None


def test_token_bucket_refills_over_time() -> None:
    now = [0.0]
    limiter = TokenBucketLimiter(60, clock=lambda: now[0])  # one token per second, burst 60
    for _ in range(60):
        limiter.check("k")
    with pytest.raises(RateLimitExceeded) as raised:
        limiter.check("k")
    assert raised.value.retry_after == 1
    limiter.check("other")  # buckets are per caller
    now[0] += 1.0
    limiter.check("k")
    with pytest.raises(RateLimitExceeded):
        limiter.check("k")


def test_token_bucket_off_at_zero() -> None:
    limiter = TokenBucketLimiter(0)
    for _ in range(1000):
        limiter.check("k")


@pytest.mark.parametrize(
    "name",
    ["../x.pdf", "a/b.pdf", "..\\x.pdf", "..", ".", "", ".hidden.txt", "a\x00.pdf", "a\nb.txt"],
)
def test_unsafe_file_names_are_refused(name: str) -> None:
    with pytest.raises(InvalidFilename):
        safe_filename(name)


def test_plain_file_names_pass() -> None:
    assert (
        safe_filename(" Protokoll 47. Sitzung (Entwurf).pdf ")
        == "Protokoll 47. Sitzung (Entwurf).pdf"
    )
    assert safe_filename("Übersicht..v2.md") == "Übersicht..v2.md"


def test_pieces_join_back_to_the_text() -> None:
    text = "In der Sondersitzung  sagte Bayern (BY): „Nein.“ [1]\nAußerdem [2] dies."
    parts = list(pieces(text, words=3))
    assert "".join(parts) == text
    assert len(parts) > 2
    assert all("[1" not in p or "[1]" in p for p in parts)


def test_sse_event_encodes_multiline_data() -> None:
    assert event("delta", {"text": "a"}) == 'event: delta\ndata: {"text": "a"}\n\n'
    assert event(None, "x\ny") == "data: x\ndata: y\n\n"
