#!/usr/bin/env python3
"""Checks tickets.csv against the rules in README.md and prints the counts.

Standard library only. Run from anywhere: python3 check.py
Exit status 1 when any rule is broken.
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
INTENTS = ["billing", "technical", "account", "general"]
CHANNELS = ["chat", "whatsapp", "email"]
FOLDERS = ["billing", "technical", "account", "general"]

# Why each escalated turn is escalated (a turn can have several):
# H asks for a human / call back, A angry or abusive, P privileged action,
# N no article answers (empty expected_doc), R third unresolved turn in a row.
# BEGIN REASONS
REASONS = {
    "PP-T0004": "R",
    "PP-T0006": "HN",
    "PP-T0009": "A",
    "PP-T0014": "AP",
    "PP-T0015": "P",
    "PP-T0019": "AR",
    "PP-T0030": "P",
    "PP-T0035": "N",
    "PP-T0038": "HN",
    "PP-T0040": "P",
    "PP-T0041": "H",
    "PP-T0043": "A",
    "PP-T0044": "A",
    "PP-T0056": "A",
    "PP-T0057": "N",
    "PP-T0058": "P",
    "PP-T0066": "N",
    "PP-T0067": "N",
    "PP-T0071": "P",
    "PP-T0075": "P",
    "PP-T0076": "N",
    "PP-T0078": "N",
    "PP-T0079": "P",
    "PP-T0080": "N",
    "PP-T0081": "N",
    "PP-T0084": "R",
    "PP-T0087": "H",
    "PP-T0092": "N",
    "PP-T0095": "RP",
    "PP-T0097": "N",
    "PP-T0104": "P",
    "PP-T0106": "N",
    "PP-T0108": "P",
    "PP-T0110": "P",
    "PP-T0112": "N",
    "PP-T0116": "N",
    "PP-T0120": "R",
    "PP-T0123": "P",
    "PP-T0127": "N",
    "PP-T0129": "N",
    "PP-T0130": "N",
    "PP-T0138": "N",
    "PP-T0140": "HN",
    "PP-T0141": "P",
    "PP-T0143": "P",
    "PP-T0144": "P",
    "PP-T0149": "A",
    "PP-T0150": "N",
    "PP-T0152": "N",
    "PP-T0154": "A",
    "PP-T0155": "H",
    "PP-T0157": "N",
    "PP-T0159": "H",
    "PP-T0163": "N",
    "PP-T0164": "N",
    "PP-T0167": "N",
    "PP-T0168": "P",
    "PP-T0177": "HN",
    "PP-T0178": "P",
    "PP-T0179": "N",
    "PP-T0182": "H",
    "PP-T0185": "A",
    "PP-T0186": "P",
    "PP-T0187": "P",
    "PP-T0190": "A",
}
# END REASONS

errors = []


def err(msg):
    errors.append(msg)


def section(text, title):
    m = re.search(r"^## " + re.escape(title) + r"\s*$(.*?)(?=^## |\Z)", text, re.M | re.S)
    return m.group(1) if m else ""


def norm(s):
    return re.sub(r"\s+", " ", s.strip().lower())


def main():
    readme = open(os.path.join(HERE, "README.md"), encoding="utf-8").read()
    toc_text = section(readme, "Help centre")
    toc = re.findall(r"^\s*[-*]\s+`?((?:%s)/[a-z0-9-]+\.md)`?" % "|".join(FOLDERS), toc_text, re.M)
    if len(toc) != 30:
        err(f"help centre lists {len(toc)} articles, expected 30")
    if len(set(toc)) != len(toc):
        err("help centre lists an article twice")
    per_folder = collections.Counter(p.split("/")[0] for p in toc)
    for f in FOLDERS:
        if not 7 <= per_folder[f] <= 9:
            err(f"folder {f} has {per_folder[f]} articles, expected 7-9")
    facts = re.findall(r"^- ", section(readme, "Key facts"), re.M)
    if not 15 <= len(facts) <= 25:
        err(f"key facts has {len(facts)} bullets, expected 15-25")
    uncovered = re.findall(r"^- ", section(readme, "Topics deliberately not covered by any article"), re.M)
    if not 8 <= len(uncovered) <= 10:
        err(f"not-covered list has {len(uncovered)} bullets, expected 8-10")

    raw = open(os.path.join(HERE, "tickets.csv"), "rb").read()
    if raw.startswith(b"\xef\xbb\xbf"):
        err("tickets.csv starts with a BOM")
    if b"\r" in raw:
        err("tickets.csv contains \\r (line endings must be \\n)")
    if not raw.endswith(b"\n"):
        err("tickets.csv does not end with \\n")
    text = raw.decode("utf-8")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader)
    if header != HEADER:
        err(f"bad header: {header}")
    rows = [dict(zip(HEADER, r)) for r in reader]
    for i, r in enumerate(rows, 2):
        if len(r) != len(HEADER) or any(v is None for v in r.values()):
            err(f"line {i}: wrong number of fields")

    # ids, conversations, turns, channels
    for i, r in enumerate(rows, 1):
        if r["ticket_id"] != f"PP-T{i:04d}":
            err(f"row {i}: ticket id {r['ticket_id']} expected PP-T{i:04d}")
    convs = collections.OrderedDict()
    prev = None
    for r in rows:
        c = r["conversation_id"]
        if c != prev and c in convs:
            err(f"conversation {c} is not contiguous")
        convs.setdefault(c, []).append(r)
        prev = c
    for k, c in enumerate(convs, 1):
        if c != f"C{k:03d}":
            err(f"conversation {c} out of order, expected C{k:03d}")
        turns = [r["turn"] for r in convs[c]]
        if turns != [str(t) for t in range(1, len(turns) + 1)]:
            err(f"{c}: turns {turns} not 1..n")
        if len({r["channel"] for r in convs[c]}) != 1:
            err(f"{c}: more than one channel")
        if len(turns) > 5:
            err(f"{c}: {len(turns)} turns, at most 5 allowed")

    # values
    seen = {}
    for r in rows:
        t = r["ticket_id"]
        if r["expected_intent"] not in INTENTS:
            err(f"{t}: bad intent {r['expected_intent']}")
        if r["expected_escalate"] not in ("true", "false"):
            err(f"{t}: bad escalate {r['expected_escalate']}")
        if r["channel"] not in CHANNELS:
            err(f"{t}: bad channel {r['channel']}")
        m = r["message"]
        if not 5 <= len(m) <= 260:
            err(f"{t}: message length {len(m)} outside 5-260")
        if m != m.strip() or "\n" in m:
            err(f"{t}: message has stray whitespace or a newline")
        key = norm(m)
        if key in seen:
            err(f"{t}: duplicate message of {seen[key]}")
        seen[key] = t
        docs = r["expected_doc"].split("|") if r["expected_doc"] else []
        if len(set(docs)) != len(docs):
            err(f"{t}: a doc is listed twice")
        for d in docs:
            if d not in toc:
                err(f"{t}: doc {d} is not in the README table of contents")
        esc = r["expected_escalate"] == "true"
        if not docs and not esc:
            err(f"{t}: empty expected_doc but not escalated")
        rs = REASONS.get(t, "")
        if esc != bool(rs):
            err(f"{t}: escalate={esc} but reasons '{rs}'")
        if ("N" in rs) != (not docs):
            err(f"{t}: reason N must match an empty expected_doc")
        if "R" in rs and int(r["turn"]) < 3:
            err(f"{t}: third-unresolved reason on turn {r['turn']}")
    for t in REASONS:
        if not re.fullmatch(r"PP-T\d{4}", t) or int(t[4:]) > len(rows):
            err(f"reason for unknown ticket {t}")

    referenced = {d for r in rows for d in r["expected_doc"].split("|") if d}
    for p in toc:
        if p not in referenced:
            err(f"article {p} is not referenced by any ticket")

    # counts
    n = len(rows)
    sizes = [len(v) for v in convs.values()]
    single = sum(1 for s in sizes if s == 1)
    multi = [s for s in sizes if s > 1]
    esc_n = sum(r["expected_escalate"] == "true" for r in rows)
    empty = sum(not r["expected_doc"] for r in rows)
    multidoc = sum("|" in r["expected_doc"] for r in rows)
    intents = collections.Counter(r["expected_intent"] for r in rows)
    chans = collections.Counter(r["channel"] for r in rows)
    lens = [len(r["message"]) for r in rows]
    rc = collections.Counter(ch for v in REASONS.values() for ch in v)
    r_convs = []
    for c, rs in convs.items():
        hit = [r for r in rs if "R" in REASONS.get(r["ticket_id"], "")]
        if hit:
            r_convs.append(f"{c} (turn {hit[0]['turn']})")
    changes = []
    for c, rs in convs.items():
        seq = [rs[0]["expected_intent"]]
        for r in rs[1:]:
            if r["expected_intent"] != seq[-1]:
                seq.append(r["expected_intent"])
        if len(seq) > 1:
            changes.append(f"{c} ({' -> '.join(seq)})")

    # targets from the brief
    def want(cond, msg):
        if not cond:
            err("target: " + msg)
    want(n == 190, f"{n} rows, expected 190")
    want(130 <= len(convs) <= 150, f"{len(convs)} conversations, expected about 140")
    want(110 <= single <= 130, f"{single} single-turn conversations, expected about 120")
    want(15 <= len(multi) <= 25 and 60 <= sum(multi) <= 80, "multi-turn conversations off target")
    for i in INTENTS:
        want(40 <= intents[i] <= 55, f"intent {i} has {intents[i]} rows, expected 40-55")
    want(0.30 <= esc_n / n <= 0.35, f"escalate share {esc_n / n:.1%}, expected 30-35%")
    want(7 <= rc["H"] <= 11, f"{rc['H']} human requests, expected about 9")
    want(8 <= rc["A"] <= 12, f"{rc['A']} angry turns, expected about 10")
    want(18 <= rc["P"] <= 20, f"{rc['P']} privileged turns, expected 18-20")
    want(26 <= rc["N"] <= 30, f"{rc['N']} no-article turns, expected 26-30")
    want(3 <= len(r_convs) <= 5, f"{len(r_convs)} third-unresolved conversations, expected 3-5")
    want(60 <= statistics.mean(lens) <= 90, f"mean message length {statistics.mean(lens):.1f}")

    print(f"Ticket rows (turns): {n}")
    print(f"Conversations: {len(convs)} ({single} single-turn, {len(multi)} multi-turn with "
          f"{sum(multi)} turns; longest {max(sizes)} turns)")
    print(f"expected_escalate = true: {esc_n} ({esc_n / n:.1%})")
    print(f"Empty expected_doc: {empty} ({empty / n:.1%})")
    print(f"Rows naming more than one doc: {multidoc}")
    print("Intents: " + ", ".join(f"{i} {intents[i]} ({intents[i] / n:.1%})" for i in INTENTS))
    print("Channels: " + ", ".join(f"{c} {chans[c]}" for c in CHANNELS) +
          f" (conversations: " + ", ".join(
              f"{c} {sum(1 for v in convs.values() if v[0]['channel'] == c)}" for c in CHANNELS) + ")")
    print(f"Message length: min {min(lens)}, mean {statistics.mean(lens):.1f}, "
          f"median {statistics.median(lens):.0f}, max {max(lens)} characters")
    print("Articles per folder: " + ", ".join(f"{f} {per_folder[f]}" for f in FOLDERS) +
          f" ({len(toc)} in total; {len(referenced & set(toc))} referenced by at least one ticket)")
    print("Escalation reasons (a turn can have several):")
    print(f"  human or call-back requests: {rc['H']}")
    print(f"  angry or abusive: {rc['A']}")
    print(f"  privileged actions: {rc['P']}")
    print(f"  no answering article: {rc['N']}")
    print(f"  third unresolved turn in a row: {rc['R']} ({', '.join(r_convs)})")
    print("Conversations that change intent: " + ", ".join(changes))

    if errors:
        print(f"\n{len(errors)} problem(s):", file=sys.stderr)
        for e in errors:
            print("  " + e, file=sys.stderr)
        sys.exit(1)
    print("\nAll checks passed.")


if __name__ == "__main__":
    main()
