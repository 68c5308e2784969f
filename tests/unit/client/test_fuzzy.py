"""client.core.fuzzy: quick open's matching and ranking of paths."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import TypedDict, Unpack

import pytest

from client.core.fuzzy import PathIndex, segments, split_location
from client.core.fuzzy_score import align, fold

PATHS = [
    "README.md",
    "package.json",
    "src/App.jsx",
    "src/App.test.jsx",
    "src/main.jsx",
    "src/components/Button.jsx",
    "src/components/ButtonGroup.jsx",
    "src/utils/apply_patch.py",
    "docs/api/application.md",
    "server/app_settings.py",
    "tests/unit/test_app.py",
    "lib/quick-open/index.ts",
]


class SearchArgs(TypedDict, total=False):
    limit: int
    recent: Sequence[str]


def ranked(query: str, paths: list[str] = PATHS, **kw: Unpack[SearchArgs]) -> list[str]:
    return [m.path for m in PathIndex(paths).search(query, **kw)]


def subsequence(query: str, path: str) -> bool:
    rest = iter(path.lower())
    return all(char in rest for char in query.lower())


def test_characters_in_order_ignoring_case() -> None:
    assert ranked("BTNGRP") == ["src/components/ButtonGroup.jsx"]
    assert "src/App.jsx" in ranked("sapj")
    assert ranked("jsxapp") == []  # out of order: no match
    for query in ["a", "sx", "ppy", "s/c", "t.t"]:
        assert sorted(ranked(query, limit=100)) == sorted(p for p in PATHS if subsequence(query, p))


def test_a_prefix_of_the_file_name_beats_a_match_in_folders() -> None:
    result = ranked("app")
    assert result[0] == "src/App.jsx"  # exact name without extension, shortest
    assert result.index("src/App.test.jsx") < result.index("docs/api/application.md")
    # 'app' only spread over the path (a-p-p across folders) comes after every name hit.
    names = [p for p in result if "app" in p.rsplit("/", 1)[-1].lower()]
    assert result[: len(names)] == names


def test_the_file_name_beats_folders_even_when_longer() -> None:
    paths = ["button/index.js", "src/deep/folder/button.js"]
    assert ranked("button", paths) == ["src/deep/folder/button.js", "button/index.js"]


def test_word_starts_and_camel_case_win() -> None:
    paths = ["src/abutton_grid.js", "src/ButtonGrid.js"]
    assert ranked("bg", paths)[0] == "src/ButtonGrid.js"
    paths = ["qxuxixcxk.ts", "quick-open.ts"]
    assert ranked("qo", paths)[0] == "quick-open.ts"
    paths = ["x/apply_settings.py", "x/app_settings.py"]
    assert ranked("aset", paths)[0] == "x/app_settings.py"


def test_contiguous_runs_win() -> None:
    paths = ["m/a_x_i_n.py", "m/main.py"]
    assert ranked("ain", paths) == ["m/main.py", "m/a_x_i_n.py"]


def test_shorter_paths_first_on_ties() -> None:
    paths = ["a/b/c/util.py", "util.py", "a/util.py"]
    assert ranked("util", paths) == ["util.py", "a/util.py", "a/b/c/util.py"]


def test_positions_point_at_the_matched_characters() -> None:
    index = PathIndex(PATHS)
    for query in ["btngrp", "app", "s/c/b", "apply", "qo"]:
        for match in index.search(query):
            picked = "".join(match.path[i] for i in match.positions).lower()
            assert picked == query.replace(" ", "")
            assert list(match.positions) == sorted(set(match.positions))
    top = index.search("btn")[0]
    assert top.path == "src/components/Button.jsx"
    assert top.positions[0] == top.path.index("Button")


def test_space_separated_parts_each_match() -> None:
    result = ranked("comp group")
    assert result == ["src/components/ButtonGroup.jsx"]
    assert set(ranked("test app")) == {"tests/unit/test_app.py", "src/App.test.jsx"}
    assert ranked("nothing here") == []
    match = PathIndex(PATHS).search("src group")[0]
    picked = "".join(match.path[i] for i in match.positions).lower()
    assert picked == "srcgroup"


def test_the_query_may_contain_slashes_and_regex_characters() -> None:
    assert ranked("src/app")[0] == "src/App.jsx"
    assert ranked("a.md")[0] == "docs/api/application.md"
    assert ranked("(") == [] and ranked("[*") == [] and ranked("\\") == []
    assert ranked("quick-open") == ["lib/quick-open/index.ts"]


def test_empty_query_lists_recent_files_first() -> None:
    recent = ["src/main.jsx", "gone.txt", "README.md"]
    result = ranked("", recent=recent)
    assert result[:2] == ["src/main.jsx", "README.md"]
    assert sorted(result) == sorted(PATHS)
    assert len(ranked("", limit=3, recent=recent)) == 3


def test_recent_files_win_ties() -> None:
    paths = ["a/util.py", "b/util.py"]
    assert ranked("util", paths) == ["a/util.py", "b/util.py"]
    assert ranked("util", paths, recent=["b/util.py"]) == ["b/util.py", "a/util.py"]


def test_the_limit_is_respected_and_typing_narrows() -> None:
    paths = [f"pkg{i}/module{i}.py" for i in range(500)]
    index = PathIndex(paths)
    assert len(index.search("m", limit=50)) == 50
    assert len(index.search("mo", limit=1000)) == 500
    narrowed = [m.path for m in index.search("module42.", limit=1000)]
    assert narrowed[0] == "pkg42/module42.py"
    assert sorted(narrowed) == sorted(p for p in paths if subsequence("module42.", p))
    # A new query that is not an extension of the last one starts from every path.
    assert len(index.search("pkg", limit=1000)) == 500
    assert [m.path for m in index.search("module42.", limit=1000)] == narrowed


def test_unicode_folding_keeps_positions() -> None:
    assert len("İ".lower()) == 2  # the reason fold() exists
    assert fold("İstanbul.TXT") == "İstanbul.txt"
    match = PathIndex(["docs/İstanbul/Ünïcode.md"]).search("ünï")[0]
    assert "".join(match.path[i] for i in match.positions) == "Ünï"


def test_align_finds_the_best_placement() -> None:
    text = "src/quickOpen.py"
    found = align("qo", text, fold(text))
    assert found is not None
    score, positions = found
    assert positions == (4, 9)  # q at the name start, O at the camel hump
    assert align("zz", text, fold(text)) is None
    assert align("src", text, fold(text), offset=4) is None  # not in the name part


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("App.jsx:12", ("App.jsx", 12, None)),
        ("App.jsx:12:5", ("App.jsx", 12, 5)),
        ("App.jsx:", ("App.jsx", None, None)),
        ("  src/main.py:7  ", ("src/main.py", 7, None)),
        ("App.jsx", ("App.jsx", None, None)),
        (":12", (":12", None, None)),
        ("a:b", ("a:b", None, None)),
        ("", ("", None, None)),
    ],
)
def test_split_location(query: str, expected: tuple[str, int | None, int | None]) -> None:
    assert split_location(query) == expected


def test_segments_cut_text_for_highlighting() -> None:
    assert segments("src/App.jsx", (4, 5, 6)) == [("src/", False), ("App", True), (".jsx", False)]
    assert segments("ab", ()) == [("ab", False)]
    assert segments("", (1,)) == []


def test_matches_agree_with_a_plain_subsequence_test() -> None:
    """Random paths and queries (fixed seed): exactly the paths holding the query's
    characters in order come back, each with positions spelling the query."""
    rnd = random.Random(5)
    alphabet = "abcAB._-/x"
    paths = {
        "".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 14))).strip("/")
        for _ in range(400)
    }
    paths.discard("")
    index = PathIndex(paths)
    for _ in range(200):
        query = "".join(rnd.choice("abcAB._-x") for _ in range(rnd.randint(1, 4)))
        found = index.search(query, limit=10_000)
        assert sorted(m.path for m in found) == sorted(p for p in paths if subsequence(query, p))
        for match in found:
            assert "".join(match.path[i] for i in match.positions).lower() == query.lower()
        scores = [m.score for m in found]
        assert scores == sorted(scores, reverse=True)


def test_an_exact_name_beats_a_prefix_and_a_word_start_beats_the_middle() -> None:
    paths = ["src/apple.js", "lib/deep/folder/app.ts", "src/myApp.js", "src/happy.js"]
    assert ranked("app", paths) == [
        "lib/deep/folder/app.ts",
        "src/apple.js",
        "src/myApp.js",
        "src/happy.js",
    ]
    paths = ["x/tindexer.ts", "x/helper_index.ts"]
    assert ranked("index", paths) == ["x/helper_index.ts", "x/tindexer.ts"]


def test_where_the_match_begins_counts_most() -> None:
    paths = ["helpers/libTests.json", "src/button.js"]
    assert ranked("btn", paths) == ["src/button.js", "helpers/libTests.json"]


def test_a_huge_tier_still_lets_the_best_through() -> None:
    """Thousands of weak matches are scored only in part (time), but a better tier is
    always complete: the one exact name is first, however deep and long its path."""
    paths = [f"folder{i}/somexthing{i}.js" for i in range(5000)]
    paths.append("a/very/deep/folder/with/a/long/path/to/x.js")
    result = PathIndex(paths).search("x", limit=20)
    assert result[0].path == "a/very/deep/folder/with/a/long/path/to/x.js"
    assert len(result) == 20


def test_align_is_optimal() -> None:
    """Against every placement, tried one by one, on small random strings."""
    from itertools import combinations

    from client.core import fuzzy_score as score_of

    def score(text: str, positions: tuple[int, ...], name_start: int | None) -> int:
        total = 0
        for i, p in enumerate(positions):
            total += 1 + score_of.bonus(text, p) * (score_of.FIRST if i == 0 else 1)
            if name_start is not None and p >= name_start:
                total += score_of.IN_NAME
            if i:
                total += score_of.CONTIGUOUS if positions[i - 1] == p - 1 else -score_of.GAP
        return total

    rnd = random.Random(11)
    for _ in range(400):
        text = "".join(rnd.choice("abAB/_.") for _ in range(rnd.randint(1, 10)))
        low = fold(text)
        query = "".join(rnd.choice("ab_") for _ in range(rnd.randint(1, 3)))
        name_start = text.rfind("/") + 1
        best = max(
            (
                score(text, c, name_start)
                for c in combinations(range(len(text)), len(query))
                if "".join(low[i] for i in c) == query
            ),
            default=None,
        )
        found = align(query, text, low, 0, name_start)
        if best is None:
            assert found is None
        else:
            assert found is not None and found[0] == best
            assert score(text, found[1], name_start) == best
