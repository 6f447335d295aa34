#!/usr/bin/env python3
"""Checks tickets.csv against README.md for the PhotoVault dataset and prints its counts.

Standard library only. Run from any directory: python3 check.py
Exit status 0 when every rule holds, 1 otherwise.
"""
import csv
import io
import os
import re
import sys
from collections import Counter, OrderedDict

HERE = os.path.dirname(os.path.abspath(__file__))
HEADER = ["ticket_id", "conversation_id", "turn", "message", "expected_intent",
          "expected_escalate", "expected_doc", "channel"]
INTENTS = ("billing", "technical", "account", "general")
CHANNELS = ("chat", "whatsapp", "email")
FOLDERS = INTENTS
PREFIX = "PV"

errors = []


def err(msg):
    errors.append(msg)


def read_toc():
    """Article paths listed under the README's '## Help centre' heading."""
    text = open(os.path.join(HERE, "README.md"), encoding="utf-8").read()
    m = re.search(r"^## Help centre\s*$(.*?)(?=^## )", text, re.S | re.M)
    if not m:
        err("README.md has no '## Help centre' section")
        return []
    paths = re.findall(r"`((?:billing|technical|account|general)/[a-z0-9-]+\.md)`", m.group(1))
    if len(paths) != len(set(paths)):
        err("README table of contents lists a path twice")
    return paths


def main():
    toc = read_toc()
    per_folder = Counter(p.split("/")[0] for p in toc)
    if len(toc) != 30:
        err(f"table of contents has {len(toc)} articles, expected 30")
    for f in FOLDERS:
        if not 7 <= per_folder[f] <= 9:
            err(f"folder {f}/ has {per_folder[f]} articles, expected 7-9")

    raw = open(os.path.join(HERE, "tickets.csv"), "rb").read()
    if raw.startswith(b"\xef\xbb\xbf"):
        err("tickets.csv starts with a BOM")
    if b"\r" in raw:
        err("tickets.csv contains \\r (line endings must be \\n)")
    if not raw.endswith(b"\n"):
        err("tickets.csv does not end with a newline")
    reader = csv.reader(io.StringIO(raw.decode("utf-8"), newline=""))
    rows = list(reader)
    if not rows or rows[0] != HEADER:
        err(f"bad header: {rows[0] if rows else None}")
        return finish()
    body = rows[1:]
    for i, r in enumerate(body, 2):
        if len(r) != len(HEADER):
            err(f"line {i}: {len(r)} fields")
    body = [dict(zip(HEADER, r)) for r in body if len(r) == len(HEADER)]

    # ticket ids
    for n, r in enumerate(body, 1):
        want = f"{PREFIX}-T{n:04d}"
        if r["ticket_id"] != want:
            err(f"ticket id {r['ticket_id']} where {want} expected")

    # conversations: ids in order, contiguous rows, turns 1..n, one channel
    convs = OrderedDict()
    prev = None
    for r in body:
        c = r["conversation_id"]
        if c != prev and c in convs:
            err(f"conversation {c} is not contiguous")
        convs.setdefault(c, []).append(r)
        prev = c
    for k, c in enumerate(convs, 1):
        if c != f"C{k:03d}":
            err(f"conversation id {c} where C{k:03d} expected")
    for c, rs in convs.items():
        turns = [r["turn"] for r in rs]
        if turns != [str(i) for i in range(1, len(rs) + 1)]:
            err(f"{c}: turns {turns} are not 1..{len(rs)}")
        if len({r['channel'] for r in rs}) != 1:
            err(f"{c}: more than one channel")

    # values
    seen = {}
    for r in body:
        tid = r["ticket_id"]
        if r["expected_intent"] not in INTENTS:
            err(f"{tid}: intent {r['expected_intent']!r}")
        if r["expected_escalate"] not in ("true", "false"):
            err(f"{tid}: escalate {r['expected_escalate']!r}")
        if r["channel"] not in CHANNELS:
            err(f"{tid}: channel {r['channel']!r}")
        doc = r["expected_doc"]
        if doc == "" and r["expected_escalate"] != "true":
            err(f"{tid}: empty expected_doc but not escalated")
        if doc:
            parts = doc.split("|")
            if len(parts) != len(set(parts)):
                err(f"{tid}: a doc is listed twice")
            for p in parts:
                if p not in toc:
                    err(f"{tid}: doc {p!r} is not in the README table of contents")
        msg = r["message"]
        if msg != msg.strip() or "\n" in msg:
            err(f"{tid}: message has surrounding whitespace or a newline")
        if not 5 <= len(msg) <= 260:
            err(f"{tid}: message length {len(msg)} outside 5-260")
        key = " ".join(msg.lower().split())
        if key in seen:
            err(f"{tid}: duplicate message (same as {seen[key]})")
        seen[key] = tid

    # distribution targets from the brief
    n = len(body)
    intents = Counter(r["expected_intent"] for r in body)
    esc = sum(r["expected_escalate"] == "true" for r in body)
    empty = sum(r["expected_doc"] == "" for r in body)
    if n != 190:
        err(f"{n} rows, expected 190")
    for i in INTENTS:
        if not 40 <= intents[i] <= 55:
            err(f"intent {i} has {intents[i]} rows, expected 40-55")
    if n and not 0.30 <= esc / n <= 0.35:
        err(f"escalate true on {esc / n:.1%}, expected 30-35%")
    if not 26 <= empty <= 30:
        err(f"{empty} rows with empty expected_doc, expected 26-30")
    singles = [c for c, rs in convs.items() if len(rs) == 1]
    multis = [c for c, rs in convs.items() if len(rs) > 1]
    for c in multis:
        if len(convs[c]) > 5:
            err(f"{c} has {len(convs[c])} turns, at most 5 allowed")

    referenced = {p for r in body for p in r["expected_doc"].split("|") if p}
    unreferenced = [p for p in toc if p not in referenced]

    # counts
    multi_turns = sum(len(convs[c]) for c in multis)
    channels = Counter(r["channel"] for r in body)
    lens = [len(r["message"]) for r in body]
    multi_doc = sum("|" in r["expected_doc"] for r in body)
    conv_channels = Counter(convs[c][0]["channel"] for c in convs)
    print(f"Ticket rows (turns): {n}")
    print(f"Conversations: {len(convs)} ({len(singles)} single-turn, {len(multis)} multi-turn "
          f"with {multi_turns} turns; longest {max(len(rs) for rs in convs.values())} turns)")
    print(f"expected_escalate = true: {esc} ({esc / n:.1%})")
    print(f"Empty expected_doc: {empty} ({empty / n:.1%})")
    print(f"Rows naming more than one doc: {multi_doc}")
    print("Intents: " + ", ".join(f"{i} {intents[i]} ({intents[i] / n:.1%})" for i in INTENTS))
    print("Channels (rows): " + ", ".join(f"{c} {channels[c]}" for c in CHANNELS)
          + "; (conversations): " + ", ".join(f"{c} {conv_channels[c]}" for c in CHANNELS))
    print(f"Message length: min {min(lens)}, mean {sum(lens) / n:.1f}, max {max(lens)} characters")
    print("Articles per folder: " + ", ".join(f"{f} {per_folder[f]}" for f in FOLDERS)
          + f" ({len(toc)} in total; {len(toc) - len(unreferenced)} referenced by at least one ticket)")
    if unreferenced:
        print("Not referenced: " + ", ".join(unreferenced))
    return finish()


def finish():
    if errors:
        print(f"\n{len(errors)} problem(s):")
        for e in errors:
            print("  - " + e)
        return 1
    print("\nAll checks passed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
