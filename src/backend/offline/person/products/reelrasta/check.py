#!/usr/bin/env python3
"""Checks this folder (tickets.csv, escalation_reasons.csv, README.md).

python3 check.py           check, print counts, exit 1 on any failure
python3 check.py --table   also print the README counts block
Standard library only.
"""
import csv
import io
import os
import re
import sys
from collections import Counter, OrderedDict

DIR = os.path.dirname(os.path.abspath(__file__))
HEADER = ["ticket_id", "conversation_id", "turn", "message", "expected_intent",
          "expected_escalate", "expected_doc", "channel"]
INTENTS = ["billing", "technical", "account", "general"]
CHANNELS = ["chat", "whatsapp", "email"]
REASONS = {"human", "angry", "privileged", "third_unresolved",
           "no_article_capability", "no_article_uncovered", "no_article_bare_request"}
BEGIN, END = "<!-- counts:begin -->", "<!-- counts:end -->"

errors = []


def fail(msg):
    errors.append(msg)


def read_csv(name, header):
    path = os.path.join(DIR, name)
    raw = open(path, "rb").read()
    if raw.startswith(b"\xef\xbb\xbf"):
        fail("%s: has a BOM" % name)
    if b"\r" in raw:
        fail("%s: contains \\r (line endings must be \\n)" % name)
    if not raw.endswith(b"\n"):
        fail("%s: does not end with \\n" % name)
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))
    if not rows or rows[0] != header:
        fail("%s: header is %r" % (name, rows[0] if rows else None))
    for i, row in enumerate(rows[1:], 2):
        if len(row) != len(header):
            fail("%s line %d: %d fields" % (name, i, len(row)))
    return [dict(zip(header, row)) for row in rows[1:]]


def toc_articles(readme):
    """Article paths listed under '## Help centre' in README.md."""
    m = re.search(r"^## Help centre\n(.*?)(?=^## )", readme, re.S | re.M)
    if not m:
        fail("README: no '## Help centre' section")
        return []
    return re.findall(r"^- `([a-z]+/[a-z0-9-]+\.md)`", m.group(1), re.M)


def words(text):
    return set(re.findall(r"[a-z0-9]+", text.lower()))


def pct(a, b):
    return "%.1f%%" % (100.0 * a / b)


