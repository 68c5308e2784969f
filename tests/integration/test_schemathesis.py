"""Schemathesis over every operation of /api/openapi.json, against a live `cospai serve`.

A signed-in user with one project (one file, one revision) makes the requests: the session
cookie, X-CSRF-Token and Origin go with every case, and every project_id in a path is that
project's, so the cases reach past the 404. A case that ends the session (sign-out, account
deletion) or deletes the project is followed by a fresh user or project. Checks: no 5xx,
and status code, content type and body conform to the document. Bounded: 15 derandomized
examples per operation and generation mode (positive: data the document allows; negative:
data it does not, which must get a documented 4xx), 6 where each example costs a password
hash (64 MiB, ~0.3 s); the fresh users and sessions are written straight to the database
with a hash made once, so that renewing them costs none.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import secrets
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from server import auth, passwords
from server.openapi import document
from server.repo import sessions, users
from tests.support import databases, mirror
from tests.support.api import PASSWORD, tiny_dist
from tests.support.live_server import LiveServer
from tests.support.mirror import empty_registry, serving

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
MAIN = b"print(1)\n"  # the one file of the account's project, in its revision 1
MAIN_SHA256 = hashlib.sha256(MAIN).hexdigest()
# Headers the HTTP client, not the API, owns (a generated Host breaks the request itself).
TRANSPORT_HEADERS = {
    "host",
    "content-length",
    "transfer-encoding",
    "connection",
    "cookie",
    "expect",
    "te",
    "upgrade",
}
ENDS_SESSION = {
    ("POST", "/auth/signout"),
    ("POST", "/auth/signout-everywhere"),
    ("DELETE", "/auth/account"),
}
HASHES = {("POST", "/auth/signup"), ("POST", "/auth/signin"), ("POST", "/auth/password")}
PASSWORD_HASH = passwords.hash_password(PASSWORD)


@st.composite
def zip_bodies(draw: st.DrawFn) -> bytes:
    """Mostly real zips (names and contents drawn), sometimes arbitrary bytes."""
    if draw(st.integers(0, 3)) == 0:
        return draw(st.binary(max_size=64))
    # No NUL: zipfile cuts a name at NUL, and an empty name breaks its writestr.
    names = draw(
        st.lists(
            st.text(st.characters(codec="utf-8", exclude_characters="\0"), min_size=1, max_size=12),
            max_size=4,
            unique=True,
        )
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, draw(st.binary(max_size=32)))
    return buffer.getvalue()


schemathesis.openapi.media_type("application/zip", zip_bodies())


@dataclass
class Account:
    """The signed-in user the cases act as, renewed when a case ends its session."""

    base: str
    database_url: str
    token: str = ""
    csrf: str = ""
    project_id: str = ""

    def headers(self) -> dict[str, str]:
        return {"Origin": self.base, "X-CSRF-Token": self.csrf}

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        response = requests.post(
            f"{self.base}/api{path}",
            headers=self.headers(),
            cookies={"cospai_session": self.token},
            timeout=30,
            **kwargs,
        )
        assert response.status_code in (200, 201), response.text
        return response

    def sign_up(self) -> None:
        """A new user, signed in, as POST /auth/signup makes them (without its hash)."""
        self.token, self.csrf = asyncio.run(self._new_user_session())
        self.new_project()

    async def _new_user_session(self) -> tuple[str, str]:
        email = f"fuzz-{secrets.token_hex(6)}@example.com"
        async with await psycopg.AsyncConnection.connect(
            self.database_url, autocommit=True
        ) as conn:
            user = await users.create(conn, email, "", PASSWORD_HASH)
            token, csrf = auth.new_token(), auth.new_token()
            await sessions.create(
                conn,
                auth.token_hash(token),
                user.id,
                csrf,
                auth.SESSION_LIFETIME,
                "schemathesis",
                "127.0.0.1",
            )
        return token, csrf

    def new_project(self) -> None:
        self.project_id = self.post("/projects", json={"name": "fuzzed"}).json()["id"]
        self.post(
            f"/projects/{self.project_id}/sync",
            json={
                "ops": [{"op": "put", "path": "main.py", "content": MAIN.decode()}],
                "revision_message": "first",
            },
        )


@pytest.fixture(scope="module")
def live(pg_admin_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The server, its package mirror seeded with one tiny package each way, its upstream
    a registry that has nothing (404): every mirror answer is then a documented one."""
    tmp: Path = tmp_path_factory.mktemp("schemathesis")
    with databases.fresh_database(pg_admin_url) as url, serving(empty_registry) as (up, _):
        seeded = mirror.cli(url, "mirror", "seed", str(mirror.tiny_packages(tmp / "packages")))
        assert seeded.returncode == 0, seeded.stdout + seeded.stderr
        server = LiveServer(
            database_url=url,
            data_dir=tmp / "data",
            dist_dir=tiny_dist(tmp / "dist"),
            extra_env={"COSPAI_NPM_UPSTREAM": up.url, "COSPAI_PYPI_UPSTREAM": up.url},
        )
        with server:
            yield server


