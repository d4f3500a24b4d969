"""The exceptions Gremium raises. Third-party errors are translated where they occur.

GremiumError
 ├── IngestError                 a file could not be read as a document
 │    ├── UnsupportedFormat      not PDF, DOCX, ODT, text, Markdown or HTML (415)
 │    ├── EmptyDocument          no text at all, or only whitespace (422)
 │    ├── EncryptedPdf           password-protected PDF (422)
 │    ├── EncryptedDocument      password-protected Word or OpenDocument file (422)
 │    ├── CorruptFile            damaged PDF, binary junk, undecodable text (422)
 │    ├── NoTextLayer            PDF pages without extractable text, e.g. scans (422)
 │    ├── FileTooLarge           file over the configured size limit (413)
 │    ├── DocumentTooLarge       more than the configured pages, text or passages (413)
 │    │    ├── TooManyPages / TooMuchText / TooManyChunks
 │    └── ParseTimeout           reading the file took longer than the limit (422)
 ├── IndexError_                 the index on disk cannot be used
 │    ├── IndexMismatch          built with another embedder or schema; reindex (409)
 │    └── IndexLocked            another process is writing (409)
 ├── NotReady                    the index is still being built (503)
 ├── NotFound                    unknown document, job or resource (404)
 ├── Conflict                    the change would clash with another document (409)
 ├── InvalidRequest              bad question, filter or parameter (400/422)
 ├── Unauthorized / Forbidden    API keys (401/403)
 ├── RateLimited                 too many requests (429)
 └── BackendUnavailable          an optional dependency or model is missing
"""

from __future__ import annotations


class GremiumError(Exception):
    """Base of every error Gremium raises on purpose."""

    code = "gremium_error"
    status = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class IngestError(GremiumError):
    code = "ingest_error"
    status = 422


class UnsupportedFormat(IngestError):
    code = "unsupported_format"
    status = 415


class EmptyDocument(IngestError):
    code = "empty_document"


class EncryptedPdf(IngestError):
    code = "encrypted_pdf"


class EncryptedDocument(IngestError):
    code = "encrypted_document"


class CorruptFile(IngestError):
    code = "corrupt_file"


class NoTextLayer(IngestError):
    code = "no_text_layer"


class FileTooLarge(IngestError):
    code = "file_too_large"
    status = 413


class DocumentTooLarge(IngestError):
    code = "document_too_large"
    status = 413


class TooManyPages(DocumentTooLarge):
    code = "too_many_pages"


class TooMuchText(DocumentTooLarge):
    code = "too_much_text"


class TooManyChunks(DocumentTooLarge):
    code = "too_many_chunks"


class ParseTimeout(IngestError):
    code = "parse_timeout"


class IndexError_(GremiumError):
    code = "index_error"
    status = 409


class IndexMismatch(IndexError_):
    code = "index_mismatch"


class IndexLocked(IndexError_):
    code = "index_locked"


class NotReady(GremiumError):
    code = "not_ready"
    status = 503


class NotFound(GremiumError):
    code = "not_found"
    status = 404


class Conflict(GremiumError):
    code = "conflict"
    status = 409


class InvalidRequest(GremiumError):
    code = "invalid_request"
    status = 422


class Unauthorized(GremiumError):
    code = "unauthorized"
    status = 401


class Forbidden(GremiumError):
    code = "forbidden"
    status = 403


class RateLimited(GremiumError):
    code = "rate_limited"
    status = 429


class BackendUnavailable(GremiumError):
    code = "backend_unavailable"
    status = 503
