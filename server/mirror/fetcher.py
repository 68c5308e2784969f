"""The upstream over HTTP: metadata documents (bounded in size, revalidated by ETag) and
files (streamed into a spool while every hash the metadata gives is checked; a file that
fails is dropped with its spool, never handed on).

Failures are told apart, because the mirror answers them differently: the upstream could
not be reached or is failing (UpstreamError 503: serve what is kept), it says there is no
such thing (UpstreamMissing: 404), or it answered with something unusable (UpstreamError
502: too large, cut short, not the format)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from dataclasses import dataclass

import httpx2

from server.mirror.integrity import Expected, IntegrityError, Verifier

SPOOL_MEMORY = 4 * 1024 * 1024  # a download larger than this waits in a temporary file
TIMEOUT = httpx2.Timeout(connect=10.0, read=60.0, write=30.0, pool=60.0)
USER_AGENT = "cospai-mirror/1"


class UpstreamError(Exception):
    """503 upstream_unreachable, or 502 with a code saying what was wrong."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


class UpstreamMissing(Exception):
    """The upstream answered 404 (or 410): it has no such package or file."""


def unreachable(url: str, why: str) -> UpstreamError:
    return UpstreamError(503, "upstream_unreachable", f"The upstream {url} {why}.")


@dataclass(frozen=True)
class MetaAnswer:
    """A metadata document (None: unchanged since the ETag sent) and what came with it."""

    body: bytes | None
    etag: str | None
    content_type: str
    url: str  # after redirects: relative links in it are relative to this


class Spool:
    """Downloaded bytes, checked, waiting to be stored: memory first, then a temp file."""

    def __init__(self) -> None:
        self._file = tempfile.SpooledTemporaryFile(max_size=SPOOL_MEMORY)  # noqa: SIM115
        self.sha256 = b""
        self.size = 0

    def write(self, data: bytes) -> None:
        self._file.write(data)

    def chunks(self, size: int) -> Iterator[bytes]:
        self._file.seek(0)
        while block := self._file.read(size):
            yield block

    def close(self) -> None:
        self._file.close()


def new_client() -> httpx2.AsyncClient:
    return httpx2.AsyncClient(
        timeout=TIMEOUT,
        follow_redirects=True,
        max_redirects=5,
        limits=httpx2.Limits(max_connections=32, max_keepalive_connections=16),
        headers={"user-agent": USER_AGENT},
    )


def _check_status(response: httpx2.Response, url: str) -> None:
    status = response.status_code
    if status in (404, 410):
        raise UpstreamMissing(url)
    if status in (408, 429) or status >= 500:
        raise unreachable(url, f"answered {status}")
    if status != 200 and status != 304:
        raise UpstreamError(502, "bad_upstream_answer", f"The upstream {url} answered {status}.")


def _too_large(url: str, limit: int) -> UpstreamError:
    return UpstreamError(
        502,
        "too_large",
        f"{url} is larger than the mirror's limit of {limit // (1024 * 1024)} MB "
        "(COSPAI_MIRROR_MAX_FILE_MB / COSPAI_MIRROR_MAX_METADATA_MB).",
    )


def _declared_size(response: httpx2.Response) -> int | None:
    raw = response.headers.get("content-length", "")
    return int(raw) if raw.isdigit() and not response.headers.get("content-encoding") else None


class Fetcher:
    def __init__(self, client: httpx2.AsyncClient) -> None:
        self.client = client

    async def metadata(self, url: str, accept: str, etag: str | None, limit: int) -> MetaAnswer:
        headers = {"accept": accept}
        if etag:
            headers["if-none-match"] = etag
        body = bytearray()
        try:
            async with self.client.stream("GET", url, headers=headers) as response:
                _check_status(response, url)
                new_etag = response.headers.get("etag")
                kind = response.headers.get("content-type", "")
                final = str(response.url)
                if response.status_code == 304:
                    return MetaAnswer(None, new_etag or etag, kind, final)
                if (_declared_size(response) or 0) > limit:
                    raise _too_large(url, limit)
                async for chunk in response.aiter_bytes():
                    body += chunk
                    if len(body) > limit:
                        raise _too_large(url, limit)
        except httpx2.TransportError as error:
            raise unreachable(url, f"could not be read ({type(error).__name__})") from error
        return MetaAnswer(bytes(body), new_etag, kind, final)

    async def download(self, url: str, expected: Expected, limit: int) -> Spool:
        """The file at `url`, checked against `expected`; raises IntegrityError,
        UpstreamError or UpstreamMissing, keeping nothing."""
        if not expected.hashes:
            Verifier(expected).check()  # raises no_hash before anything is fetched
        verifier = Verifier(expected)
        spool = Spool()
        started = False
        try:
            async with self.client.stream("GET", url) as response:
                _check_status(response, url)
                started = True
                if (_declared_size(response) or 0) > limit:
                    raise _too_large(url, limit)
                async for chunk in response.aiter_bytes():
                    verifier.update(chunk)
                    if verifier.size > limit:
                        raise _too_large(url, limit)
                    spool.write(chunk)
            spool.sha256, spool.size = verifier.check(), verifier.size
        except httpx2.TransportError as error:
            spool.close()
            if not started:
                raise unreachable(url, f"could not be reached ({type(error).__name__})") from error
            raise IntegrityError(
                "truncated",
                f"The download of {url} broke off ({type(error).__name__}); nothing was kept.",
            ) from error
        except BaseException:
            spool.close()
            raise
        return spool
