"""A small ASGI web app using only the standard library: a page, a JSON API and a 404.

Run it in the IDE's terminal with `python app.py`: it is served in the Preview panel on
port 8000. Anywhere else, any ASGI server runs it (`uvicorn app:app`).
"""

import json
from urllib.parse import parse_qs

PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>ASGI app</title>
  <style>
    body { font: 16px/1.5 system-ui, sans-serif; max-width: 40rem; margin: 2rem auto;
           padding: 0 1rem; color: #1f2937; }
    input, button { font: inherit; padding: .3rem .6rem; }
    #answer { font-weight: 600; }
  </style>
</head>
<body>
  <h1>Hello from an ASGI app</h1>
  <p>This page and the API below are answered by <code>app.py</code>.</p>
  <form id="form">
    <input id="name" value="world" aria-label="Name">
    <button type="submit">Greet</button>
  </form>
  <p id="answer"></p>
  <script>
    const form = document.getElementById("form");
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const name = document.getElementById("name").value;
      const response = await fetch("/api/hello?name=" + encodeURIComponent(name));
      const data = await response.json();
      document.getElementById("answer").textContent = data.message;
      console.log("the API said", data);
    });
  </script>
</body>
</html>
"""


def hello(query_string):
    name = parse_qs(query_string).get("name", ["world"])[0]
    return {"message": f"Hello, {name}!"}


async def app(scope, receive, send):
    if scope["type"] != "http":
        return  # no startup or shutdown work (the "lifespan" messages)
    path = scope["path"]
    if path == "/":
        status, kind, body = 200, "text/html; charset=utf-8", PAGE.encode()
    elif path == "/api/hello":
        answer = hello(scope["query_string"].decode())
        status, kind, body = 200, "application/json", json.dumps(answer).encode()
    else:
        status, kind, body = 404, "text/plain; charset=utf-8", b"Not found"
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", kind.encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


if __name__ == "__main__":
    try:
        from cospai import serve  # the IDE's runtime: serves the app in the preview
    except ImportError:
        raise SystemExit("Outside the IDE, run it with an ASGI server: uvicorn app:app") from None
    serve(app, port=8000)
