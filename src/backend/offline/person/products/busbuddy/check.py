#!/usr/bin/env python3
"""Checks tickets.csv (and README.md, escalation_reasons.csv) for the BusBuddy set and prints counts.

Standard library only. Run from anywhere: python3 check.py
Exit status 1 if any rule is broken.
"""
import collections
import csv
import io
import os
import re
import statistics
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
HEADER = ["ticket_id", "conversation_id", "turn", "message", "expected_intent",
          "expected_escalate", "expected_doc", "channel"]
INTENTS = ("billing", "technical", "account", "general")
CHANNELS = ("chat", "whatsapp", "email")
FOLDERS = ("billing", "technical", "account", "general")
REASONS = {"H": "human or call-back request", "A": "angry or abusive",
           "P": "privileged action", "N": "no answering article",
           "L": "  of which: capability/service BusBuddy lacks",
           "T": "third unresolved turn in a row"}

errors = []


def err(msg):
    errors.append(msg)


def section(text, title):
    m = re.search(r"^## " + re.escape(title) + r"\s*$(.*?)(?=^## |\Z)", text, re.S | re.M)
    return m.group(1) if m else ""


def read_readme():
    text = open(os.path.join(HERE, "README.md"), encoding="utf-8").read()
    toc = section(text, "Help centre")
    paths = re.findall(r"^- `([a-z]+/[a-z0-9-]+\.md)` — \S", toc, re.M)
    facts = re.findall(r"^- ", section(text, "Key facts"), re.M)
    uncovered = re.findall(r"^- ", section(text, "Topics deliberately not covered by any article"), re.M)
    return paths, len(facts), len(uncovered)


