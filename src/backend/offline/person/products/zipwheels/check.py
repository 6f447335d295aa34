#!/usr/bin/env python3
"""Validate tickets.csv against the rules in README.md and print the counts (stdlib only)."""
import collections
import csv
import io
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
HEADER = ["ticket_id", "conversation_id", "turn", "message", "expected_intent",
          "expected_escalate", "expected_doc", "channel"]
INTENTS = ["billing", "technical", "account", "general"]
CHANNELS = ["chat", "whatsapp", "email"]
PREFIX = "ZW"

errors = []


def err(msg):
    errors.append(msg)


def load_toc():
    text = open(os.path.join(HERE, "README.md"), encoding="utf-8").read()
    m = re.search(r"^## Help centre\s*$(.*?)^## ", text, re.S | re.M)
    if not m:
        err("README has no '## Help centre' section")
        return []
    paths = re.findall(r"^- `((?:billing|technical|account|general)/[a-z0-9-]+\.md)` — \S", m.group(1), re.M)
    if len(paths) != len(set(paths)):
        err("duplicate paths in the table of contents")
    if len(paths) != 30:
        err(f"table of contents has {len(paths)} articles, expected 30")
    per = collections.Counter(p.split("/")[0] for p in paths)
    for folder in INTENTS:
        if not 7 <= per[folder] <= 9:
            err(f"folder {folder}/ has {per[folder]} articles, expected 7-9")
    return paths


