"""The ready view until the workbench exists: proof that Python drives the page."""

from __future__ import annotations

from client.ffi import dom


def show(runtime: str, build_id: str) -> None:
    root = dom.by_id("workbench")
    card = dom.element("section", class_="welcome")
    card.append(dom.element("h1", "CosPAI IDE is ready"))
    rows = [
        ("Python", runtime),
        ("Build", build_id),
        ("Cross-origin isolated", "yes" if dom.cross_origin_isolated() else "no"),
    ]
    table = dom.element("dl")
    for label, value in rows:
        table.append(dom.element("dt", label))
        table.append(dom.element("dd", value))
    card.append(table)
    root.replaceChildren(card)