@pytest.fixture(scope="module")
def account(live: LiveServer) -> Account:
    assert live.database_url
    account = Account(live.url, live.database_url)
    account.sign_up()
    return account


@pytest.fixture(scope="module")
def api_schema(live: LiveServer) -> Any:
    schema = schemathesis.openapi.from_url(f"{live.url}/api/openapi.json")
    schema.config.update(base_url=f"{live.url}/api")
    return schema


def test_the_served_document_is_valid_openapi_3_1(live: LiveServer) -> None:
    served = requests.get(f"{live.url}/api/openapi.json", timeout=30).json()
    assert served == document()
    schemathesis.openapi.from_dict(served).validate()


# schemathesis.pytest.from_fixture cannot run under pytest 9.2 (it sets Node._nodeid, which
# pytest 9.2 removed), so each operation is a Hypothesis test over the operation's strategy.
OPERATIONS = [
    (method.upper(), path, operation)
    for path, item in document()["paths"].items()
    for method, operation in item.items()
]
# Negative data needs something to break: parameters, a body, or the session cookie.
RUNS = [
    pytest.param(method, path, mode, id=f"{method} {path} {mode.value}")
    for method, path, operation in OPERATIONS
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    if mode is GenerationMode.POSITIVE
    or {"parameters", "requestBody"} & set(operation)
    or operation["security"]
]


# Failures schemathesis found in longer runs than this one, replayed first in every run.
FOUND: dict[tuple[str, str, GenerationMode], list[dict[str, Any]]] = {
    ("POST", "/projects/{project_id}/sync", GenerationMode.NEGATIVE): [
        # 500: server/sync_ops.py parse_ops tests `kind not in KINDS` on an unhashable `op`.
        {"body": {"ops": [{"op": []}]}, "media_type": "application/json"},
    ],
}


def steer(case: Any, account: Account) -> None:
    """Point path parameters at things that exist: always the account's project, and for
    about half of the generated values its revision 1, its file main.py or that file's hash,
    and the mirror's seeded package and its files.
    Drop generated headers that would break the HTTP framing or the session cookie."""
    for name in [h for h in case.headers or {} if h.lower() in TRANSPORT_HEADERS]:
        del case.headers[name]  # negative data adds random headers; not these
    params = case.path_parameters or {}
    if "project_id" in params:
        params["project_id"] = account.project_id
    known = {
        "number": 1,
        "path": "main.py",
        "sha256": MAIN_SHA256,
        "package": mirror.TINY,
        "tarball": f"{mirror.TINY}-1.0.0.tgz",
        "project": mirror.TINY,
        "filename": f"{mirror.TINY.replace('-', '_')}-1.0-py3-none-any.whl",
    }
    for name, value in known.items():
        if name in params and len(str(params[name])) % 2 == 0:
            params[name] = value


@pytest.mark.parametrize(("method", "path", "mode"), RUNS)
def test_api_conforms_to_its_document(
    method: str, path: str, mode: GenerationMode, api_schema: Any, account: Account
) -> None:
    operation = api_schema[path][method]

    def check(case: Any) -> None:
        steer(case, account)
        response = case.call_and_validate(
            headers=account.headers(),
            cookies={"cospai_session": account.token},
            checks=CHECKS,
            timeout=30,
        )
        if response.status_code == 204 and (method, path) in ENDS_SESSION:
            account.sign_up()
        elif response.status_code == 204 and (method, path) == ("DELETE", "/projects/{project_id}"):
            account.new_project()

    test = given(case=operation.as_strategy(mode))(check)
    for found in FOUND.get((method, path, mode), []):
        test = example(case=operation.Case(path_parameters={"project_id": ""}, **found))(test)
    examples = 6 if (method, path) in HASHES else 15
    settings(
        max_examples=examples,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )(test)()
