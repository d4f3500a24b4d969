"""API keys: who is calling, which collections they may see, whether they may write.

`GREMIUM_API_KEYS="k1,k2:public|teilnehmer"` gives `k1` every collection and `k2` only
the two named ones. `GREMIUM_ADMIN_KEYS` are allowed to upload and delete (and see
everything). With no keys at all, auth is off: everyone reads and sees all, and writes
are accepted from this machine only (loopback; `GREMIUM_ALLOW_REMOTE_WRITES` opens them)
and never from another web origin, since any page could otherwise post a file to the
server (a multipart POST needs no CORS preflight). With admin keys only, reading stays
open and writing needs an admin key.

Keys travel as `Authorization: Bearer <key>` (what the `openai` client sends) or
`X-API-Key: <key>`.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from dataclasses import dataclass

from fastapi import Request

from gremium.errors import Forbidden, Unauthorized
from gremium.settings import Settings
from gremium.types import Filters


@dataclass(frozen=True)
class Caller:
    """The authenticated caller of one request."""

    key_id: str | None  # short hash of the key, never the key itself; None: no key
    collections: tuple[str, ...] | None  # None: every collection
    admin: bool

    @property
    def filters(self) -> Filters:
        """The visibility restriction to apply to every read."""
        return Filters(collections=self.collections)


@dataclass(frozen=True)
class KeyRing:
    """The configured keys, parsed once at start-up."""

    keys: dict[str, tuple[str, ...] | None]  # key -> collections (None: all)
    admin_keys: frozenset[str]

    @classmethod
    def from_settings(cls, settings: Settings) -> KeyRing:
        keys: dict[str, tuple[str, ...] | None] = {}
        for item in _split(settings.api_keys):
            key, _, scope = item.partition(":")
            key = key.strip()
            if not key:
                continue
            collections = tuple(c.strip() for c in scope.split("|") if c.strip())
            keys[key] = collections or None
        admins = frozenset(_split(settings.admin_keys))
        for admin in admins:
            keys[admin] = None
        return cls(keys=keys, admin_keys=admins)

    @property
    def enabled(self) -> bool:
        return bool(self.keys)

    def lookup(self, presented: str) -> str | None:
        """The configured key equal to `presented`, compared in constant time."""
        found = None
        for key in self.keys:
            if hmac.compare_digest(key.encode(), presented.encode()):
                found = key
        return found


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def presented_key(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    api_key = request.headers.get("x-api-key", "").strip()
    return api_key or None


def key_id(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()[:12]


def identify(ring: KeyRing, request: Request) -> Caller | None:
    """The caller a valid key names; None when no (or no valid) key was presented."""
    presented = presented_key(request)
    if presented is None:
        return None
    key = ring.lookup(presented)
    if key is None:
        return None
    return Caller(key_id=key_id(key), collections=ring.keys[key], admin=key in ring.admin_keys)


def authorize(ring: KeyRing, request: Request, *, admin: bool = False) -> Caller:
    """The caller of this request, or Unauthorized/Forbidden."""
    caller = identify(ring, request)
    presented = presented_key(request)
    if presented is not None and caller is None and ring.enabled:
        raise Unauthorized(
            "the API key is not valid; send a configured key as 'Authorization: Bearer <key>'"
        )
    if caller is None:
        # No key presented.
        if not ring.enabled:
            return Caller(key_id=None, collections=None, admin=True)
        if admin:
            raise Unauthorized(
                "this endpoint needs an admin key; send it as 'Authorization: Bearer <key>'"
            )
        if _reads_open(ring):
            return Caller(key_id=None, collections=None, admin=False)
        raise Unauthorized("an API key is required; send it as 'Authorization: Bearer <key>'")
    if admin and not caller.admin:
        raise Forbidden("this key may not upload or delete documents; use an admin key")
    return caller


def _reads_open(ring: KeyRing) -> bool:
    """Reads need no key when only admin keys are configured."""
    return set(ring.keys) == set(ring.admin_keys)


class WriteRefused(Forbidden):
    code = "write_refused"


def sees_everything(ring: KeyRing, request: Request) -> bool:
    """Whether the caller of this request may see every collection (for global counts)."""
    if not ring.enabled:
        return True
    caller = identify(ring, request)
    if caller is None:
        return _reads_open(ring) and presented_key(request) is None
    return caller.collections is None


def check_write_origin(request: Request, *, allow_remote: bool, cors_origins: list[str]) -> None:
    """Without keys, a write must come from loopback (unless allowed) and not from a foreign page."""
    origin = request.headers.get("origin")
    own = f"{request.url.scheme}://{request.headers.get('host', '')}"
    foreign = (origin is not None and origin != own and origin not in cors_origins) or (
        origin is None and request.headers.get("sec-fetch-site") == "cross-site"
    )
    if foreign:
        raise WriteRefused(
            f"uploads and deletes from another web origin ({origin or 'cross-site'}) are refused "
            "while no API keys are set; set GREMIUM_ADMIN_KEYS to write from a web page"
        )
    if not allow_remote and not _is_loopback(request.client.host if request.client else ""):
        raise WriteRefused(
            "uploads and deletes are accepted only from this machine while no API keys are "
            "set; set GREMIUM_ADMIN_KEYS, or GREMIUM_ALLOW_REMOTE_WRITES=true to accept them "
            "from anywhere"
        )


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"
