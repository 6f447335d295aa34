#!/usr/bin/env python3
"""Check script for the KreditKite training product (python3 standard library only).

Usage: python3 kreditkite.check.py [folder]   (default: ./kreditkite next to this script)

Checks tickets.csv, escalation_reasons.csv and README.md, prints the counts as the
markdown tables that README.md must contain verbatim, and exits 1 on any failure.
"""
import collections
import csv
import io
import itertools
import os
import re
import sys

FOLDER = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
HEADER = ["ticket_id", "conversation_id", "turn", "message", "expected_intent",
          "expected_escalate", "expected_doc", "channel"]
REASON_HEADER = ["ticket_id", "reason"]
INTENTS = ["billing", "technical", "account", "general"]
CHANNELS = ["chat", "whatsapp", "email"]
REASONS = ["human_request", "angry", "privileged_action", "no_article_capability_lacking",
           "no_article_uncovered_topic", "no_article_bare_request", "third_unresolved"]
NO_ARTICLE = {r for r in REASONS if r.startswith("no_article")}
MAX_SHARE = 0.80

errors = []


def fail(msg):
    errors.append(msg)


def read_csv(name, header):
    path = os.path.join(FOLDER, name)
    raw = open(path, "rb").read()
    if raw.startswith(b"\xef\xbb\xbf"):
        fail("%s: starts with a BOM" % name)
    if b"\r" in raw:
        fail("%s: contains \\r (line endings must be \\n)" % name)
    if not raw.endswith(b"\n"):
        fail("%s: does not end with \\n" % name)
    text = raw.decode("utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if rows[0] != header:
        fail("%s: header is %r" % (name, rows[0]))
    good = []
    for i, r in enumerate(rows[1:], start=2):
        if len(r) != len(header):
            fail("%s line %d: %d fields" % (name, i, len(r)))
        else:
            good.append(dict(zip(header, r)))
    return good


def words(text):
    return set(re.findall(r"[a-z0-9]+(?:'[a-z]+)?", text.lower()))


def pct(n, total):
    return "%.1f%%" % (100.0 * n / total)


rows = read_csv("tickets.csv", HEADER)
reason_rows = read_csv("escalation_reasons.csv", REASON_HEADER)
readme = open(os.path.join(FOLDER, "README.md"), encoding="utf-8").read()

# ---- table of contents in the README
toc = re.findall(r"^- `((?:billing|technical|account|general)/[a-z0-9-]+\.md)` — ", readme, re.M)
if len(toc) != 30 or len(set(toc)) != 30:
    fail("README table of contents has %d entries (%d distinct), expected 30" % (len(toc), len(set(toc))))
toc_set = set(toc)
per_folder = collections.Counter(p.split("/")[0] for p in toc)

# ---- ids, turns, conversations, channels, values
ids = [r["ticket_id"] for r in rows]
if len(set(ids)) != len(ids):
    fail("duplicate ticket ids")
for n, tid in enumerate(ids, start=1):
    if tid != "KK-T%04d" % n:
        fail("ticket id %s at row %d (expected KK-T%04d)" % (tid, n, n))
        break
conv_order = []
conv_rows = collections.OrderedDict()
prev = None
for r in rows:
    c = r["conversation_id"]
    if c != prev:
        if c in conv_rows:
            fail("conversation %s is not contiguous" % c)
        conv_order.append(c)
        conv_rows[c] = []
        prev = c
    conv_rows[c].append(r)
for n, c in enumerate(conv_order, start=1):
    if c != "C%03d" % n:
        fail("conversation id %s in position %d (expected C%03d)" % (c, n, n))
        break
for c, rs in conv_rows.items():
    turns = [r["turn"] for r in rs]
    if turns != [str(i) for i in range(1, len(rs) + 1)]:
        fail("conversation %s has turns %s" % (c, turns))
    if len({r["channel"] for r in rs}) != 1:
        fail("conversation %s mixes channels" % c)
for r in rows:
    t = r["ticket_id"]
    if r["expected_intent"] not in INTENTS:
        fail("%s: intent %r" % (t, r["expected_intent"]))
    if r["expected_escalate"] not in ("true", "false"):
        fail("%s: escalate %r" % (t, r["expected_escalate"]))
    if r["channel"] not in CHANNELS:
        fail("%s: channel %r" % (t, r["channel"]))
    if r["message"] != r["message"].strip() or not 5 <= len(r["message"]) <= 300:
        fail("%s: message length %d or stray whitespace" % (t, len(r["message"])))
    docs = r["expected_doc"].split("|") if r["expected_doc"] else []
    if len(set(docs)) != len(docs):
        fail("%s: repeated doc" % t)
    for d in docs:
        if d not in toc_set:
            fail("%s: doc %s is not in the README table of contents" % (t, d))
    if not docs and r["expected_escalate"] != "true":
        fail("%s: empty expected_doc but not escalated" % t)
msgs = [r["message"] for r in rows]
if len(set(m.lower() for m in msgs)) != len(msgs):
    fail("a message is repeated")

referenced = collections.Counter(d for r in rows if r["expected_doc"] for d in r["expected_doc"].split("|"))
for d in toc:
    if referenced[d] == 0:
        fail("article %s is never referenced" % d)

# ---- escalation reasons agree with the labels
by_id = {r["ticket_id"]: r for r in rows}
reasons = collections.defaultdict(set)
for rr in reason_rows:
    if rr["ticket_id"] not in by_id:
        fail("escalation_reasons.csv: unknown ticket %s" % rr["ticket_id"])
    if rr["reason"] not in REASONS:
        fail("escalation_reasons.csv: unknown reason %r" % rr["reason"])
    if rr["reason"] in reasons[rr["ticket_id"]]:
        fail("escalation_reasons.csv: %s repeated for %s" % (rr["reason"], rr["ticket_id"]))
    reasons[rr["ticket_id"]].add(rr["reason"])
for r in rows:
    t, rs = r["ticket_id"], reasons.get(r["ticket_id"], set())
    if (r["expected_escalate"] == "true") != bool(rs):
        fail("%s: escalate=%s but reasons %s" % (t, r["expected_escalate"], sorted(rs)))
    if (not r["expected_doc"]) != bool(rs & NO_ARTICLE):
        fail("%s: empty doc and no_article reason disagree" % t)
    if "no_article_bare_request" in rs and "human_request" not in rs:
        fail("%s: bare request without human_request" % t)
third = []
for c, rs_ in conv_rows.items():
    for i, r in enumerate(rs_):
        if "third_unresolved" in reasons.get(r["ticket_id"], set()):
            if r["turn"] != "3":
                fail("%s: third_unresolved on turn %s" % (r["ticket_id"], r["turn"]))
            third.append(c)

# ---- word overlap between messages
ws = [(r["ticket_id"], words(r["message"])) for r in rows]
worst = (0.0, "", "")
for (a, A), (b, B) in itertools.combinations(ws, 2):
    share = len(A & B) / min(len(A), len(B))
    if share > worst[0]:
        worst = (share, a, b)
    if share > MAX_SHARE:
        fail("%s and %s share %.0f%% of their words" % (a, b, 100 * share))

# ---- counts
N = len(rows)
convs = list(conv_rows.values())
single = sum(1 for c in convs if len(c) == 1)
multi = [c for c in convs if len(c) > 1]
esc = sum(1 for r in rows if r["expected_escalate"] == "true")
empty = sum(1 for r in rows if not r["expected_doc"])
multidoc = sum(1 for r in rows if "|" in r["expected_doc"])
intents = collections.Counter(r["expected_intent"] for r in rows)
channels = collections.Counter(r["channel"] for r in rows)
lens = [len(m) for m in msgs]
em = [len(r["message"]) for r in rows if r["channel"] == "email"]
ot = [len(r["message"]) for r in rows if r["channel"] != "email"]
changes = []
for c, rs_ in conv_rows.items():
    seq = [r["expected_intent"] for r in rs_]
    if len(set(seq)) > 1:
        compact = [seq[0]] + [b for a, b in zip(seq, seq[1:]) if b != a]
        changes.append("%s (%s)" % (c, " → ".join(compact)))
rc = collections.Counter(x for s in reasons.values() for x in s)
bare = rc["no_article_bare_request"]

counts = [
    "| Measure | Value |",
    "|---|---|",
    "| Ticket rows (turns) | %d |" % N,
    "| Conversations | %d (%d single-turn, %d multi-turn with %d turns; longest %d turns) |" % (
        len(convs), single, len(multi), sum(len(c) for c in multi), max(len(c) for c in convs)),
    "| expected_escalate = true | %d (%s) |" % (esc, pct(esc, N)),
    "| Empty expected_doc | %d (%s) |" % (empty, pct(empty, N)),
    "| Rows naming more than one doc | %d |" % multidoc,
    "| Intents | %s |" % ", ".join("%s %d (%s)" % (i, intents[i], pct(intents[i], N)) for i in INTENTS),
    "| Channels | %s |" % ", ".join("%s %d" % (c, channels[c]) for c in CHANNELS),
    "| Message length (characters) | min %d, max %d, mean %.1f (email %.1f, chat/whatsapp %.1f) |" % (
        min(lens), max(lens), sum(lens) / N, sum(em) / len(em), sum(ot) / len(ot)),
    "| Articles in table of contents | %s (%d in total; %d referenced by at least one ticket) |" % (
        ", ".join("%s %d" % (f, per_folder[f]) for f in INTENTS), len(toc),
        sum(1 for d in toc if referenced[d])),
    "| Highest word share between two messages | %.0f%% (%s and %s) |" % (100 * worst[0], worst[1], worst[2]),
]
why = [
    "| Kind of turn | Count |",
    "|---|---|",
    "| Explicit requests for a human or call back | %d (%d of them bare requests with no article) |" % (
        rc["human_request"], bare),
    "| Angry customers | %d |" % rc["angry"],
    "| Privileged-action requests | %d |" % rc["privileged_action"],
    "| Turns with no answering article | %d (%d about a capability KreditKite lacks, %d about other uncovered topics, %d bare requests for a person) |" % (
        empty, rc["no_article_capability_lacking"], rc["no_article_uncovered_topic"], bare),
    "| Third unresolved turn in a row | %d conversations: %s |" % (len(third), ", ".join(third)),
]
change_line = "Conversations that change intent midway (%d): %s." % (len(changes), ", ".join(changes))

# ---- ranges asked for in the brief
def want(cond, what):
    if not cond:
        fail("count out of range: " + what)

want(N == 190, "190 rows")
want(140 <= len(convs) <= 150, "140-150 conversations")
want(120 <= single <= 128, "120-128 single-turn conversations")
want(18 <= len(multi) <= 22, "about 20 multi-turn conversations")
want(60 <= sum(len(c) for c in multi) <= 70, "60-70 multi-turn turns")
want(5 <= max(len(c) for c in convs) <= 6, "longest conversation 5-6 turns")
want(0.30 <= esc / N <= 0.35, "30-35% escalated")
want(0.13 <= empty / N <= 0.17, "about 15% empty expected_doc")
want(all(44 <= intents[i] <= 51 for i in INTENTS), "45-50 per intent")
want(8 <= rc["human_request"] <= 10, "about 9 human requests")
want(9 <= rc["angry"] <= 11, "about 10 angry")
want(16 <= rc["privileged_action"] <= 21, "about 18 privileged")
want(4 <= len(third) <= 6, "about 5 third-unresolved conversations")
want(8 <= len(changes) <= 12, "about 10 conversations that change intent")
want(rc["no_article_capability_lacking"] * 2 >= empty - bare - 2, "about half of uncovered questions are about a missing capability")

for line in counts + why + [change_line]:
    if line not in readme:
        fail("README.md lacks the line: " + line)

print("\n".join(counts))
print()
print("\n".join(why))
print()
print(change_line)
print()
if errors:
    print("FAILED (%d problems):" % len(errors))
    for e in errors:
        print("  - " + e)
    sys.exit(1)
print("OK: headers, BOM, line endings, ids, turns, contiguity, channels, values, docs in the table of "
      "contents, every article referenced, empty doc => escalated, reasons agree with labels, "
      "word share <= %d%%, counts in range and in README.md" % (100 * MAX_SHARE))
