"""The API's main path in one walk: sign up, create from a template, sync, save, load."""

from __future__ import annotations

from tests.support.api import Api


def test_walk_through(api: Api) -> None:
    project = api.new_project("walk", template="python-cli")
    assert project["file_count"] > 0
    files = api.files(project["id"])
    main = files["main.py"]
    response = api.sync(
        project["id"],
        [
            {
                "op": "put",
                "path": "main.py",
                "base_version": main["version"],
                "content": "print(2)\n",
            },
        ],
        revision_message="first save",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["results"][0]["status"] == "ok"
    assert body["revision"]["number"] == 1
    assert api.files(project["id"])["main.py"]["content"] == "print(2)\n"
