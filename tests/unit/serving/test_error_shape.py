"""server/errors: one error shape, `{"error": {"code", "message", "details"}}`, for our
own refusals, Starlette's HTTP errors and unexpected exceptions (a 500 without a trace)."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.routing import Route
from starlette.testclient import TestClient

from server.errors import HANDLERS, ApiError
from server.headers import IsolationHeaders

from .conftest import assert_isolated, assert_refused


async def _conflict(_request: Request) -> None:
    raise ApiError(409, "conflict", "That name is taken.", {"name": "demo"})


async def _plain_api_error(_request: Request) -> None:
    raise ApiError(422, "invalid", "Bad input.")


async def _http_error(_request: Request) -> None:
    raise HTTPException(404, "Nothing at this address.")


async def _teapot(_request: Request) -> None:
    raise HTTPException(418)


async def _crash(_request: Request) -> None:
    raise RuntimeError("db password is hunter2")  # must never reach the client


def _error_app() -> TestClient:
    app = Starlette(
        routes=[
            Route("/conflict", _conflict),
            Route("/invalid", _plain_api_error),
            Route("/http", _http_error),
            Route("/teapot", _teapot),
            Route("/crash", _crash),
        ],
        exception_handlers=HANDLERS,
    )
    return TestClient(IsolationHeaders(app), raise_server_exceptions=False)


def test_api_error_shape() -> None:
    client = _error_app()
    response = client.get("/conflict")
    assert response.status_code == 409
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {
        "error": {"code": "conflict", "message": "That name is taken.", "details": {"name": "demo"}}
    }
    invalid = client.get("/invalid")
    assert invalid.status_code == 422
    assert invalid.json() == {"error": {"code": "invalid", "message": "Bad input.", "details": {}}}


def test_http_exception_shape() -> None:
    client = _error_app()
    response = client.get("/http")
    assert response.status_code == 404
    assert response.json() == {
        "error": {"code": "not_found", "message": "Nothing at this address.", "details": {}}
    }
    teapot = client.get("/teapot")
    assert_refused(teapot, 418, "error")
    no_route = client.get("/no-such-route")
    assert_refused(no_route, 404, "not_found")
    wrong_method = client.post("/conflict")
    assert_refused(wrong_method, 405, "method_not_allowed")


def test_unexpected_exception_is_500_internal_without_trace(
    caplog: pytest.LogCaptureFixture,
) -> None:
    client = _error_app()
    with caplog.at_level("ERROR", logger="cospai"):
        response = client.get("/crash")
    assert response.status_code == 500
    assert response.json() == {
        "error": {
            "code": "internal",
            "message": "The server failed to handle this request.",
            "details": {},
        }
    }
    for leak in ("Traceback", "RuntimeError", "hunter2", "test_error_shape"):
        assert leak not in response.text
    assert_isolated(response.headers)
    # The trace goes to the log instead.
    assert any(record.exc_info for record in caplog.records)
