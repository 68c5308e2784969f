"""Lay names out in columns the way `ls` does on a terminal (down, then across), used by
`ls` and by the line editor's list of completions."""

from __future__ import annotations

GAP = 2


def columns(names: list[str], width: int) -> list[str]:
    """Rows of text no wider than `width` (one name a row when even two do not fit)."""
    if not names:
        return []
    for count in range(min(len(names), width // (GAP + 1) + 1), 0, -1):
        rows = -(-len(names) // count)
        cols = [names[i : i + rows] for i in range(0, len(names), rows)]
        widths = [max(len(name) for name in col) for col in cols]
        if sum(widths) + GAP * (len(cols) - 1) <= width or count == 1:
            break
    lines = []
    for row in range(rows):
        cells = [col[row] for col in cols if row < len(col)]
        padded = [cell.ljust(widths[i]) for i, cell in enumerate(cells[:-1])]
        lines.append((" " * GAP).join([*padded, cells[-1]]))
    return lines
