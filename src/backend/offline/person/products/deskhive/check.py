#!/usr/bin/env python3
"""Checks tickets.csv against README.md and the dataset rules; prints counts.

Usage: python3 check.py [folder]   (default: the folder of this script)
Exit status 1 if any error is found.
"""
import collections
import csv
import io
import os
import re
import sys

HEADER = ["ticket_id", "conversation_id", "turn", "message", "expected_intent",
          "expected_escalate", "expected_doc", "channel"]
INTENTS = ["billing", "technical", "account", "general"]
CHANNELS = ["chat", "whatsapp", "email"]
FOLDERS = ["billing", "technical", "account", "general"]
PREFIX = "DH"

errors, warnings = [], []


def err(msg):
    errors.append(msg)


def warn(msg):
    warnings.append(msg)


def toc_paths(readme_text):
    """Article paths listed in the README's Help centre section."""
    m = re.search(r"^## Help centre\s*$(.*?)^## ", readme_text, re.M | re.S)
    if not m:
        err("README has no '## Help centre' section")
        return []
    paths = re.findall(r"^- `((?:%s)/[a-z0-9-]+\.md)` — \S" % "|".join(FOLDERS), m.group(1), re.M)
    return paths


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(folder, "README.md"), encoding="utf-8") as fh:
        readme = fh.read()
    paths = toc_paths(readme)
    per_folder = collections.Counter(p.split("/")[0] for p in paths)
    if len(paths) != 30:
        err(f"table of contents has {len(paths)} articles, expected 30")
    if len(set(paths)) != len(paths):
        err("table of contents lists an article twice")
    for f in FOLDERS:
        if not 7 <= per_folder[f] <= 9:
            err(f"folder {f}/ has {per_folder[f]} articles, expected 7-9")
    toc = set(paths)

    raw = open(os.path.join(folder, "tickets.csv"), "rb").read()
    if raw.startswith(b"\xef\xbb\xbf"):
        err("tickets.csv starts with a BOM")
    if b"\r" in raw:
        err("tickets.csv contains \\r (line endings must be \\n)")
    if not raw.endswith(b"\n"):
        err("tickets.csv does not end with a newline")
    text = raw.decode("utf-8")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader)
    if header != HEADER:
        err(f"bad header: {header}")
    rows = list(reader)

    seen_msgs = {}
    conv_rows = collections.OrderedDict()
    last_conv = None
    closed = set()
    for n, row in enumerate(rows, 1):
        where = f"row {n}"
        if len(row) != len(HEADER):
            err(f"{where}: {len(row)} fields")
            continue
        tid, cid, turn, msg, intent, esc, doc, channel = row
        if tid != f"{PREFIX}-T{n:04d}":
            err(f"{where}: ticket id {tid}, expected {PREFIX}-T{n:04d}")
        if not re.fullmatch(r"C\d{3,}", cid):
            err(f"{where}: bad conversation id {cid}")
        if cid != last_conv:
            if cid in closed or cid in conv_rows:
                err(f"{where}: conversation {cid} is not contiguous")
            if last_conv is not None:
                closed.add(last_conv)
            expected = f"C{len(conv_rows) + 1:03d}"
            if cid != expected:
                err(f"{where}: conversation id {cid}, expected {expected}")
            last_conv = cid
        conv_rows.setdefault(cid, []).append(row)
        if not turn.isdigit() or int(turn) != len(conv_rows[cid]):
            err(f"{where}: turn {turn} in {cid}, expected {len(conv_rows[cid])}")
        if intent not in INTENTS:
            err(f"{where}: bad intent {intent!r}")
        if esc not in ("true", "false"):
            err(f"{where}: bad expected_escalate {esc!r}")
        if channel not in CHANNELS:
            err(f"{where}: bad channel {channel!r}")
        if doc == "" and esc != "true":
            err(f"{where}: empty expected_doc but not escalated")
        if doc:
            parts = doc.split("|")
            if len(set(parts)) != len(parts):
                err(f"{where}: repeated doc in {doc}")
            for p in parts:
                if p not in toc:
                    err(f"{where}: doc {p!r} is not in the README table of contents")
        if msg != msg.strip() or "\n" in msg:
            err(f"{where}: message has stray whitespace or a newline")
        if not 5 <= len(msg) <= 260:
            err(f"{where}: message length {len(msg)} outside 5-260")
        key = msg.strip().lower()
        if key in seen_msgs:
            err(f"{where}: duplicate message (same as row {seen_msgs[key]})")
        seen_msgs[key] = n

    for cid, crow in conv_rows.items():
        if len({r[7] for r in crow}) != 1:
            err(f"{cid}: more than one channel")
        if len(crow) > 5:
            err(f"{cid}: {len(crow)} turns (max 5)")

    # ---- counts
    total = len(rows)
    lens = [len(conv_rows[c]) for c in conv_rows]
    single = sum(1 for x in lens if x == 1)
    multi = [x for x in lens if x > 1]
    esc_true = sum(1 for r in rows if r[5] == "true")
    empty = sum(1 for r in rows if r[6] == "")
    multi_doc = sum(1 for r in rows if "|" in r[6])
    intents = collections.Counter(r[4] for r in rows)
    channels = collections.Counter(r[7] for r in rows)
    msg_lens = [len(r[3]) for r in rows]
    referenced = {p for r in rows if r[6] for p in r[6].split("|")}
    email_lens = [len(r[3]) for r in rows if r[7] == "email"]
    other_lens = [len(r[3]) for r in rows if r[7] != "email"]

    # ---- target ranges from the brief (reported as errors when missed)
    if total != 190:
        err(f"{total} rows, expected 190")
    for i in INTENTS:
        if not 40 <= intents[i] <= 55:
            err(f"intent {i}: {intents[i]} rows, expected 40-55")
    if not 0.30 <= esc_true / max(total, 1) <= 0.35:
        err(f"escalate true on {esc_true / max(total, 1):.1%} of rows, expected 30-35%")
    if not 26 <= empty <= 30:
        warn(f"{empty} empty expected_doc rows (brief: about 26-30)")
    if not 115 <= single <= 125 or not 18 <= len(multi) <= 22 or not 65 <= sum(multi) <= 75:
        warn("conversation mix is off the brief's 'about 120 single / about 20 multi (about 70 turns)'")
    if any(x > 5 for x in multi):
        err("a multi-turn conversation is longer than 5 turns")
    unref = sorted(toc - referenced)
    if unref:
        warn(f"articles never referenced: {unref}")

    def pct(x):
        return f"{x} ({100 * x / total:.1f}%)"

    print("| Measure | Value |")
    print("|---|---|")
    print(f"| Ticket rows (turns) | {total} |")
    print(f"| Conversations | {len(lens)} ({single} single-turn, {len(multi)} multi-turn with "
          f"{sum(multi)} turns; longest {max(lens)} turns) |")
    print(f"| expected_escalate = true | {pct(esc_true)} |")
    print(f"| Empty expected_doc | {pct(empty)} |")
    print(f"| Rows naming more than one doc | {multi_doc} |")
    print("| Intents | " + ", ".join(f"{i} {pct(intents[i])}" for i in INTENTS) + " |")
    print("| Channels | " + ", ".join(f"{c} {channels[c]}" for c in CHANNELS) + " |")
    print(f"| Message length (characters) | min {min(msg_lens)}, max {max(msg_lens)}, "
          f"mean {sum(msg_lens) / total:.1f} (email {sum(email_lens) / len(email_lens):.1f}, "
          f"chat/whatsapp {sum(other_lens) / len(other_lens):.1f}) |")
    print("| Articles in table of contents | " + ", ".join(f"{f} {per_folder[f]}" for f in FOLDERS)
          + f" ({len(paths)} in total; {len(referenced & toc)} referenced by at least one ticket) |")
    for w in warnings:
        print("WARNING:", w)
    for e in errors:
        print("ERROR:", e)
    print("OK" if not errors else f"{len(errors)} error(s)")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
