#!/usr/bin/env python3
"""docs/concepts.md names every act once per surface: check that each name it gives exists.

For each table row: every `cw_*` name is declared in capi/include/callwire.h; every C++ name
(`Class::method`, or a bare method of the client table) is declared in include/callwire/; every
Python name is a `def` of bindings/python/src/callwire/; every Node name is a member in
bindings/node/index.d.ts. And no C name that CHANGELOG.md says was renamed is still declared.
Run: check_concepts.py [repo]
"""
import re
import sys
from pathlib import Path

CODE = re.compile(r"`([^`]+)`")
IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def names_in(cell: str) -> list[str]:
    """The code spans of a table cell."""
    return CODE.findall(cell)


def last_identifier(span: str) -> str | None:
    """`storage.contacts.remove` → remove; `subscribe(fn)` → subscribe; `on('update' …)` → on."""
    head = span.split("(")[0].strip()
    found = IDENT.findall(head)
    return found[-1] if found else None


def check(repo: Path) -> list[str]:
    doc = (repo / "docs" / "concepts.md").read_text()
    header = (repo / "capi" / "include" / "callwire.h").read_text()
    cxx = {p.name: p.read_text() for p in (repo / "include" / "callwire").glob("*.hpp")}
    python = "\n".join(p.read_text() for p in (repo / "bindings" / "python" / "src" / "callwire").glob("*.py"))
    node = (repo / "bindings" / "node" / "index.d.ts").read_text()
    problems: list[str] = []
    table = None
    rows = 0
    for line in doc.splitlines():
        if not line.startswith("|"):
            table = None
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells[0] == "act":
            table = cells
            continue
        if table is None or set(line) <= set("|- "):
            continue
        rows += 1
        for column, cell in zip(table, cells):
            for span in names_in(cell):
                if column.startswith("C++"):
                    if "::" in span:
                        cls, _, member = span.partition("::")
                        member = last_identifier(member)
                        files = ([t for t in cxx.values() if re.search(rf"\b(class|struct) {cls}\b", t)]
                                 if cls != "callwire" else list(cxx.values()))  # callwire:: is the namespace
                    else:
                        member = last_identifier(span)
                        files = [cxx["call_client.hpp"]] if "CallClient" in column else list(cxx.values())
                    if member and not any(re.search(rf"\b{member}\b\s*[(=;]", t) or re.search(rf"\b{member}\s*=", t) for t in files):
                        problems.append(f"{cells[0]}: C++ `{span}` is not declared in include/callwire/")
                elif column == "C":
                    for name in re.findall(r"\bcw_[a-z0-9_]+", span):
                        if not re.search(rf"\b{name}\b", header):
                            problems.append(f"{cells[0]}: C `{name}` is not in callwire.h")
                elif column.startswith("Python"):
                    member = last_identifier(span)
                    if "=" in span or member in {"logging", "callwire"}:  # the logger's and package's names
                        continue
                    if member and not re.search(rf"(def|class) {member}\b|^{member} = ", python, re.M):
                        problems.append(f"{cells[0]}: Python `{span}` is not defined in bindings/python")
                elif column.startswith("Node"):
                    member = last_identifier(span)
                    if "{" in span or member in {"on", "off"}:
                        continue
                    if member and not re.search(rf"\b{member}\b\s*[(:?<]|\b(const|class|function) {member}\b", node):
                        problems.append(f"{cells[0]}: Node `{span}` is not in index.d.ts")
    if rows < 50:
        problems.append(f"docs/concepts.md: only {rows} rows found; the tables were not read")
    changelog = (repo / "CHANGELOG.md").read_text()
    for line in changelog.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0] == "C":
            for old in re.findall(r"\bcw_[a-z0-9_]+", cells[1]):
                if re.search(rf"\b{old}\b", header):
                    problems.append(f"CHANGELOG.md says `{old}` was renamed, but callwire.h still declares it")
    return problems


def main() -> int:
    repo = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parents[2])
    problems = check(repo)
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} problem(s)")
        return 1
    print("every name of docs/concepts.md exists on its surface")
    return 0


if __name__ == "__main__":
    sys.exit(main())
