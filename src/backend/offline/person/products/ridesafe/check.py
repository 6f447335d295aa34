#!/usr/bin/env python3
"""Checks tickets.csv against the RideSafe dataset rules and prints its counts.

Standard library only. Run from this folder: python3 check.py
Optional: escalation_reasons.csv (ticket_id,reasons with H/A/P/N/T joined by '+')
is cross-checked and used to print why turns are escalated.
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
INTENTS = ["billing", "technical", "account", "general"]
CHANNELS = ["chat", "whatsapp", "email"]
FOLDERS = ["billing", "technical", "account", "general"]

errors = []


def err(msg):
    errors.append(msg)


def toc_paths():
    text = open(os.path.join(HERE, "README.md"), encoding="utf-8").read()
    m = re.search(r"^## Help centre\n(.*?)^## ", text, re.S | re.M)
    if not m:
        err("README has no '## Help centre' section")
        return []
    paths = re.findall(r"^- `((?:billing|technical|account|general)/[a-z0-9-]+\.md)` — \S", m.group(1), re.M)
    if len(paths) != 30:
        err("help centre lists %d articles, expected 30" % len(paths))
    if len(set(paths)) != len(paths):
        err("duplicate article paths in the help centre")
    per = Counter(p.split("/")[0] for p in paths)
    for f in FOLDERS:
        if not 7 <= per[f] <= 9:
            err("folder %s has %d articles (7-9 required)" % (f, per[f]))
    return paths


def main():
    paths = toc_paths()
    raw = open(os.path.join(HERE, "tickets.csv"), "rb").read()
    if raw.startswith(b"\xef\xbb\xbf"):
        err("tickets.csv starts with a BOM")
    if b"\r" in raw:
        err("tickets.csv contains \\r (line endings must be \\n)")
    if not raw.endswith(b"\n"):
        err("tickets.csv does not end with a newline")
    reader = csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""))
    header = next(reader)
    if header != HEADER:
        err("bad header: %r" % header)
    rows = [r for r in reader]
    for i, r in enumerate(rows, 2):
        if len(r) != len(HEADER):
            err("line %d has %d fields" % (i, len(r)))
    rows = [dict(zip(HEADER, r)) for r in rows if len(r) == len(HEADER)]

    # ids, conversations, turns, channels
    convs = OrderedDict()
    seen_ids = set()
    for k, r in enumerate(rows, 1):
        if r["ticket_id"] != "RS-T%04d" % k:
            err("row %d: ticket id %s, expected RS-T%04d" % (k, r["ticket_id"], k))
        if r["ticket_id"] in seen_ids:
            err("duplicate ticket id %s" % r["ticket_id"])
        seen_ids.add(r["ticket_id"])
        cid = r["conversation_id"]
        if cid in convs and list(convs)[-1] != cid:
            err("conversation %s is not contiguous" % cid)
        convs.setdefault(cid, []).append(r)
        if r["expected_intent"] not in INTENTS:
            err("%s: bad intent %r" % (r["ticket_id"], r["expected_intent"]))
        if r["expected_escalate"] not in ("true", "false"):
            err("%s: bad escalate %r" % (r["ticket_id"], r["expected_escalate"]))
        if r["channel"] not in CHANNELS:
            err("%s: bad channel %r" % (r["ticket_id"], r["channel"]))
        docs = r["expected_doc"].split("|") if r["expected_doc"] else []
        for d in docs:
            if d not in paths:
                err("%s: doc %s is not in the help centre" % (r["ticket_id"], d))
        if len(set(docs)) != len(docs):
            err("%s: repeated doc" % r["ticket_id"])
        if not docs and r["expected_escalate"] != "true":
            err("%s: empty expected_doc but not escalated" % r["ticket_id"])
        n = len(r["message"])
        if not 5 <= n <= 260:
            err("%s: message length %d outside 5-260" % (r["ticket_id"], n))
        if r["message"] != r["message"].strip() or "\n" in r["message"]:
            err("%s: message has surrounding whitespace or a newline" % r["ticket_id"])
    for j, cid in enumerate(convs, 1):
        if cid != "C%03d" % j:
            err("conversation %d is %s, expected C%03d" % (j, cid, j))
        turns = [r["turn"] for r in convs[cid]]
        if turns != [str(t) for t in range(1, len(turns) + 1)]:
            err("%s: turns %s not contiguous from 1" % (cid, turns))
        if len(turns) > 5:
            err("%s has %d turns (max 5)" % (cid, len(turns)))
        if len({r["channel"] for r in convs[cid]}) != 1:
            err("%s mixes channels" % cid)

    msgs = Counter(r["message"].strip().lower() for r in rows)
    for m, c in msgs.items():
        if c > 1:
            err("duplicate message (%d times): %r" % (c, m))

    # reasons sidecar
    reasons = {}
    rpath = os.path.join(HERE, "escalation_reasons.csv")
    if os.path.exists(rpath):
        with open(rpath, encoding="utf-8", newline="") as f:
            for rr in csv.DictReader(f):
                reasons[rr["ticket_id"]] = set(rr["reasons"].split("+"))
        byid = {r["ticket_id"]: r for r in rows}
        for tid, rs in reasons.items():
            if tid not in byid:
                err("reasons file names unknown ticket %s" % tid)
                continue
            if not rs <= set("HAPNT"):
                err("%s: unknown reason %s" % (tid, rs))
            if byid[tid]["expected_escalate"] != "true":
                err("%s has a reason but is not escalated" % tid)
            if ("N" in rs) != (byid[tid]["expected_doc"] == ""):
                err("%s: reason N must match an empty expected_doc" % tid)
        for r in rows:
            if r["expected_escalate"] == "true" and r["ticket_id"] not in reasons:
                err("%s is escalated without a reason" % r["ticket_id"])
        # T must be the third (or later) turn of a conversation
        for tid, rs in reasons.items():
            if "T" in rs and tid in byid and int(byid[tid]["turn"]) < 3:
                err("%s: third-turn reason on turn %s" % (tid, byid[tid]["turn"]))

    # counts and ranges
    n = len(rows)
    single = [c for c in convs if len(convs[c]) == 1]
    multi = [c for c in convs if len(convs[c]) > 1]
    multi_turns = sum(len(convs[c]) for c in multi)
    esc = sum(r["expected_escalate"] == "true" for r in rows)
    empty = sum(r["expected_doc"] == "" for r in rows)
    multidoc = sum("|" in r["expected_doc"] for r in rows)
    intents = Counter(r["expected_intent"] for r in rows)
    chan_rows = Counter(r["channel"] for r in rows)
    chan_convs = Counter(convs[c][0]["channel"] for c in convs)
    lens = [len(r["message"]) for r in rows]
    used = Counter(d for r in rows if r["expected_doc"] for d in r["expected_doc"].split("|"))
    unused = [p for p in paths if p not in used]

    if n != 190:
        err("%d rows, expected 190" % n)
    for i in INTENTS:
        if not 40 <= intents[i] <= 55:
            err("intent %s has %d rows (40-55)" % (i, intents[i]))
    if not 0.30 <= esc / n <= 0.35:
        err("escalate share %.1f%% outside 30-35%%" % (100.0 * esc / n))
    if unused:
        err("articles never referenced: %s" % ", ".join(unused))

    print("Ticket rows (turns): %d" % n)
    print("Conversations: %d (%d single-turn, %d multi-turn with %d turns; longest %d turns)"
          % (len(convs), len(single), len(multi), multi_turns, max(len(v) for v in convs.values())))
    print("expected_escalate = true: %d (%.1f%%)" % (esc, 100.0 * esc / n))
    print("Empty expected_doc: %d (%.1f%%)" % (empty, 100.0 * empty / n))
    print("Rows naming more than one doc: %d" % multidoc)
    print("Intents: " + ", ".join("%s %d (%.1f%%)" % (i, intents[i], 100.0 * intents[i] / n) for i in INTENTS))
    print("Channels (rows): " + ", ".join("%s %d" % (c, chan_rows[c]) for c in CHANNELS))
    print("Channels (conversations): " + ", ".join("%s %d" % (c, chan_convs[c]) for c in CHANNELS))
    print("Message length: min %d, max %d, mean %.1f characters" % (min(lens), max(lens), sum(lens) / len(lens)))
    print("Articles: %d in the help centre (%s); %d referenced by at least one ticket"
          % (len(paths), ", ".join("%s %d" % (f, sum(p.startswith(f + "/") for p in paths)) for f in FOLDERS),
             len(used)))
    if reasons:
        names = [("H", "Explicit requests for a human or call back"), ("A", "Angry customers"),
                 ("P", "Privileged-action requests"), ("N", "Turns with no answering article")]
        for k, label in names:
            print("%s: %d" % (label, sum(k in rs for rs in reasons.values())))
        third = sorted({byid[t]["conversation_id"] for t, rs in reasons.items() if "T" in rs})
        print("Third unresolved turn in a row: %d conversations (%s)" % (len(third), ", ".join(third)))
        changes = []
        for c in convs:
            seq = [r["expected_intent"] for r in convs[c]]
            comp = [s for k, s in enumerate(seq) if k == 0 or seq[k - 1] != s]
            if len(comp) > 1:
                changes.append("%s (%s)" % (c, " → ".join(comp)))
        print("Conversations that change intent: %d: %s" % (len(changes), ", ".join(changes)))

    if errors:
        print("\nERRORS (%d):" % len(errors))
        for e in errors:
            print("  - " + e)
        sys.exit(1)
    print("\nAll checks passed.")


if __name__ == "__main__":
    main()
