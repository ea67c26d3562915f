#!/usr/bin/env python3
"""Every surface that declares the fields of a Call declares the codec's.

The source of truth is the JSON the codec (src/json/codec.cpp) writes for a
Call with every field set — what the C ABI, the Python and Node packages, the
REST API and the WebSocket all carry. tests/fields/call_fields_test.cpp checks
it against struct Call and the store's call_logs columns; this script checks
it against every hand-written list of the same fields:

  python dataclass   bindings/python/src/callwire/_types.py, class Call's fields
  python kinds       the same class's _KINDS (how from_dict converts each field)
  node index.d.ts    bindings/node/index.d.ts, interface Call
  web types.ts       examples/web/src/api/types.ts, interface Call
  openapi.yaml       docs/openapi.yaml, components.schemas.Call.properties
  callwire.h         capi/include/callwire.h, the Call JSON object of "Calls."
  docs/python.md     the Call row of the records table
  docs/storage.md    the call_logs columns table (against the store's columns)

The typed surfaces are also checked for null: a key the codec writes as null
(an unset optional member) must be declared nullable, and (but on the web) a
key it never writes as null must not be.

Usage: check_call_fields.py <call_fields_dump executable> <source dir>
Exits 1 naming, per surface, each field it lacks and each it has in excess.
"""

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

# A surface that leaves a field out, or has one the codec does not write, on
# purpose says so here, with the reason: {surface: {field: reason}}. An entry
# that no longer matches a difference is itself reported (stale).
MISSING_ON_PURPOSE = {}
EXTRA_ON_PURPOSE = {}


def python_class(path, name):
    tree = ast.parse(path.read_text(), str(path))
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == name:
            return node
    raise SystemExit(f"{path}: no class {name}")


def python_dataclass_fields(path):
    fields = []
    for stmt in python_class(path, "Call").body:
        if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            annotation = ast.unparse(stmt.annotation)
            if "ClassVar" not in annotation:
                fields.append((stmt.target.id, annotation.startswith("Optional[")))
    return fields


def python_kinds(path):
    for stmt in python_class(path, "Call").body:
        if isinstance(stmt, ast.AnnAssign) and getattr(stmt.target, "id", "") == "_KINDS":
            return [(ast.literal_eval(k), ast.literal_eval(v).startswith("opt"))
                    for k, v in zip(stmt.value.keys, stmt.value.values)]
    raise SystemExit(f"{path}: class Call has no _KINDS")


def ts_interface(path, name):
    """The member names of `export interface <name> {` … `}` (two-space indent)."""
    lines = path.read_text().splitlines()
    try:
        start = lines.index(f"export interface {name} {{")
    except ValueError:
        raise SystemExit(f"{path}: no 'export interface {name} {{' line")
    fields = []
    for line in lines[start + 1:]:
        if line.startswith("}"):
            return fields
        m = re.match(r"^  (\w+)\??\s*:(.*)$", line)
        if m:
            fields.append((m.group(1), re.search(r"\|\s*null\b", m.group(2)) is not None))
    raise SystemExit(f"{path}: interface {name} does not end")


def openapi_call(path):
    """components.schemas.Call.properties, read by indentation like tests/api/openapi_test.cpp."""
    lines = path.read_text().splitlines()
    try:
        start = lines.index("  schemas:")
        start = lines.index("    Call:", start)
    except ValueError:
        raise SystemExit(f"{path}: no components.schemas.Call")
    fields, in_properties = [], False
    for line in lines[start + 1:]:
        if line.strip() and len(line) - len(line.lstrip()) <= 4:
            break  # the next schema
        if line == "      properties:":
            in_properties = True
        elif re.match(r"^      \S", line):
            in_properties = False
        elif in_properties:
            m = re.match(r"^        (\w+):(.*)$", line)
            if m:
                fields.append((m.group(1), re.search(r"\bnullable: true\b", m.group(2)) is not None))
    return fields


def capi_header(path):
    m = re.search(r"Each answers a Call JSON object: \{([^}]*)\}", path.read_text())
    if not m:
        raise SystemExit(f"{path}: no 'Each answers a Call JSON object: {{…}}' comment")
    names = [n.strip().strip("*").strip() for n in m.group(1).replace("\n", " ").split(",")]
    return [re.sub(r"\s*\*\s*", "", n) for n in names if n]


