"""The API benchmark's parts b, c and d (bench/api.py): a large project loaded, a one-line
change in a big project, and a zip import of the most files a project holds."""

from __future__ import annotations

import io
import random
import statistics
import time
import zipfile
from typing import Any

import httpx2

from bench.api_client import Client, ms, new_user, percentile, server_ms, source_text


async def timed_load(
    client: Client, project: str, encoding: str, etag: str | None = None
) -> tuple[float, int, httpx2.Response]:
    headers = {"accept-encoding": encoding}
    if etag:
        headers["if-none-match"] = etag
    began = time.perf_counter()
    async with client.http.stream(
        "GET", f"/api/projects/{project}/files", headers=headers
    ) as response:
        wire = 0
        async for chunk in response.aiter_raw():
            wire += len(chunk)
    elapsed = time.perf_counter() - began
    assert response.status_code in {200, 304}, response.status_code
    return elapsed, wire, response


async def bench_b(url: str, files: int, file_bytes: int, runs: int = 5) -> dict[str, Any]:
    client, _ = await new_user(url, "b")
    project = await client.new_project("b-large")
    rnd = random.Random(2)
    contents = {
        f"src/pkg{i // 100}/module_{i}.py": source_text(rnd, file_bytes) for i in range(files)
    }
    began = time.perf_counter()
    await client.fill(project, contents, batch_bytes=3_000_000)
    create_s = time.perf_counter() - began
    result: dict[str, Any] = {
        "files": files,
        "content_bytes": sum(len(t) for t in contents.values()),
        "create_s": round(create_s, 2),
    }
    etag = None
    for encoding in ("gzip", "identity"):
        await timed_load(client, project, encoding)  # warm
        times, wires = [], []
        for _ in range(runs):
            elapsed, wire, response = await timed_load(client, project, encoding)
            times.append(elapsed)
            wires.append(wire)
            etag = response.headers.get("etag")
            sent = response.headers.get("content-encoding", "identity")
        result[encoding] = {
            "median_ms": ms(statistics.median(times)),
            "min_ms": ms(min(times)),
            "max_ms": ms(max(times)),
            "wire_bytes": int(statistics.median(wires)),
            "content_encoding": sent,
        }
    not_modified = [(await timed_load(client, project, "gzip", etag))[0] for _ in range(runs)]
    result["revalidate_304_ms"] = ms(statistics.median(not_modified))
    await client.close()
    return result


# --- d: a large zip import -----------------------------------------------------------------


async def bench_d(url: str, files: int, runs: int) -> dict[str, Any]:
    client, _ = await new_user(url, "d")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for i in range(files):
            archive.writestr(f"pkg{i // 1000}/file{i:05}.txt", f"line {i}\n")
    body = buffer.getvalue()
    times = []
    for run in range(runs):
        began = time.perf_counter()
        response = await client.http.post(
            f"/api/projects/import?name=d-{run}",
            content=body,
            headers={"content-type": "application/zip", "x-csrf-token": client.csrf},
        )
        times.append(time.perf_counter() - began)
        response.raise_for_status()
    await client.close()
    return {
        "files": files,
        "zip_bytes": len(body),
        "runs": runs,
        "median_s": round(statistics.median(times), 2),
        "max_s": round(max(times), 2),
    }


# --- c: a one-line change in a big project ------------------------------------------------


async def one_line_changes(
    client: Client,
    project: str,
    contents: dict[str, str],
    versions: dict[str, int],
    runs: int,
    mode: str = "patch",
) -> dict[str, Any]:
    """`mode` patch: the change goes as an edit of the base text; put: the whole file."""
    rnd = random.Random(3)
    paths = sorted(contents)
    sent, request_total, server, wall = [], [], [], []
    for run in range(runs):
        path = rnd.choice(paths)
        lines = contents[path].split("\n")
        at = rnd.randrange(len(lines) - 1)
        addition = f"  # edit {run}"
        offset = sum(len(line) + 1 for line in lines[:at]) + len(lines[at])
        lines[at] = lines[at] + addition
        contents[path] = "\n".join(lines)
        if mode == "patch":
            op = {
                "op": "patch",
                "path": path,
                "base_version": versions[path],
                "edits": [{"start": offset, "end": offset, "text": addition}],
            }
        else:
            op = {
                "op": "put",
                "path": path,
                "base_version": versions[path],
                "content": contents[path],
            }
        began = time.perf_counter()
        response, body_bytes = await client.sync(project, [op])
        wall.append(time.perf_counter() - began)
        result = response.json()["results"][0]
        assert result["status"] == "ok", result
        versions[path] = result["version"]
        sent.append(body_bytes)
        request = response.request
        head = sum(len(k) + len(v) + 4 for k, v in request.headers.raw)  # "k: v\r\n"
        line = len(b"POST ") + len(request.url.raw_path) + len(b" HTTP/1.1\r\n\r\n")
        request_total.append(body_bytes + head + line)
        server.append(server_ms(response) or float("nan"))
    return {
        "bytes_sent": int(statistics.median(sent)),
        "request_bytes_with_headers": int(statistics.median(request_total)),
        "server_ms": round(statistics.median(server), 2),
        "server_ms_p90": round(percentile(server, 0.9), 2),
        "wall_ms": ms(statistics.median(wall)),
    }


async def bench_c(url: str, files: int, file_bytes: int, runs: int = 20) -> dict[str, Any]:
    client, _ = await new_user(url, "c")
    rnd = random.Random(4)
    measured: dict[int, dict[str, Any]] = {}
    for count in (files, 10):  # the big project, then a small one for comparison
        project = await client.new_project(f"c-{count}")
        contents = {f"lib/d{i // 200}/f{i}.ts": source_text(rnd, file_bytes) for i in range(count)}
        versions = await client.fill(project, contents, batch_bytes=4_000_000)
        measured[count] = await one_line_changes(client, project, contents, versions, runs)
        whole = await one_line_changes(client, project, contents, versions, runs, mode="put")
        measured[count]["as_whole_file_put"] = {k: whole[k] for k in ("bytes_sent", "server_ms")}
        if count == files:  # creating a file also looks for a folder in its way
            created = []
            for run in range(runs):
                response, _ = await client.sync(
                    project,
                    [{"op": "put", "path": f"lib/d{run % 10}/new_{run}.ts", "content": "x\n"}],
                )
                created.append(server_ms(response) or float("nan"))
            measured[count]["new_file_server_ms"] = round(statistics.median(created), 2)
    await client.close()
    return {
        "files": files,
        "file_bytes": file_bytes,
        "runs": runs,
        **measured[files],
        "same_change_in_10_files": measured[10],
    }
