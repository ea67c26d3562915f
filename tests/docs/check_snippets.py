#!/usr/bin/env python3
"""Every code snippet of the documentation is a file that the test suite builds and runs.

A fenced block of code (C, C++, Python, JavaScript, TypeScript) in README.md or
docs/*.md must follow a marker line naming the file it shows:

    <!-- snippet: examples/snippets/client_dial.cpp -->          the whole file
    <!-- snippet: examples/snippets/c/errors.c#codes -->          one region of it

A region is the lines between `snippet-begin: NAME` and `snippet-end: NAME`
(in a comment of the file's language; the marker lines themselves are left
out), with their common indentation removed. The block must equal the file or
region byte for byte, so a snippet cannot drift from the program that the
suite runs (examples/snippets/CMakeLists.txt). Shell, JSON, CMake and text
blocks need no file. Every file under examples/snippets/ must be shown
somewhere.

    check_snippets.py [--write] [REPO]

--write rewrites each marked block from its file (after editing a snippet).
Exit status 1 with one line per problem.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

CODE = {"c", "cpp", "c++", "cc", "python", "py", "js", "javascript", "mjs", "cjs", "ts", "typescript"}
SKIP = {"docs/benchmarks.md"}  # figures and their commands only (docs/benchmarks.md is kept by its own checks)
MARKER = re.compile(r"^<!-- snippet: (?P<path>[^#\s]+)(?:#(?P<region>[\w.-]+))? -->$")
FENCE = re.compile(r"^(?P<fence>```+)(?P<info>.*)$")


def region_text(path: Path, region: str | None) -> str:
    text = path.read_text()
    if region is None:
        return text
    lines = text.splitlines(keepends=True)
    begin = [i for i, l in enumerate(lines) if re.search(rf"snippet-begin: {re.escape(region)}\b", l)]
    end = [i for i, l in enumerate(lines) if re.search(rf"snippet-end: {re.escape(region)}\b", l)]
    if len(begin) != 1 or len(end) != 1 or end[0] < begin[0]:
        raise ValueError(f"{path}: no single snippet-begin/snippet-end pair for region '{region}'")
    body = lines[begin[0] + 1 : end[0]]
    indents = [len(l) - len(l.lstrip(" ")) for l in body if l.strip()]
    cut = min(indents, default=0)
    return "".join(l[cut:] if l.strip() else l.lstrip(" ") for l in body)


def blocks(md: str):
    """(index of the fence line, info string, first body line, end fence line) for each fenced block."""
    lines = md.split("\n")
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if m:
            fence = m.group("fence")
            j = i + 1
            while j < len(lines) and lines[j] != fence:
                j += 1
            yield i, m.group("info").strip(), i + 1, j
            i = j + 1
        else:
            i += 1


def check(repo: Path, write: bool) -> list[str]:
    problems: list[str] = []
    shown: set[Path] = set()
    docs = [repo / "README.md", *sorted((repo / "docs").glob("*.md"))]
    for doc in docs:
        rel = doc.relative_to(repo).as_posix()
        if rel in SKIP:
            continue
        md = doc.read_text()
        lines = md.split("\n")
        edits: list[tuple[int, int, str]] = []
        for fence_at, info, first, end in blocks(md):
            lang = info.split()[0].lower() if info else ""
            marker = MARKER.match(lines[fence_at - 1]) if fence_at > 0 else None
            where = f"{rel}:{fence_at + 1}"
            if marker is None:
                if lang in CODE:
                    problems.append(f"{where}: a ```{lang} block with no <!-- snippet: examples/snippets/… --> line before it")
                continue
            path = repo / marker.group("path")
            if not path.is_file():
                problems.append(f"{where}: {marker.group('path')} does not exist")
                continue
            shown.add(path.resolve())
            try:
                want = region_text(path, marker.group("region"))
            except ValueError as e:
                problems.append(f"{where}: {e}")
                continue
            have = "\n".join(lines[first:end]) + "\n" if end > first else ""
            if have != want:
                if write:
                    edits.append((first, end, want))
                else:
                    problems.append(f"{where}: the block differs from {marker.group(0)[len('<!-- snippet: '):-len(' -->')]} "
                                    f"(check_snippets.py --write copies the file into the doc)")
        if edits:
            for first, end, want in reversed(edits):
                lines[first:end] = want.rstrip("\n").split("\n")
            doc.write_text("\n".join(lines))
            print(f"rewrote {len(edits)} block(s) of {rel}")
    snippets = repo / "examples" / "snippets"
    for f in sorted(snippets.rglob("*")) if snippets.is_dir() else []:
        if f.is_file() and f.suffix in {".c", ".cpp", ".py", ".js", ".mjs", ".ts"} and f.resolve() not in shown:
            problems.append(f"{f.relative_to(repo)}: no doc shows it (a <!-- snippet: … --> line)")
    return problems


def main() -> int:
    args = [a for a in sys.argv[1:] if a != "--write"]
    repo = Path(args[0] if args else Path(__file__).resolve().parents[2])
    problems = check(repo, "--write" in sys.argv[1:])
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} problem(s)")
        return 1
    print("every code snippet of the docs is its file")
    return 0


if __name__ == "__main__":
    sys.exit(main())