def python_md(path):
    for line in path.read_text().splitlines():
        if line.startswith("| `Call` |"):
            cell = line.split("|")[2].split("; properties")[0]
            return re.findall(r"`(\w+)`", cell)
    raise SystemExit(f"{path}: no '| `Call` |' row")


def storage_md(path):
    text = path.read_text()
    start = text.find("### `call_logs`")
    if start < 0:
        raise SystemExit(f"{path}: no '### `call_logs`' section")
    section = text[start:text.find("\n### ", start + 1)]
    fields = []
    for line in section.splitlines():
        if line.startswith("| `"):
            fields += re.findall(r"`(\w+)`", line.split("|")[1])
    return fields


def compare(surface, declared, expected, problems):
    for name in sorted({n for n in declared if declared.count(n) > 1}):
        problems.append(f"{surface}: {name} declared more than once")
    declared = set(declared)
    missing_ok = MISSING_ON_PURPOSE.get(surface, {})
    extra_ok = EXTRA_ON_PURPOSE.get(surface, {})
    for name in sorted(expected - declared):
        if name not in missing_ok:
            problems.append(f"{surface}: missing {name}")
    for name in sorted(declared - expected):
        if name not in extra_ok:
            problems.append(f"{surface}: extra {name} (the codec writes no such key)")
    for name in sorted(set(missing_ok) - (expected - declared)):
        problems.append(f"{surface}: stale exception, {name} is no longer missing")
    for name in sorted(set(extra_ok) - (declared - expected)):
        problems.append(f"{surface}: stale exception, {name} is no longer extra")


def compare_nullable(surface, declared, nullable, exact, problems):
    """declared: (name, allows null) pairs. A key the codec writes as null
    must allow null; with exact, a key it never writes as null must not."""
    for name, allows_null in declared:
        if name in nullable and not allows_null:
            problems.append(f"{surface}: {name} can be null but is not declared nullable")
        elif exact and allows_null and name not in nullable:
            problems.append(f"{surface}: {name} is never null but is declared nullable")


def main():
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    dump = json.loads(subprocess.run([sys.argv[1]], check=True, capture_output=True, text=True).stdout)
    src = Path(sys.argv[2])
    keys = set(dump["call"])
    columns = set(dump["columns"])
    # The keys the codec writes as null for a Call that lacks them (a default Call).
    nullable = {k for k, v in dump["empty"].items() if v is None}

    types_py = src / "bindings/python/src/callwire/_types.py"
    # (surface, (name, allows null) pairs, whether null is checked both ways)
    typed = [
        ("python dataclass", python_dataclass_fields(types_py), True),
        ("python kinds", python_kinds(types_py), True),
        ("node index.d.ts", ts_interface(src / "bindings/node/index.d.ts", "Call"), True),
        # The softphone reads what any server version sent it and builds Calls
        # of its own in its local demo (examples/web/src/api/localDemo.ts), so
        # its type allows null more widely than the codec writes it; it must
        # still allow it wherever the codec writes null.
        ("web types.ts", ts_interface(src / "examples/web/src/api/types.ts", "Call"), False),
        ("openapi.yaml", openapi_call(src / "docs/openapi.yaml"), True),
    ]
    named = [
        ("callwire.h", capi_header(src / "capi/include/callwire.h"), keys),
        ("docs/python.md", python_md(src / "docs/python.md"), keys),
        ("docs/storage.md", storage_md(src / "docs/storage.md"), columns),
    ]
    problems = []
    for surface, declared, exact in typed:
        compare(surface, [name for name, _ in declared], keys, problems)
        compare_nullable(surface, declared, nullable, exact, problems)
    for surface, declared, expected in named:
        compare(surface, declared, expected, problems)
    for p in problems:
        print(p)
    surfaces = len(typed) + len(named)
    if problems:
        print(f"{len(problems)} difference(s) from the codec's {len(keys)} Call keys (src/json/codec.cpp)")
        return 1
    print(f"{surfaces} surfaces declare the codec's {len(keys)} Call keys ({len(nullable)} of them nullable)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
