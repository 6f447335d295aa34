#!/usr/bin/env python3
"""Checks tickets.csv (and escalation_reasons.csv) against the FlexFit dataset rules
and prints the counts. Standard library only. Run from this folder: python3 check.py"""
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
warnings = []


def err(msg):
    errors.append(msg)


def warn(msg):
    warnings.append(msg)


def section(text, title):
    """Text of a '## title' section of the README, up to the next '## ' heading."""
    m = re.search(r"^## " + re.escape(title) + r"[^\n]*\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    return m.group(1) if m else None


# ------------------------------------------------------------------ README
readme = open(os.path.join(HERE, "README.md"), encoding="utf-8").read()
toc_text = section(readme, "Help centre")
if toc_text is None:
    err("README has no '## Help centre' section")
    toc_text = ""
toc = re.findall(r"^- `((?:billing|technical|account|general)/[a-z0-9-]+\.md)` — \S", toc_text, re.M)
if len(toc) != len(set(toc)):
    err("duplicate paths in the help-centre table of contents")
toc_set = set(toc)
if len(toc_set) != 30:
    err(f"table of contents has {len(toc_set)} articles, expected exactly 30")
per_folder = Counter(p.split("/")[0] for p in toc_set)
for f in FOLDERS:
    if not 7 <= per_folder[f] <= 9:
        err(f"folder {f}/ has {per_folder[f]} articles, expected 7-9")

kf = section(readme, "Key facts")
n_kf = len(re.findall(r"^- ", kf or "", re.M))
if not 15 <= n_kf <= 25:
    err(f"Key facts has {n_kf} bullets, expected 15-25")
nc = section(readme, "Topics deliberately not covered by any article")
n_nc = len(re.findall(r"^- ", nc or "", re.M))
if not 8 <= n_nc <= 10:
    err(f"Topics not covered has {n_nc} bullets, expected 8-10")
if section(readme, "Label guidelines") is None:
    err("README has no '## Label guidelines' section")

# ------------------------------------------------------------------ tickets.csv
raw = open(os.path.join(HERE, "tickets.csv"), "rb").read()
if raw.startswith(b"\xef\xbb\xbf"):
    err("tickets.csv starts with a BOM")
if b"\r" in raw:
    err("tickets.csv contains \\r (line endings must be \\n)")
text = raw.decode("utf-8")
rows = list(csv.reader(io.StringIO(text, newline="")))
if not rows or rows[0] != HEADER:
    err(f"bad header: {rows[0] if rows else None}")
body = rows[1:]
for i, r in enumerate(body, 2):
    if len(r) != len(HEADER):
        err(f"line {i}: {len(r)} fields")
body = [dict(zip(HEADER, r)) for r in body if len(r) == len(HEADER)]

if len(body) != 190:
    err(f"{len(body)} rows, expected 190")

# ticket ids
for i, r in enumerate(body, 1):
    if r["ticket_id"] != f"FF-T{i:04d}":
        err(f"row {i}: ticket id {r['ticket_id']} (expected FF-T{i:04d})")
if len({r['ticket_id'] for r in body}) != len(body):
    err("duplicate ticket ids")

# conversations
convs = OrderedDict()
prev = None
seen = set()
for r in body:
    c = r["conversation_id"]
    if c != prev:
        if c in seen:
            err(f"conversation {c} is not contiguous")
        seen.add(c)
        convs[c] = []
        prev = c
    convs[c].append(r)
for k, c in enumerate(convs, 1):
    if c != f"C{k:03d}":
        err(f"conversation id {c} out of order (expected C{k:03d})")
        break
for c, rs in convs.items():
    turns = [r["turn"] for r in rs]
    if turns != [str(i) for i in range(1, len(rs) + 1)]:
        err(f"{c}: turns {turns} not 1..n")
    if len({r['channel'] for r in rs}) != 1:
        err(f"{c}: more than one channel")
    if len(rs) > 5:
        err(f"{c}: {len(rs)} turns (max 5)")

# values
for r in body:
    tid = r["ticket_id"]
    if r["expected_intent"] not in INTENTS:
        err(f"{tid}: bad intent {r['expected_intent']!r}")
    if r["expected_escalate"] not in ("true", "false"):
        err(f"{tid}: bad escalate {r['expected_escalate']!r}")
    if r["channel"] not in CHANNELS:
        err(f"{tid}: bad channel {r['channel']!r}")
    docs = r["expected_doc"].split("|") if r["expected_doc"] else []
    if len(docs) != len(set(docs)):
        err(f"{tid}: repeated doc")
    for d in docs:
        if d not in toc_set:
            err(f"{tid}: doc {d!r} not in the README table of contents")
    if not docs and r["expected_escalate"] != "true":
        err(f"{tid}: empty expected_doc but not escalated")
    m = r["message"]
    if m != m.strip() or "\n" in m:
        err(f"{tid}: message has surrounding whitespace or a newline")
    if not 5 <= len(m) <= 260:
        err(f"{tid}: message length {len(m)} outside 5-260")

# duplicate messages
norm = Counter(re.sub(r"\s+", " ", r["message"].lower()).strip() for r in body)
for m, k in norm.items():
    if k > 1:
        err(f"duplicate message: {m!r}")

referenced = set()
for r in body:
    if r["expected_doc"]:
        referenced.update(r["expected_doc"].split("|"))
unused = sorted(toc_set - referenced)
if unused:
    warn(f"articles never referenced: {unused}")

# ------------------------------------------------------------------ reasons
reasons = {}
rpath = os.path.join(HERE, "escalation_reasons.csv")
with open(rpath, encoding="utf-8", newline="") as f:
    rr = list(csv.reader(f))
if rr[0] != ["ticket_id", "reasons"]:
    err("escalation_reasons.csv: bad header")
for tid, rs in rr[1:]:
    if set(rs) - set("HAPNT"):
        err(f"{tid}: unknown reason letters {rs!r}")
    reasons[tid] = rs
if set(reasons) != {r["ticket_id"] for r in body}:
    err("escalation_reasons.csv does not list exactly the tickets of tickets.csv")
for r in body:
    rs = reasons.get(r["ticket_id"], "")
    esc = r["expected_escalate"] == "true"
    if esc != bool(rs):
        err(f"{r['ticket_id']}: escalate={r['expected_escalate']} but reasons={rs!r}")
    if ("N" in rs) != (r["expected_doc"] == ""):
        err(f"{r['ticket_id']}: reason N must match an empty expected_doc")
    if "T" in rs and int(r["turn"]) < 3:
        err(f"{r['ticket_id']}: third-unresolved-turn reason on turn {r['turn']}")

# ------------------------------------------------------------------ counts
n = len(body)
sizes = [len(v) for v in convs.values()]
single = sum(1 for s in sizes if s == 1)
multi = [s for s in sizes if s > 1]
esc = sum(1 for r in body if r["expected_escalate"] == "true")
empty = sum(1 for r in body if not r["expected_doc"])
multidoc = sum(1 for r in body if "|" in r["expected_doc"])
intents = Counter(r["expected_intent"] for r in body)
chans = Counter(r["channel"] for r in body)
lens = [len(r["message"]) for r in body]
rc = Counter()
for r in body:
    for ch in set(reasons.get(r["ticket_id"], "")):
        rc[ch] += 1
t_convs = [r["conversation_id"] for r in body if "T" in reasons.get(r["ticket_id"], "")]
intent_change = [c for c, rs in convs.items() if len({r['expected_intent'] for r in rs}) > 1]

# soft targets from the brief
for i in INTENTS:
    if not 40 <= intents[i] <= 55:
        err(f"intent {i}: {intents[i]} rows, expected 40-55")
if not 0.30 <= esc / n <= 0.35:
    err(f"escalated share {esc / n:.1%} outside 30-35%")
if not 3 <= len(t_convs) <= 5:
    err(f"{len(t_convs)} third-unresolved-turn conversations, expected 3-5")
if not 18 <= rc["P"] <= 20:
    warn(f"privileged-action rows {rc['P']} (target 18-20)")
if not 26 <= rc["N"] <= 30:
    warn(f"no-article rows {rc['N']} (target 26-30)")

print(f"Ticket rows (turns): {n}")
print(f"Conversations: {len(convs)} ({single} single-turn, {len(multi)} multi-turn with "
      f"{sum(multi)} turns; longest {max(sizes)} turns)")
print(f"expected_escalate = true: {esc} ({esc / n:.1%})")
print(f"Empty expected_doc: {empty} ({empty / n:.1%})")
print(f"Rows naming more than one doc: {multidoc}")
print("Intents: " + ", ".join(f"{i} {intents[i]} ({intents[i] / n:.1%})" for i in INTENTS))
print("Channels: " + ", ".join(f"{c} {chans[c]}" for c in CHANNELS))
print(f"Message length: min {min(lens)}, max {max(lens)}, mean {sum(lens) / n:.1f} characters")
for c in CHANNELS:
    cl = [len(r["message"]) for r in body if r["channel"] == c]
    print(f"  mean length {c}: {sum(cl) / len(cl):.1f}")
print("Articles per folder: " + ", ".join(f"{f} {per_folder[f]}" for f in FOLDERS)
      + f" ({len(toc_set)} in total; {len(referenced & toc_set)} referenced by at least one ticket)")
print(f"README: {n_kf} key facts, {n_nc} topics not covered")
print("Escalation reasons (a row can have several):")
print(f"  human / call back requests: {rc['H']}")
print(f"  angry or abusive: {rc['A']}")
print(f"  privileged actions: {rc['P']}")
print(f"  no answering article: {rc['N']}")
print(f"  third unresolved turn: {len(t_convs)} conversations ({', '.join(t_convs)})")
print(f"Conversations that change intent: {len(intent_change)} ({', '.join(intent_change)})")

for w in warnings:
    print("WARNING:", w)
for e in errors:
    print("ERROR:", e)
print("OK" if not errors else f"{len(errors)} error(s)")
sys.exit(1 if errors else 0)
