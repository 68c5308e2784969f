"""/api/mirror: the package mirror's read-only registry protocols, for npm and pip clients
and for the runtime on the sandbox origins. No session: packages are public.

npm: GET /mirror/npm/{package} (the packument, abbreviated for
`Accept: application/vnd.npm.install-v1+json`; scoped names as `@scope/name` or
`@scope%2fname`) and GET /mirror/npm/{package}/-/{tarball}.
PyPI: GET /mirror/pypi/simple/ and /mirror/pypi/simple/{project}/ (PEP 503 HTML or PEP 691
JSON, by Accept), and GET /mirror/pypi/files/{project}/{filename}."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response, StreamingResponse
from starlette.routing import Route

from server import auth
from server.conditional import if_none_match
from server.errors import ApiError
from server.mirror import cors, names, npm_docs, pypi_docs
from server.mirror.context import Mirror
from server.mirror.documents import fill
from server.mirror.negotiate import choose
from server.repo.mirror_files import KeptFile
from server.services import mirror_docs, mirror_files, rate_limits

Handler = Callable[[Request], Awaitable[Response]]
_NPM_OFFERS = ["application/json", npm_docs.ABBREVIATED]
_PYPI_OFFERS = ["text/html", pypi_docs.HTML_V1, pypi_docs.JSON_V1]
_DOC_CACHE = "public, max-age=60"
_FILE_CACHE = "public, max-age=31536000, immutable"


def _mirror_route(handler: Handler) -> Handler:
    """Counts the request against the address's limit; every answer, errors included,
    carries the mirror's CORS headers (a sandbox must read a 404 as well as a 200)."""

    async def wrapped(request: Request) -> Response:
        extra = _cors(request)
        try:
            mirror = _mirror(request)
            await rate_limits.admit(
                mirror.pool,
                f"mirror:{auth.client_address(request)}",
                mirror.settings.requests_per_minute,
                "package mirror",
            )
            response = await handler(request)
        except ApiError as error:
            error.headers.update(extra)
            raise
        response.headers.update(extra)
        return response

    return wrapped


def _mirror(request: Request) -> Mirror:
    mirror: Mirror = request.state.mirror
    return mirror


def _cors(request: Request) -> dict[str, str]:
    return cors.headers(
        request.state.settings,
        request.url.scheme,
        request.url.hostname or "",
        request.headers.get("origin"),
    )


def mirror_base(request: Request) -> str:
    """The mirror's own base URL, as this client reached it (the host is one the IDE
    answers to: server/hosts.py refused any other before this runs)."""
    return f"{request.url.scheme}://{request.url.netloc}/api/mirror"


def _document(body: bytes, media: str, stale: bool) -> Response:
    headers = {"cache-control": "no-cache" if stale else _DOC_CACHE}
    if stale:
        headers["x-mirror-stale"] = "the upstream could not be reached; this is the kept copy"
    return Response(body, 200, headers, media)


async def npm_packument(request: Request) -> Response:
    name = names.npm_name(request.path_params["package"])
    media = choose(request.headers.get("accept"), _NPM_OFFERS) or _NPM_OFFERS[0]
    abbreviated = media == npm_docs.ABBREVIATED
    served = await mirror_docs.npm_document(_mirror(request), name, abbreviated)
    return _document(fill(served.body, mirror_base(request)), media, served.stale)


async def npm_tarball(request: Request) -> Response:
    name = names.npm_name(request.path_params["package"])
    tarball = names.npm_tarball(request.path_params["tarball"])
    kept = await mirror_files.kept_file(_mirror(request), "npm", name, tarball)
    return _file(request, kept)


async def pypi_root(request: Request) -> Response:
    media = _pypi_media(request)
    projects = await mirror_docs.pypi_projects(_mirror(request))
    body = pypi_docs.render_root(projects, media == pypi_docs.JSON_V1)
    return Response(body, 200, {"cache-control": _DOC_CACHE}, media)


async def pypi_project(request: Request) -> Response:
    raw = names.pypi_project(request.path_params["project"])
    project = names.pypi_normalize(raw)
    if raw != project:  # PEP 503: one URL per project, the normalised one
        return RedirectResponse(f"{mirror_base(request)}/pypi/simple/{project}/", 301)
    media = _pypi_media(request)
    served = await mirror_docs.pypi_document(_mirror(request), project)
    if media == pypi_docs.JSON_V1:
        return _document(fill(served.body, mirror_base(request)), media, served.stale)
    html = pypi_docs.render_html(served.body, mirror_base(request)).encode()
    return _document(html, media, served.stale)


def _pypi_media(request: Request) -> str:
    media = choose(request.headers.get("accept"), _PYPI_OFFERS)
    if media is None:
        raise ApiError(
            406,
            "not_acceptable",
            "The simple index is served as text/html, "
            f"{pypi_docs.HTML_V1} or {pypi_docs.JSON_V1}; the Accept header takes none.",
        )
    return media


async def pypi_file(request: Request) -> Response:
    project = names.pypi_normalize(names.pypi_project(request.path_params["project"]))
    filename = names.pypi_filename(request.path_params["filename"])
    kept = await mirror_files.kept_file(_mirror(request), "pypi", project, filename)
    return _file(request, kept)


def _file(request: Request, kept: KeptFile) -> Response:
    etag = f'"{kept.sha256.hex()}"'
    headers = {"cache-control": _FILE_CACHE, "etag": etag}
    if etag in if_none_match(request.headers.get("if-none-match")):
        return Response(status_code=304, headers=headers)
    headers["content-length"] = str(kept.size)
    if request.method == "HEAD":
        response = Response(status_code=200, headers=headers, media_type="application/octet-stream")
        response.headers["content-length"] = str(kept.size)
        return response
    chunks = mirror_files.chunks(_mirror(request), kept)
    return StreamingResponse(chunks, 200, headers, "application/octet-stream")


# Path convertors where a name could carry a decoded %2f: such a name reaches the handler
# and is refused as invalid (400), rather than falling through to "no such route".
# Path convertors where a name could carry a decoded %2f: such a name reaches its handler
# and is refused as invalid (400), rather than falling through to "no such route" (404).
ROUTES = [
    Route("/mirror/npm/{package:path}/-/{tarball}", _mirror_route(npm_tarball), methods=["GET"]),
    Route("/mirror/npm/{package:path}", _mirror_route(npm_packument), methods=["GET"]),
    Route("/mirror/pypi/simple/", _mirror_route(pypi_root), methods=["GET"]),
    Route("/mirror/pypi/simple/{project:path}/", _mirror_route(pypi_project), methods=["GET"]),
    Route(
        "/mirror/pypi/files/{project}/{filename:path}", _mirror_route(pypi_file), methods=["GET"]
    ),
]
