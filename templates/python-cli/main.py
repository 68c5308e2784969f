"""A small command-line tool built with only the Python standard library.

Usage:
    python main.py greet NAME [--shout]
    python main.py stats FILE
"""

import argparse
import sys

from textstats import greeting, text_stats


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="main.py",
        description="Greet people and count things in text files.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True)

    greet = subparsers.add_parser("greet", help="print a greeting")
    greet.add_argument("name", help="who to greet")
    greet.add_argument("--shout", action="store_true", help="greet in upper case")

    stats = subparsers.add_parser("stats", help="count lines, words and characters in a file")
    stats.add_argument("file", help="path to a UTF-8 text file")

    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)

    if args.command == "greet":
        print(greeting(args.name, shout=args.shout))
        return 0

    if args.command == "stats":
        try:
            with open(args.file, encoding="utf-8") as f:
                text = f.read()
        except OSError as exc:
            print(f"error: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
            return 1
        stats = text_stats(text)
        print(f"lines: {stats.lines}")
        print(f"words: {stats.words}")
        print(f"chars: {stats.chars}")
        return 0

    return 2


if __name__ == "__main__":
    raise SystemExit(main())
