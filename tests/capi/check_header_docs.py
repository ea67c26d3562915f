#!/usr/bin/env python3
"""callwire.h is its own specification: every CW_API function has a doc comment that says
what it takes and what comes back (ctest: capi.header_documents_every_function).

For each CW_API declaration the comment that ends on the line right before it must
  - name every parameter (as a word; `err`, the optional cw_error * every fallible
    function ends with, is described once, at the top of the header);
  - say what comes back:
      * a function returning `int` whose comment speaks of codes names CW_OK and at
        least one CW_E* code it can return;
      * one that returns a value instead (cw_client_is_demo, cw_log_get_level) says
        so in a "Returns" sentence;
      * any other return type (void, const char *, uint32_t) has a "Returns" sentence
        ("Returns nothing." for void).
A group comment above several functions does not count: each function has its own.

    check_header_docs.py path/to/callwire.h
"""

from __future__ import annotations

import re
import sys

text = open(sys.argv[1], encoding="utf-8").read()

# Declarations: "CW_API <type> <name>(<params>);" possibly over several lines.
decl_re = re.compile(r"CW_API\s+([^;(]*?)\b(cw_[a-z0-9_]+)\s*\(([^)]*)\)\s*;", re.S)
problems: list[str] = []
count = 0
for m in decl_re.finditer(text):
    count += 1
    ret, name, params = m.group(1).strip(), m.group(2), m.group(3)
    before = text[: m.start()].rstrip(" \t")
    if not before.endswith("\n") or not before[:-1].rstrip(" \t").endswith("*/"):
        problems.append(f"{name}: no doc comment right before the declaration")
        continue
    end = before[:-1].rstrip(" \t")
    start = end.rfind("/*")
    comment = end[start:]
    if not comment.startswith("/**"):
        problems.append(f"{name}: the comment before it is not a doc comment (/** … */)")
        continue
    words = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", comment))
    for p in params.split(","):
        p = p.strip()
        if p in ("", "void"):
            continue
        pname = re.findall(r"[A-Za-z_][A-Za-z0-9_]*", p)[-1]
        if pname == "err":
            continue
        if pname not in words:
            problems.append(f"{name}: the comment does not name the parameter `{pname}`")
    codes = set(re.findall(r"\bCW_E[A-Z]+\b", comment))
    says_returns = re.search(r"\bReturns?\b", comment) is not None
    if ret == "int":
        if says_returns and "CW_OK" not in words:
            continue  # a value (cw_client_is_demo's 1 / 0, a level), said in a "Returns" sentence
        if "CW_OK" not in words:
            problems.append(f"{name}: returns int but its comment does not name CW_OK")
        if not codes:
            problems.append(f"{name}: returns int but its comment names no CW_E* code it can return")
    elif not says_returns:
        problems.append(f"{name}: returns {ret} but its comment has no \"Returns\" sentence")

if count < 50:
    problems.append(f"only {count} CW_API declarations found: is the pattern still right?")
for p in problems:
    print(p)
print(f"{count} CW_API functions, {len(problems)} problems")
sys.exit(1 if problems else 0)
