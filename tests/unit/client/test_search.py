"""client.core.search: project-wide text and regex search, in slices."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TypedDict, Unpack

import pytest

from client.core.search import (
    PREVIEW_CHARS,
    Options,
    Search,
    SearchError,
    compile_query,
    editor_column,
    glob_regex,
    path_filter,
    preview,
    summary,
)
from contract.rules import SyncRules


@dataclass(frozen=True)
class File:
    content: bytes
    binary: bool = False


def project(**texts: str) -> dict[str, File]:
    return {
        path.replace("__", "/").replace("_dot_", "."): File(text.encode())
        for path, text in texts.items()
    }


FILES = {
    "src/App.jsx": File(
        b"import React from 'react';\n\nexport function App() {\n  return <h1>Hello App</h1>;\n}\n"
    ),
    "src/App.test.jsx": File(b"test('renders app', () => {\n  render(<App />);\n});\n"),
    "src/util.js": File(b"export const apply = (f, x) => f(x);\nconst happy = 1;\n"),
    "README.md": File(b"# My app\r\nRun `npm start`.\r\n"),
    "logo.png": File(b"\x89PNG app app", binary=True),
    "node_modules/react/index.js": File(b"module.exports = app;\n"),
    ".env": File(b"APP_SECRET=1\n"),
}


class OptionFields(TypedDict, total=False):
    """Options' fields besides the query."""

    regex: bool
    case_sensitive: bool
    whole_word: bool
    include: str
    exclude: str
    max_results: int


def run(
    query: str,
    files: dict[str, File] = FILES,
    rules: SyncRules | None = None,
    **options: Unpack[OptionFields],
) -> Search:
    ignored = rules.ignored if rules is not None else (lambda _p: False)
    return Search(files, Options(query, **options), ignored).run()


# Where the word "app", in any case, stands in FILES' text files outside ignored folders:
# (path, line, column), as lines() lists hits.
APP_WORD = [
    ("README.md", 1, 6),
    ("src/App.jsx", 3, 17),
    ("src/App.jsx", 4, 20),
    ("src/App.test.jsx", 1, 15),
    ("src/App.test.jsx", 2, 11),
]


def lines(search: Search) -> list[tuple[str, int, int]]:
    return [(f.path, h.line, h.column) for f in search.results for h in f.hits]


def test_plain_text_is_case_insensitive_by_default(rules: SyncRules) -> None:
    found = run("app", rules=rules)
    # The word, and "app" inside "apply" and "happy".
    assert lines(found) == [*APP_WORD, ("src/util.js", 1, 14), ("src/util.js", 2, 8)]
    assert found.matches == 7 and not found.capped and found.error is None
    assert summary(found) == "7 results in 4 files"


def test_binary_and_ignored_files_are_skipped(rules: SyncRules) -> None:
    paths = [f.path for f in run("app", rules=rules).results]
    assert "logo.png" not in paths
    assert "node_modules/react/index.js" not in paths and ".env" not in paths
    # Without the rules, only binary files are skipped.
    paths = [f.path for f in run("app").results]
    assert "node_modules/react/index.js" in paths and "logo.png" not in paths


def test_case_sensitive_and_whole_word() -> None:
    assert lines(run("App", case_sensitive=True)) == [
        ("src/App.jsx", 3, 17),
        ("src/App.jsx", 4, 20),
        ("src/App.test.jsx", 2, 11),
    ]
    # Whole word: not "apply" or "happy"; files in path order, as the tree lists them
    # (without the rules, node_modules/ too).
    assert lines(run("app", whole_word=True)) == [("node_modules/react/index.js", 1, 18), *APP_WORD]


def test_whole_word_works_next_to_punctuation() -> None:
    files = project(a_dot_py="f(x)\nff(x)\nf(xx)\n")
    assert [h.line for h in run("f(x", files, whole_word=True).results[0].hits] == [1]
    assert run("f(x", files, whole_word=True).matches == 1


