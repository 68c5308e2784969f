from textstats import count_chars, count_lines, count_words, greeting, text_stats


def test_greeting_plain_and_shout():
    assert greeting("Ada") == "Hello, Ada!"
    assert greeting("Ada", shout=True) == "HELLO, ADA!"


def test_count_lines_ignores_trailing_newline():
    assert count_lines("") == 0
    assert count_lines("one\ntwo\n") == 2
    assert count_lines("one\ntwo") == 2


def test_count_words_splits_on_any_whitespace():
    assert count_words("  hello   world\n\tagain ") == 3
    assert count_words("") == 0


def test_count_chars_counts_characters_not_bytes():
    assert count_chars("héllo") == 5
    assert count_chars("a b\n") == 4


def test_text_stats_combines_counts():
    stats = text_stats("The quick brown fox\njumps over the lazy dog\n")
    assert stats == (2, 9, 44)
    assert stats.lines == 2 and stats.words == 9 and stats.chars == 44
