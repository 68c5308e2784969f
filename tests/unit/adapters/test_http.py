"""client/ffi/http.py: what fetch() is handed (same-origin, no cache, a deadline that
grows with the upload, multipart parts), what comes back, and how a request that never
got an answer is said."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from .conftest import Browser, JsException, arun

LATE = "no answer from the server within"


class Buffer:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def to_bytes(self) -> bytes:
        return self.data


class Headers:
    def __init__(self, values: dict[str, str]) -> None:
        self.values = values

    def keys(self) -> list[str]:
        return list(self.values)

    def get(self, name: str) -> str:
        return self.values[name]


@dataclass
class Response:
    status: int
    headers: Headers
    body: bytes
    broken: Exception | None = None

    async def arrayBuffer(self) -> Buffer:  # noqa: N802
        if self.broken is not None:
            raise self.broken
        return Buffer(self.body)


@dataclass
class FormData:
    fields: list[tuple[Any, ...]] = field(default_factory=list)

    def append(self, *args: Any) -> None:
        self.fields.append(args)


@dataclass
class Page:
    """The page's fetch, FormData, Blob, AbortSignal and URL, as http.py uses them."""

    browser: Browser
    search: str | None = None
    answer: Response | Exception = field(
        default_factory=lambda: Response(200, Headers({"etag": '"v1"'}), b'{"ok": true}')
    )
    requests: list[tuple[str, Any]] = field(default_factory=list)
    deadlines_ms: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        js = self.browser.js
        js.fetch = self.fetch
        js.FormData.new = FormData
        js.Blob.new = lambda chunks: ("blob", *chunks)
        js.Array.from_ = list
        js.AbortSignal.timeout = self.timeout
        js.URLSearchParams.new.return_value.get = lambda _name: self.search

    def timeout(self, ms: int) -> str:
        self.deadlines_ms.append(ms)
        return f"signal:{ms}"

    async def fetch(self, url: str, init: Any) -> Response:
        self.requests.append((url, init))
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer


@pytest.fixture
def page(browser: Browser) -> Page:
    return Page(browser)


def fetch(browser: Browser, *args: Any, **kwargs: Any) -> Any:
    http = browser.load("client.ffi.http")
    return arun(lambda: http.fetch(*args, **kwargs))


def test_a_request_is_same_origin_uncached_and_has_a_deadline(browser: Browser, page: Page) -> None:
    response = fetch(browser, "GET", "/api/x", headers={"if-none-match": '"v0"'})
    [(url, init)] = page.requests
    assert url == "/api/x"
    assert init == {
        "method": "GET",
        "credentials": "same-origin",
        "headers": {"if-none-match": '"v0"'},
        "cache": "no-store",
        "signal": "signal:30000",
    }
    assert (response.status, response.headers, response.body) == (
        200,
        {"etag": '"v1"'},
        b'{"ok": true}',
    )
    assert response.json() == {"ok": True}


def test_an_empty_body_reads_as_no_json(browser: Browser, page: Page) -> None:
    page.answer = Response(204, Headers({}), b"")
    assert fetch(browser, "DELETE", "/api/x").json() is None


@pytest.mark.parametrize(
    ("body", "deadline_ms"),
    [("{}", 30_000), (b"\x00" * 250_000, 32_500), ("x" * 50_000, 30_500)],
)
def test_a_larger_upload_gets_a_later_deadline(
    browser: Browser, page: Page, body: bytes | str, deadline_ms: int
) -> None:
    fetch(browser, "POST", "/api/x", body=body)
    assert page.requests[0][1]["body"] == body and page.deadlines_ms == [deadline_ms]


def test_parts_make_a_form_with_files_as_blobs(browser: Browser, page: Page) -> None:
    parts = [("ops", '{"ops": []}'), ("h1", b"\x00" * 200_000)]
    fetch(browser, "POST", "/api/sync", parts=parts)
    form = page.requests[0][1]["body"]
    assert form.fields == [("ops", '{"ops": []}'), ("h1", ("blob", b"\x00" * 200_000), "h1")]
    assert page.deadlines_ms == [32_000]  # 30 s + (11 + 200,000 bytes) / (100 KB/s)


@pytest.mark.parametrize(
    ("search", "deadline_ms"),
    [("2", 2_000), ("0.5", 500), ("0", 30_000), ("-3", 30_000), ("soon", 30_000), (None, 30_000)],
)
def test_the_pages_http_timeout_sets_the_base_deadline(
    browser: Browser, page: Page, search: str | None, deadline_ms: int
) -> None:
    page.search = search
    fetch(browser, "GET", "/api/x")
    assert page.deadlines_ms == [deadline_ms]


@pytest.mark.parametrize(
    ("error", "said"),
    [
        (
            JsException("signal timed out", name="TimeoutError"),
            "no answer from the server within 2 s",
        ),
        (
            JsException("The operation timed out. TimeoutError"),
            "no answer from the server within 2 s",
        ),
        (JsException("Failed to fetch", name="TypeError"), "TypeError: Failed to fetch"),
    ],
)
def test_no_answer_is_a_network_error_saying_why(
    browser: Browser, page: Page, error: Exception, said: str
) -> None:
    http = browser.load("client.ffi.http")
    page.search = "2"
    page.answer = error
    with pytest.raises(http.NetworkError) as caught:
        fetch(browser, "GET", "/api/x")
    assert str(caught.value) == said


def test_a_body_cut_off_midway_is_a_network_error_too(browser: Browser, page: Page) -> None:
    http = browser.load("client.ffi.http")
    page.answer = Response(200, Headers({}), b"", broken=JsException("network error"))
    with pytest.raises(http.NetworkError, match="network error"):
        fetch(browser, "GET", "/api/x")