def test_regex_search_and_its_spans() -> None:
    found = run(r"h\w+y|ap+ly", case_sensitive=True, regex=True)
    hits = found.results[0].hits
    assert found.results[0].path == "src/util.js"
    assert [(h.line, h.column, h.preview) for h in hits] == [
        (1, 14, "export const apply = (f, x) => f(x);"),
        (2, 7, "const happy = 1;"),
    ]
    assert hits[0].spans == ((13, 18),)
    assert hits[1].preview[slice(*hits[1].spans[0])] == "happy"


def test_several_matches_on_one_line_are_one_hit() -> None:
    files = project(a_dot_txt="    cat cat dog cat\nnone\ncat\n")
    found = run("cat", files)
    first, second = found.results[0].hits
    assert (first.line, first.column, first.preview) == (1, 5, "cat cat dog cat")
    assert first.spans == ((0, 3), (4, 7), (12, 15))
    assert (second.line, second.spans) == (3, ((0, 3),))
    assert found.matches == 4 and found.results[0].count == 4


def test_regex_anchors_work_per_line_and_empty_matches_are_skipped() -> None:
    files = project(a_dot_txt="start here\nnot start\nstart again\n")
    assert [h.line for h in run("^start", files, regex=True).results[0].hits] == [1, 3]
    assert run("x*", files, regex=True).matches == 0
    assert run("^", files, regex=True).results == []


def test_a_match_across_lines_is_shown_on_its_first_line() -> None:
    files = project(a_dot_txt="one\ntwo\nthree\n")
    hit = run(r"two\nthr", files, regex=True).results[0].hits[0]
    assert (hit.line, hit.preview, hit.spans) == (2, "two", ((0, 3),))


def test_crlf_lines() -> None:
    hit = run("start", regex=False).results[0].hits[0]
    assert (hit.line, hit.column, hit.preview) == (2, 10, "Run `npm start`.")


@pytest.mark.parametrize("query", ["(", "[a-", "a{2,1}", "(?P<x>a)(?P<x>b)", "*a"])
def test_an_invalid_regex_says_why(query: str) -> None:
    found = run(query, regex=True)
    assert found.error is not None and found.error.startswith("Invalid regular expression: ")
    assert found.done and found.results == []
    assert summary(found) == found.error
    with pytest.raises(SearchError):
        compile_query(Options(query, regex=True))
    assert run(query).error is None  # the same text as plain text is fine


def test_an_empty_query_is_an_error_message_not_an_exception() -> None:
    assert run("").error == "Type something to search for."


@pytest.mark.parametrize(
    ("glob", "matches", "misses"),
    [
        ("src/**", ["src/a.js", "src/x/y/z.js"], ["lib/src/a.js", "srcx/a.js"]),
        ("src", ["src/a.js", "lib/src/a.js"], ["srcx/a.js", "x/src.js"]),
        ("*.test.js", ["a.test.js", "x/y/b.test.js"], ["a.test.jsx", "test.js"]),
        ("**/*.py", ["a.py", "x/y.py"], ["a.pyc"]),
        ("src/*.js", ["src/a.js"], ["src/x/a.js"]),
        ("*.{js,ts}", ["a.js", "x/b.ts"], ["c.jsx"]),
        ("file?.txt", ["file1.txt"], ["file12.txt", "file/.txt"]),
        ("[ab]*.md", ["a.md", "b1.md"], ["c.md"]),
        ("./docs/", ["docs/x.md"], ["x/docs.md"]),
        ("a+b(c).txt", ["a+b(c).txt"], ["aab(c).txt"]),
    ],
)
def test_globs(glob: str, matches: list[str], misses: list[str]) -> None:
    pattern = re.compile(glob_regex(glob), re.IGNORECASE)
    for path in matches:
        assert pattern.fullmatch(path), (glob, path)
    for path in misses:
        assert not pattern.fullmatch(path), (glob, path)