def main():
    toc = load_toc()
    toc_set = set(toc)
    raw = open(os.path.join(HERE, "tickets.csv"), "rb").read()
    if raw.startswith(b"\xef\xbb\xbf"):
        err("tickets.csv starts with a BOM")
    if b"\r" in raw:
        err("tickets.csv contains \\r (line endings must be \\n)")
    if not raw.endswith(b"\n"):
        err("tickets.csv does not end with a newline")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))
    if not rows or rows[0] != HEADER:
        err(f"bad header: {rows[0] if rows else None}")
        rows = [HEADER]
    data = rows[1:]

    convs = collections.OrderedDict()
    seen_ids, seen_msgs = set(), {}
    prev_cid = None
    closed = set()
    for n, r in enumerate(data, 1):
        if len(r) != 8:
            err(f"row {n}: {len(r)} fields")
            continue
        tid, cid, turn, msg, intent, esc, doc, ch = r
        if tid != f"{PREFIX}-T{n:04d}":
            err(f"row {n}: ticket id {tid}, expected {PREFIX}-T{n:04d}")
        if tid in seen_ids:
            err(f"row {n}: duplicate ticket id {tid}")
        seen_ids.add(tid)
        if not re.fullmatch(r"C\d{3}", cid):
            err(f"row {n}: bad conversation id {cid}")
        if cid != prev_cid:
            if cid in closed:
                err(f"row {n}: conversation {cid} is not contiguous")
            if prev_cid is not None:
                closed.add(prev_cid)
            expected_cid = f"C{len(closed) + 1:03d}"
            if cid != expected_cid:
                err(f"row {n}: conversation id {cid}, expected {expected_cid}")
            prev_cid = cid
        convs.setdefault(cid, []).append(r)
        if not turn.isdigit() or int(turn) != len(convs[cid]):
            err(f"row {n}: turn {turn} in {cid}, expected {len(convs[cid])}")
        if intent not in INTENTS:
            err(f"row {n}: bad intent {intent!r}")
        if esc not in ("true", "false"):
            err(f"row {n}: bad expected_escalate {esc!r}")
        if ch not in CHANNELS:
            err(f"row {n}: bad channel {ch!r}")
        if ch != convs[cid][0][7]:
            err(f"row {n}: channel {ch} differs within {cid}")
        if not 5 <= len(msg) <= 260:
            err(f"row {n}: message length {len(msg)} outside 5-260")
        if msg != msg.strip() or "\n" in msg:
            err(f"row {n}: message has stray whitespace or a newline")
        key = msg.strip().lower()
        if key in seen_msgs:
            err(f"row {n}: duplicate message (also row {seen_msgs[key]})")
        seen_msgs[key] = n
        if doc == "":
            if esc != "true":
                err(f"row {n}: empty expected_doc but not escalated")
        else:
            parts = doc.split("|")
            if len(parts) != len(set(parts)):
                err(f"row {n}: repeated doc in {doc}")
            for p in parts:
                if p not in toc_set:
                    err(f"row {n}: doc {p!r} not in the README table of contents")

    # ---- counts ----
    total = len(data)
    sizes = [len(v) for v in convs.values()]
    single = sum(1 for s in sizes if s == 1)
    multi = [s for s in sizes if s > 1]
    esc_true = sum(1 for r in data if r[5] == "true")
    empty_doc = sum(1 for r in data if r[6] == "")
    multi_doc = sum(1 for r in data if "|" in r[6])
    intents = collections.Counter(r[4] for r in data)
    chan_rows = collections.Counter(r[7] for r in data)
    chan_convs = collections.Counter(v[0][7] for v in convs.values())
    used = collections.Counter(p for r in data if r[6] for p in r[6].split("|"))
    unused = [p for p in toc if p not in used]
    lens = [len(r[3]) for r in data]
    changes = []
    for cid, v in convs.items():
        seq = []
        for r in v:
            if not seq or seq[-1] != r[4]:
                seq.append(r[4])
        if len(seq) > 1:
            changes.append(f"{cid} ({' -> '.join(seq)})")

    # ---- targets from PROMPT ----
    if total != 190:
        err(f"{total} rows, expected 190")
    for i in INTENTS:
        if not 40 <= intents[i] <= 55:
            err(f"intent {i}: {intents[i]} rows, expected 40-55")
    if not 0.30 <= esc_true / max(total, 1) <= 0.35:
        err(f"escalate true share {esc_true / max(total, 1):.1%}, expected 30-35%")
    if any(s > 5 for s in sizes):
        err("a conversation has more than 5 turns")
    if unused:
        err(f"articles never referenced: {unused}")

    print("| Measure | Value |")
    print("|---|---|")
    print(f"| Ticket rows (turns) | {total} |")
    print(f"| Conversations | {len(convs)} ({single} single-turn, {len(multi)} multi-turn with "
          f"{sum(multi)} turns; longest {max(sizes) if sizes else 0} turns) |")
    print(f"| expected_escalate = true | {esc_true} ({esc_true / max(total, 1):.1%}) |")
    print(f"| Empty expected_doc | {empty_doc} ({empty_doc / max(total, 1):.1%}) |")
    print(f"| Rows naming more than one doc | {multi_doc} |")
    print("| Intents | " + ", ".join(f"{i} {intents[i]} ({intents[i] / max(total, 1):.1%})" for i in INTENTS) + " |")
    print("| Channels (rows) | " + ", ".join(f"{c} {chan_rows[c]}" for c in CHANNELS) + " |")
    print("| Channels (conversations) | " + ", ".join(f"{c} {chan_convs[c]}" for c in CHANNELS) + " |")
    print(f"| Message length | {min(lens)}-{max(lens)} characters, mean {sum(lens) / len(lens):.1f} |")
    print(f"| Articles in table of contents | {len(toc)} (" + ", ".join(
        f"{f} {sum(1 for p in toc if p.startswith(f + '/'))}" for f in INTENTS) + f"); referenced by tickets: {len(toc) - len(unused)} |")
    print(f"| Conversations that change intent | {len(changes)}: {', '.join(changes)} |")
    if errors:
        print(f"\n{len(errors)} problem(s):", file=sys.stderr)
        for e in errors:
            print("  - " + e, file=sys.stderr)
        sys.exit(1)
    print("\nOK: all checks passed")


if __name__ == "__main__":
    main()