def main():
    toc, n_facts, n_uncovered = read_readme()
    if len(toc) != 30:
        err(f"README table of contents has {len(toc)} articles, need exactly 30")
    if len(set(toc)) != len(toc):
        err("README table of contents has duplicate paths")
    per_folder = collections.Counter(p.split("/")[0] for p in toc)
    for f in FOLDERS:
        if not 7 <= per_folder[f] <= 9:
            err(f"folder {f} has {per_folder[f]} articles, need 7-9")
    for p in toc:
        if p.split("/")[0] not in FOLDERS:
            err(f"article {p} is outside the four folders")
    if not 15 <= n_facts <= 25:
        err(f"README has {n_facts} key facts, need 15-25")
    if not 8 <= n_uncovered <= 10:
        err(f"README has {n_uncovered} uncovered topics, need 8-10")

    raw = open(os.path.join(HERE, "tickets.csv"), "rb").read()
    if raw.startswith(b"\xef\xbb\xbf"):
        err("tickets.csv starts with a BOM")
    if b"\r" in raw:
        err("tickets.csv contains \\r (line endings must be \\n)")
    if not raw.endswith(b"\n"):
        err("tickets.csv does not end with a newline")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))
    if rows[0] != HEADER:
        err(f"bad header: {rows[0]}")
    data = rows[1:]
    for i, r in enumerate(data, 2):
        if len(r) != len(HEADER):
            err(f"line {i}: {len(r)} fields")
    data = [dict(zip(HEADER, r)) for r in data if len(r) == len(HEADER)]

    # ids, conversations, turns, channels
    convs = collections.OrderedDict()
    for n, r in enumerate(data, 1):
        if r["ticket_id"] != f"BB-T{n:04d}":
            err(f"row {n}: ticket id {r['ticket_id']} expected BB-T{n:04d}")
        convs.setdefault(r["conversation_id"], []).append(r)
    seen_order = [r["conversation_id"] for r in data]
    # contiguity: a conversation id must not reappear after another one started
    last = None
    closed = set()
    for c in seen_order:
        if c != last:
            if c in closed:
                err(f"conversation {c} is not contiguous")
            if last is not None:
                closed.add(last)
            last = c
    for k, (cid, turns) in enumerate(convs.items(), 1):
        if cid != f"C{k:03d}":
            err(f"conversation {cid} out of order, expected C{k:03d}")
        nums = [r["turn"] for r in turns]
        if nums != [str(i) for i in range(1, len(turns) + 1)]:
            err(f"conversation {cid}: turns {nums} not 1..n")
        if len({r["channel"] for r in turns}) != 1:
            err(f"conversation {cid}: more than one channel")
        if len(turns) > 5:
            err(f"conversation {cid}: {len(turns)} turns (max 5)")

    # values
    msgs = collections.Counter()
    lengths = []
    referenced = collections.Counter()
    multi_doc = 0
    empty_doc = 0
    for r in data:
        tid = r["ticket_id"]
        if r["expected_intent"] not in INTENTS:
            err(f"{tid}: bad intent {r['expected_intent']}")
        if r["expected_escalate"] not in ("true", "false"):
            err(f"{tid}: bad escalate {r['expected_escalate']}")
        if r["channel"] not in CHANNELS:
            err(f"{tid}: bad channel {r['channel']}")
        m = r["message"]
        if m != m.strip() or "\n" in m:
            err(f"{tid}: message has surrounding whitespace or a newline")
        if not 5 <= len(m) <= 260:
            err(f"{tid}: message length {len(m)} outside 5-260")
        lengths.append(len(m))
        msgs[re.sub(r"\W+", " ", m.lower()).strip()] += 1
        doc = r["expected_doc"]
        if doc == "":
            empty_doc += 1
            if r["expected_escalate"] != "true":
                err(f"{tid}: empty expected_doc but not escalated")
        else:
            parts = doc.split("|")
            if len(parts) > 1:
                multi_doc += 1
            if len(set(parts)) != len(parts):
                err(f"{tid}: duplicate doc in {doc}")
            for p in parts:
                if p not in toc:
                    err(f"{tid}: doc {p} not in README table of contents")
                referenced[p] += 1
    for m, c in msgs.items():
        if c > 1:
            err(f"duplicate message ({c}x): {m}")
    unreferenced = [p for p in toc if p not in referenced]

    # escalation reasons (side file written by build_tickets.py)
    reasons = {}
    rpath = os.path.join(HERE, "escalation_reasons.csv")
    if os.path.exists(rpath):
        with open(rpath, encoding="utf-8", newline="") as f:
            for rr in csv.DictReader(f):
                reasons[rr["ticket_id"]] = set(filter(None, rr["reasons"].split("|")))
        for r in data:
            rs = reasons.get(r["ticket_id"])
            if rs is None:
                err(f"{r['ticket_id']}: no entry in escalation_reasons.csv")
                continue
            if bool(rs) != (r["expected_escalate"] == "true"):
                err(f"{r['ticket_id']}: reasons {sorted(rs)} disagree with escalate={r['expected_escalate']}")
            if ("N" in rs) != (r["expected_doc"] == ""):
                err(f"{r['ticket_id']}: reason N must match an empty expected_doc")
            if "L" in rs and "N" not in rs:
                err(f"{r['ticket_id']}: L without N")
    else:
        err("escalation_reasons.csv missing")

    # counts
    n = len(data)
    sizes = [len(t) for t in convs.values()]
    singles = sum(1 for s in sizes if s == 1)
    multis = [s for s in sizes if s > 1]
    esc = sum(r["expected_escalate"] == "true" for r in data)
    intents = collections.Counter(r["expected_intent"] for r in data)
    chan_rows = collections.Counter(r["channel"] for r in data)
    chan_convs = collections.Counter(t[0]["channel"] for t in convs.values())
    email_len = [len(r["message"]) for r in data if r["channel"] == "email"]
    other_len = [len(r["message"]) for r in data if r["channel"] != "email"]

    if n != 190:
        err(f"{n} rows, need 190")
    if not 0.30 <= esc / n <= 0.35:
        err(f"escalation rate {esc / n:.1%} outside 30-35%")
    for i in INTENTS:
        if not 40 <= intents[i] <= 55:
            err(f"intent {i} has {intents[i]} rows, need 40-55")
    if unreferenced:
        err(f"articles never referenced: {unreferenced}")

    def pct(x):
        return f"{x} ({x / n:.1%})"

    print("| Measure | Value |")
    print("|---|---|")
    print(f"| Ticket rows (turns) | {n} |")
    print(f"| Conversations | {len(convs)} ({singles} single-turn, {len(multis)} multi-turn with "
          f"{sum(multis)} turns; longest {max(sizes)} turns) |")
    print(f"| expected_escalate = true | {pct(esc)} |")
    print(f"| Empty expected_doc | {pct(empty_doc)} |")
    print(f"| Rows naming more than one doc | {multi_doc} |")
    print("| Intents | " + ", ".join(f"{i} {pct(intents[i])}" for i in INTENTS) + " |")
    print("| Channels (rows) | " + ", ".join(f"{c} {chan_rows[c]}" for c in CHANNELS) + " |")
    print("| Channels (conversations) | " + ", ".join(f"{c} {chan_convs[c]}" for c in CHANNELS) + " |")
    print(f"| Message length | {min(lengths)}-{max(lengths)} characters, mean {statistics.mean(lengths):.1f} "
          f"(email mean {statistics.mean(email_len):.1f}, chat/whatsapp mean {statistics.mean(other_len):.1f}) |")
    print(f"| Articles in table of contents | {len(toc)} (" + ", ".join(f"{f} {per_folder[f]}" for f in FOLDERS)
          + f"); referenced by at least one ticket: {len(toc) - len(unreferenced)} |")
    print(f"| Key facts / uncovered topics in README | {n_facts} / {n_uncovered} |")
    if reasons:
        print()
        print("| Why escalated (a turn can fall into more than one group) | Rows |")
        print("|---|---|")
        rc = collections.Counter(x for r in data for x in reasons.get(r["ticket_id"], ()))
        for k in "HAPNL":
            print(f"| {REASONS[k]} | {rc[k]} |")
        tconv = sorted({r["conversation_id"] for r in data if "T" in reasons.get(r["ticket_id"], ())})
        print(f"| {REASONS['T']} | {rc['T']} rows in {len(tconv)} conversations: {', '.join(tconv)} |")
        shifts = []
        for cid, turns in convs.items():
            seq = [t["expected_intent"] for t in turns]
            if len(set(seq)) > 1:
                compact = [s for j, s in enumerate(seq) if j == 0 or s != seq[j - 1]]
                shifts.append(f"{cid} ({' → '.join(compact)})")
        print()
        print("Conversations that change intent midway: " + ", ".join(shifts))

    if errors:
        print()
        print(f"{len(errors)} PROBLEM(S):")
        for e in errors:
            print(" -", e)
        sys.exit(1)
    print()
    print("All checks passed.")


if __name__ == "__main__":
    main()