def test_include_and_exclude_filters() -> None:
    keep = path_filter("src/**, *.md", "*.test.jsx")
    assert keep("src/App.jsx") and keep("README.md")
    assert not keep("src/App.test.jsx") and not keep("lib/a.js")
    assert path_filter("", "")("anything")
    assert path_filter("{a,b}/**", "")("b/x.js")
    found = run("app", include="src/**", exclude="*.test.jsx")
    assert [f.path for f in found.results] == ["src/App.jsx", "src/util.js"]


def test_results_are_capped_and_say_so() -> None:
    files = {f"f{i:03}.txt": File(b"hit hit\n" * 10) for i in range(300)}
    found = run("hit", files, max_results=2000)
    assert found.matches == 2000 and found.capped and found.done
    assert "stopped at 2000" in summary(found)
    exact = run("hit", {k: files[k] for k in list(files)[:100]}, max_results=2000)
    assert exact.matches == 2000 and not exact.capped


def test_it_runs_in_slices_and_survives_files_changing_meanwhile() -> None:
    files = {f"f{i:03}.txt": File(b"x" * 1000 + b" needle\n") for i in range(100)}
    search = Search(files, Options("needle"))
    steps = 0
    while not search.step(budget=10_000):
        steps += 1
        if steps == 3:
            del files["f099.txt"]  # deleted while the search runs: just skipped
            files["f098.txt"] = File(b"\x00", binary=True)
    assert steps >= 9
    assert search.matches == 98 and search.files_searched == 98
    assert summary(search) == "98 results in 98 files"


def test_progress_is_reported_before_the_end() -> None:
    files = {f"f{i}.txt": File(b"needle\n") for i in range(10)}
    search = Search(files, Options("needle"))
    search.step(budget=1)
    assert not search.done and summary(search) == "1 result in 1 file so far…"
    assert summary(Search(files, Options("zzz"))) == "Searching…"


def test_long_lines_are_trimmed_around_the_match() -> None:
    line = "a" * 5000 + "NEEDLE" + "b" * 5000
    hit = run("needle", project(x_dot_txt=line + "\n")).results[0].hits[0]
    assert hit.column == 5001
    assert hit.preview.startswith("…") and hit.preview.endswith("…")
    assert len(hit.preview) <= PREVIEW_CHARS + 2
    assert hit.preview[slice(*hit.spans[0])] == "NEEDLE"


def test_preview_drops_indentation_and_keeps_spans_on_the_text() -> None:
    assert preview("\t\t  x = 1", [(4, 5)]) == ("x = 1", ((0, 1),))
    assert preview("   ", [(0, 3)]) == ("   ", ((0, 3),))  # searching for spaces
    text, spans = preview("x" * 1000, [(990, 1000)])
    assert text.startswith("…") and not text.endswith("…")
    assert [text[a:b] for a, b in spans] == ["x" * 10]


def test_columns_count_as_the_editor_does() -> None:
    assert editor_column("ab", 1) == 2
    assert editor_column("😀x", 1) == 3  # an emoji is two UTF-16 units
    hit = run("x", project(e_dot_txt="😀😀x\n")).results[0].hits[0]
    assert hit.column == 5 and hit.preview[slice(*hit.spans[0])] == "x"


def test_invalid_utf8_does_not_stop_the_search() -> None:
    files = {"bad.txt": File(b"caf\xe9 needle\n")}
    assert run("needle", files).results[0].hits[0].preview == "caf\ufffd needle"


def test_the_bad_glob_or_path_never_raises() -> None:
    assert run("x", include="[").error is None
    assert run("x", include="{a,b").error is None


def test_case_insensitive_text_finds_the_same_with_or_without_ascii() -> None:
    files = project(
        a_dot_txt="plain APP here\n",
        b_dot_txt="Café APP ünïcode\n",
        c_dot_txt="CAFÉ au lait\n",
        d_dot_txt="nothing\n",
    )
    assert [f.path for f in run("app", files).results] == ["a.txt", "b.txt"]
    assert [f.path for f in run("café", files).results] == ["b.txt", "c.txt"]
    assert run("app", files, whole_word=True).matches == 2
    # Every file is counted as searched, whether skipped early or scanned.
    assert run("app", files).files_searched == 4