def main():
    readme = open(os.path.join(DIR, "README.md"), encoding="utf-8").read()
    tickets = read_csv("tickets.csv", HEADER)
    reasons_rows = read_csv("escalation_reasons.csv", ["ticket_id", "reason"])
    toc = toc_articles(readme)

    # --- table of contents
    folders = Counter(p.split("/")[0] for p in toc)
    if len(toc) != 30 or len(set(toc)) != 30:
        fail("README: table of contents lists %d articles (%d distinct), want 30" % (len(toc), len(set(toc))))
    if set(folders) != {"billing", "technical", "account", "general"}:
        fail("README: folders %s" % dict(folders))

    # --- ids, turns, conversations, values
    ids = [t["ticket_id"] for t in tickets]
    if len(set(ids)) != len(ids):
        fail("duplicate ticket ids")
    for i, tid in enumerate(ids, 1):
        if tid != "RS-T%04d" % i:
            fail("ticket id %s at position %d (want RS-T%04d)" % (tid, i, i))
            break
    convs = OrderedDict()
    prev = None
    for t in tickets:
        c = t["conversation_id"]
        if c != prev and c in convs:
            fail("conversation %s is not contiguous" % c)
        convs.setdefault(c, []).append(t)
        prev = c
    for k, c in enumerate(convs, 1):
        if c != "C%03d" % k:
            fail("conversation id %s at position %d (want C%03d)" % (c, k, k))
            break
    for c, turns in convs.items():
        if [t["turn"] for t in turns] != [str(i) for i in range(1, len(turns) + 1)]:
            fail("%s: turns %s not consecutive from 1" % (c, [t["turn"] for t in turns]))
        if len({t["channel"] for t in turns}) != 1:
            fail("%s: more than one channel" % c)
    for t in tickets:
        tid = t["ticket_id"]
        if t["expected_intent"] not in INTENTS:
            fail("%s: intent %r" % (tid, t["expected_intent"]))
        if t["expected_escalate"] not in ("true", "false"):
            fail("%s: escalate %r" % (tid, t["expected_escalate"]))
        if t["channel"] not in CHANNELS:
            fail("%s: channel %r" % (tid, t["channel"]))
        if not 5 <= len(t["message"]) <= 300 or t["message"] != t["message"].strip():
            fail("%s: message length %d or stray whitespace" % (tid, len(t["message"])))
        docs = t["expected_doc"].split("|") if t["expected_doc"] else []
        if len(set(docs)) != len(docs):
            fail("%s: repeated doc" % tid)
        for p in docs:
            if p not in toc:
                fail("%s: doc %s not in the README's table of contents" % (tid, p))
        if not docs and t["expected_escalate"] != "true":
            fail("%s: empty expected_doc but not escalated" % tid)
    used = Counter(p for t in tickets for p in (t["expected_doc"].split("|") if t["expected_doc"] else []))
    for p in toc:
        if not used[p]:
            fail("article %s is never referenced" % p)

    # --- near-duplicate messages: share of the smaller message's distinct words
    ws = [(t["ticket_id"], words(t["message"])) for t in tickets]
    worst = (0.0, None, None)
    for i in range(len(ws)):
        for j in range(i + 1, len(ws)):
            a, b = ws[i][1], ws[j][1]
            if not a or not b:
                continue
            share = len(a & b) / min(len(a), len(b))
            if share > worst[0]:
                worst = (share, ws[i][0], ws[j][0])
            if share > 0.8:
                fail("%s and %s share %.0f%% of their words" % (ws[i][0], ws[j][0], 100 * share))

    # --- escalation reasons
    esc_ids = [t["ticket_id"] for t in tickets if t["expected_escalate"] == "true"]
    by_id = {t["ticket_id"]: t for t in tickets}
    reason_of = {}
    for row in reasons_rows:
        rs = row["reason"].split(";") if row["reason"] else []
        if not rs or set(rs) - REASONS:
            fail("%s: bad reason %r" % (row["ticket_id"], row["reason"]))
        reason_of[row["ticket_id"]] = set(rs)
    if [r["ticket_id"] for r in reasons_rows] != esc_ids:
        fail("escalation_reasons.csv ids differ from the escalated tickets")
    for tid, rs in reason_of.items():
        t = by_id.get(tid)
        if t is None:
            continue
        noart = any(r.startswith("no_article") for r in rs)
        if noart != (t["expected_doc"] == ""):
            fail("%s: no_article reason and empty expected_doc disagree" % tid)
        if "third_unresolved" in rs and int(t["turn"]) < 3:
            fail("%s: third_unresolved before turn 3" % tid)
        if "no_article_bare_request" in rs and "human" not in rs:
            fail("%s: bare request without 'human'" % tid)

    # --- counts
    n = len(tickets)
    sizes = [len(v) for v in convs.values()]
    single = sum(1 for s in sizes if s == 1)
    multi = [s for s in sizes if s > 1]
    esc = len(esc_ids)
    empty = sum(1 for t in tickets if not t["expected_doc"])
    multi_doc = sum(1 for t in tickets if "|" in t["expected_doc"])
    intents = Counter(t["expected_intent"] for t in tickets)
    chans = Counter(t["channel"] for t in tickets)
    lens = [len(t["message"]) for t in tickets]
    email_l = [len(t["message"]) for t in tickets if t["channel"] == "email"]
    short_l = [len(t["message"]) for t in tickets if t["channel"] != "email"]
    rc = Counter(r for rs in reason_of.values() for r in rs)
    third_convs = [by_id[tid]["conversation_id"] for tid, rs in reason_of.items() if "third_unresolved" in rs]
    changes = []
    for c, turns in convs.items():
        seq = [turns[0]["expected_intent"]]
        for t in turns[1:]:
            if t["expected_intent"] != seq[-1]:
                seq.append(t["expected_intent"])
        if len(seq) > 1:
            changes.append("%s (%s)" % (c, " → ".join(seq)))
    bare = rc["no_article_bare_request"]

    checks = [
        (n == 190, "190 rows (%d)" % n),
        (140 <= len(convs) <= 150, "140-150 conversations (%d)" % len(convs)),
        (120 <= single <= 128, "120-128 single-turn (%d)" % single),
        (18 <= len(multi) <= 22 and 60 <= sum(multi) <= 70, "~20 multi-turn with 60-70 turns (%d, %d)" % (len(multi), sum(multi))),
        (max(sizes) in (5, 6), "longest 5-6 turns (%d)" % max(sizes)),
        (0.30 <= esc / n <= 0.35, "30-35%% escalated (%s)" % pct(esc, n)),
        (0.13 <= empty / n <= 0.17, "about 15%% empty doc (%s)" % pct(empty, n)),
        (all(45 <= intents[i] <= 50 for i in INTENTS), "45-50 per intent (%s)" % dict(intents)),
        (8 <= rc["human"] <= 10, "about 9 human requests (%d)" % rc["human"]),
        (9 <= rc["angry"] <= 11, "about 10 angry (%d)" % rc["angry"]),
        (16 <= rc["privileged"] <= 21, "about 18 privileged (%d)" % rc["privileged"]),
        (4 <= len(third_convs) <= 6, "about 5 third-unresolved conversations (%d)" % len(third_convs)),
        (8 <= len(changes) <= 12, "about 10 intent changes (%d)" % len(changes)),
        (abs(rc["no_article_capability"] - (empty - bare) / 2) <= 3, "half of the topic no-article rows are capabilities (%d of %d)" % (rc["no_article_capability"], empty - bare)),
    ]
    for ok, what in checks:
        if not ok:
            fail("count out of range: " + what)

    table = "\n".join([
        BEGIN,
        "| Measure | Value |",
        "|---|---|",
        "| Ticket rows (turns) | %d |" % n,
        "| Conversations | %d (%d single-turn, %d multi-turn with %d turns; longest %d turns) |" % (len(convs), single, len(multi), sum(multi), max(sizes)),
        "| expected_escalate = true | %d (%s) |" % (esc, pct(esc, n)),
        "| Empty expected_doc | %d (%s) |" % (empty, pct(empty, n)),
        "| Rows naming more than one doc | %d |" % multi_doc,
        "| Intents | %s |" % ", ".join("%s %d (%s)" % (i, intents[i], pct(intents[i], n)) for i in INTENTS),
        "| Channels | %s |" % ", ".join("%s %d" % (c, chans[c]) for c in CHANNELS),
        "| Message length (characters) | min %d, max %d, mean %.1f (email %.1f, chat/whatsapp %.1f) |" % (min(lens), max(lens), sum(lens) / n, sum(email_l) / len(email_l), sum(short_l) / len(short_l)),
        "| Articles in table of contents | %s (%d in total; %d referenced by at least one ticket) |" % (", ".join("%s %d" % (f, folders[f]) for f in INTENTS), len(toc), sum(1 for p in toc if used[p])),
        "| Highest word share between two messages | %.0f%% (%s, %s) |" % (100 * worst[0], worst[1], worst[2]),
        "",
        "Why the escalated turns are escalated (a turn can fall into more than one group; from `escalation_reasons.csv`):",
        "",
        "| Kind of turn | Count |",
        "|---|---|",
        "| Explicit requests for a human or call back | %d (%d of them bare requests with no article) |" % (rc["human"], bare),
        "| Angry customers | %d |" % rc["angry"],
        "| Privileged-action requests | %d |" % rc["privileged"],
        "| Turns with no answering article | %d (%d about a capability ReelRasta lacks, %d about other uncovered topics, %d bare requests for a person) |" % (empty, rc["no_article_capability"], rc["no_article_uncovered"], bare),
        "| Third unresolved turn in a row | %d conversations: %s |" % (len(third_convs), ", ".join(third_convs)),
        "",
        "Conversations that change intent midway: %s." % ", ".join(changes),
        END,
    ])
    m = re.search(re.escape(BEGIN) + r".*?" + re.escape(END), readme, re.S)
    if not m:
        fail("README: no counts block")
    elif m.group(0) != table:
        fail("README: counts block is out of date (run with --table)")

    print("tickets.csv: %d rows, %d conversations, %d escalated (%s), %d empty doc (%s)"
          % (n, len(convs), esc, pct(esc, n), empty, pct(empty, n)))
    print("intents: %s; channels: %s" % (dict(intents), dict(chans)))
    print("reasons: %s" % dict(rc))
    print("third unresolved: %s" % ", ".join(third_convs))
    print("intent changes (%d): %s" % (len(changes), ", ".join(changes)))
    print("highest word share: %.0f%% (%s, %s)" % (100 * worst[0], worst[1], worst[2]))
    if "--table" in sys.argv:
        print(table)
    if errors:
        print("\nFAILED (%d):" % len(errors))
        for e in errors:
            print("  - " + e)
        sys.exit(1)
    print("OK: all checks passed")


if __name__ == "__main__":
    main()
