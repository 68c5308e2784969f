"""client.core.shell.lexer and parser: quoting, escapes, operators, syntax errors."""

from __future__ import annotations

import pytest

from client.core.shell.lexer import BARE, DOUBLE, LITERAL, Op, ShellSyntaxError, Word, tokenize
from client.core.shell.parser import parse, split_assignment


def texts(line: str) -> list[str]:
    return [t.text if isinstance(t, Word) else f"<{t.value}>" for t in tokenize(line)]


def test_words_split_on_blanks_and_quotes_join_them() -> None:
    assert texts("echo  a\tb") == ["echo", "a", "b"]
    assert texts("echo 'a b' \"c d\" e' 'f") == ["echo", "a b", "c d", "e f"]
    assert texts("echo '' \"\"") == ["echo", "", ""]  # empty quotes are empty words


def test_each_part_remembers_its_quoting() -> None:
    word = tokenize("a'$b'\"$c\"\\*")[0]
    assert isinstance(word, Word)
    assert word.parts == (("a", BARE), ("$b", LITERAL), ("$c", DOUBLE), ("*", LITERAL))


def test_backslash_escapes() -> None:
    assert texts(r"echo a\ b \; \\") == ["echo", "a b", ";", "\\"]
    # Inside double quotes only $ ` " \ are escapable; other backslashes stay.
    assert texts(r'echo "a\"b\$c\n"') == ["echo", 'a"b$c\\n']
    assert texts(r"echo 'a\nb'") == ["echo", "a\\nb"]


def test_operators_need_no_spaces() -> None:
    assert texts("a&&b||c;d|e") == ["a", "<&&>", "b", "<||>", "c", "<;>", "d", "<|>", "e"]
    assert texts("cat<in>out>>log") == ["cat", "<<>", "in", "<>>", "out", "<>>>", "log"]


def test_file_descriptor_redirections() -> None:
    assert texts("cmd 2>err 2>&1 &>all 2>>log") == [
        "cmd",
        "<2>>",
        "err",
        "<2>&1>",
        "<&>>",
        "all",
        "<2>>>",
        "log",
    ]
    assert texts("echo a2>f") == ["echo", "a2", "<>>", "f"]  # the 2 belongs to the word
    assert texts("echo 2 >f") == ["echo", "2", "<>>", "f"]


def test_command_substitutions_stay_whole_words() -> None:
    assert texts('echo $(ls -a | wc -l)x "a $(echo ")") b" `pwd`') == [
        "echo",
        "$(ls -a | wc -l)x",
        'a $(echo ")") b',
        "`pwd`",
    ]
    with pytest.raises(ShellSyntaxError, match="matching '`'"):
        tokenize("echo `pwd")


def test_comments() -> None:
    assert texts("echo a # not this") == ["echo", "a"]
    assert texts("echo a#b '#c'") == ["echo", "a#b", "#c"]
    assert tokenize("# only a comment") == []


def test_unterminated_quotes_are_errors() -> None:
    with pytest.raises(ShellSyntaxError, match='matching "\'"'):
        tokenize("echo 'abc")
    with pytest.raises(ShellSyntaxError, match="matching '\"'"):
        tokenize('echo "abc')


def test_structure_of_a_line() -> None:
    chains = parse("a x | b && c || d; e")
    assert len(chains) == 2
    first = chains[0]
    assert [w.text for w in first.first.commands[0].words] == ["a", "x"]
    assert len(first.first.commands) == 2
    assert [op for op, _ in first.rest] == ["&&", "||"]


def test_assignments_only_before_the_command_name() -> None:
    command = parse("A=1 B='x y' cmd C=2")[0].first.commands[0]
    assert [(n, w.text) for n, w in command.assignments] == [("A", "1"), ("B", "x y")]
    assert [w.text for w in command.words] == ["cmd", "C=2"]
    bare = parse("A=1")[0].first.commands[0]
    assert bare.words == [] and bare.assignments[0][0] == "A"
    for line in ("'A'=1", "1A=1"):
        word = tokenize(line)[0]
        assert isinstance(word, Word)
        assert split_assignment(word) is None


def test_redirections_are_kept_in_order() -> None:
    command = parse("cmd >out 2>&1 <in")[0].first.commands[0]
    assert [(r.op, r.target.text if r.target else None) for r in command.redirects] == [
        (">", "out"),
        ("2>&1", None),
        ("<", "in"),
    ]


@pytest.mark.parametrize(
    ("line", "token"),
    [
        ("| a", "|"),
        ("a |", "newline"),
        ("a && && b", "&&"),
        ("a ||", "newline"),
        ("; ;", ";"),
        ("a >", "newline"),
        ("a > | b", "|"),
        ("a < ;", ";"),
        ("&& a", "&&"),
    ],
)
def test_syntax_errors_name_the_token(line: str, token: str) -> None:
    with pytest.raises(ShellSyntaxError) as error:
        parse(line)
    assert str(error.value) == f"syntax error near unexpected token '{token}'"


def test_background_jobs_are_refused_plainly() -> None:
    with pytest.raises(ShellSyntaxError, match="background jobs"):
        parse("sleep 1 &")


def test_an_empty_line_or_only_semicolons() -> None:
    assert parse("") == []
    assert parse("   ") == []
    assert parse("a;")[0].first.commands[0].words[0].text == "a"
    assert isinstance(tokenize(";")[0], Op)
