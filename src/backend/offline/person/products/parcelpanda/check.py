#!/usr/bin/env python3
"""Check the ParcelPanda training product in ./parcelpanda/ (standard library only).

Usage: python3 parcelpanda.check.py [folder]
Exits 1 and lists the problems when any check fails; prints the counts otherwise.
"""
import csv
import io
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
FOLDER = sys.argv[1] if len(sys.argv) > 1 else HERE
HEADER = ['ticket_id', 'conversation_id', 'turn', 'message', 'expected_intent',
          'expected_escalate', 'expected_doc', 'channel']
INTENTS = ('billing', 'technical', 'account', 'general')
CHANNELS = ('chat', 'whatsapp', 'email')
REASONS = ('human', 'angry', 'privileged', 'no_article', 'third')

errors = []


def err(msg):
    errors.append(msg)


def read_csv(name, header):
    path = os.path.join(FOLDER, name)
    raw = open(path, 'rb').read()
    if raw.startswith(b'\xef\xbb\xbf'):
        err('%s: starts with a BOM' % name)
    if b'\r' in raw:
        err('%s: contains \\r (line endings must be \\n)' % name)
    if not raw.endswith(b'\n'):
        err('%s: does not end with \\n' % name)
    text = raw.decode('utf-8-sig')
    rows = list(csv.reader(io.StringIO(text, newline='')))
    if not rows or rows[0] != header:
        err('%s: header is %r' % (name, rows[0] if rows else None))
        return []
    for i, r in enumerate(rows[1:], 2):
        if len(r) != len(header):
            err('%s line %d: %d fields' % (name, i, len(r)))
    return [r for r in rows[1:] if len(r) == len(header)]


def toc_paths(readme):
    sec = readme.split('## Help centre', 1)[1].split('## Label guidelines', 1)[0]
    return re.findall(r'^- `([a-z]+/[a-z0-9-]+\.md)` — ', sec, re.M)


def words(s):
    return set(re.findall(r"[a-z0-9₹]+(?:[-'][a-z0-9]+)*", s.lower()))


def main():
    readme = open(os.path.join(FOLDER, 'README.md'), encoding='utf-8').read()
    toc = toc_paths(readme)
    if len(toc) != 30 or len(set(toc)) != 30:
        err('table of contents has %d paths (%d distinct), expected 30' % (len(toc), len(set(toc))))
    folders = {}
    for p in toc:
        folders[p.split('/')[0]] = folders.get(p.split('/')[0], 0) + 1
    if set(folders) != set(INTENTS):
        err('table of contents folders: %r' % folders)

    rows = read_csv('tickets.csv', HEADER)
    reasons = read_csv('escalation_reasons.csv', ['ticket_id', 'reason'])
    n = len(rows)
    if n != 190:
        err('tickets.csv has %d rows, expected 190' % n)

    # ids, turns, contiguity, channels
    ids = [r[0] for r in rows]
    if len(set(ids)) != n:
        err('duplicate ticket ids')
    for i, t in enumerate(ids, 1):
        if t != 'PD-T%04d' % i:
            err('ticket id %s at row %d, expected PD-T%04d' % (t, i, i))
            break
    convs, order = {}, []
    prev = None
    for r in rows:
        c = r[1]
        if c != prev:
            if c in convs:
                err('conversation %s is not contiguous' % c)
            convs[c] = []
            order.append(c)
        convs[c].append(r)
        prev = c
    for i, c in enumerate(order, 1):
        if c != 'C%03d' % i:
            err('conversation id %s in position %d, expected C%03d' % (c, i, i))
            break
    for c, rs in convs.items():
        turns = [r[2] for r in rs]
        if turns != [str(k) for k in range(1, len(rs) + 1)]:
            err('%s turns %r are not consecutive from 1' % (c, turns))
        if len({r[7] for r in rs}) != 1:
            err('%s uses more than one channel' % c)

    # values
    used = set()
    for r in rows:
        tid, msg, intent, esc, doc, ch = r[0], r[3], r[4], r[5], r[6], r[7]
        if intent not in INTENTS:
            err('%s intent %r' % (tid, intent))
        if esc not in ('true', 'false'):
            err('%s escalate %r' % (tid, esc))
        if ch not in CHANNELS:
            err('%s channel %r' % (tid, ch))
        if msg != msg.strip() or not (4 <= len(msg) <= 300):
            err('%s message length %d or stray whitespace' % (tid, len(msg)))
        if doc:
            parts = doc.split('|')
            if len(parts) != len(set(parts)):
                err('%s repeats a doc' % tid)
            for p in parts:
                if p not in toc:
                    err('%s doc %r is not in the table of contents' % (tid, p))
                used.add(p)
        elif esc != 'true':
            err('%s has an empty expected_doc but is not escalated' % tid)
    for p in toc:
        if p not in used:
            err('article %s is never referenced' % p)

    # escalation reasons
    rmap = {}
    for t, reason in reasons:
        if t in rmap:
            err('escalation_reasons.csv repeats %s' % t)
        rmap[t] = reason.split(';')
        for x in rmap[t]:
            if x not in REASONS:
                err('%s: unknown reason %r' % (t, x))
    byid = {r[0]: r for r in rows}
    for t in rmap:
        if t not in byid:
            err('escalation_reasons.csv names unknown ticket %s' % t)
    for r in rows:
        if (r[5] == 'true') != (r[0] in rmap):
            err('%s escalate=%s but reasons %r' % (r[0], r[5], rmap.get(r[0])))
        if r[0] in rmap and (('no_article' in rmap[r[0]]) != (r[6] == '')):
            err('%s: no_article reason and empty doc disagree' % r[0])
    # third unresolved: needs two earlier turns in the same conversation
    for t, rs in rmap.items():
        if 'third' in rs and t in byid and int(byid[t][2]) < 3:
            err('%s marked third unresolved on turn %s' % (t, byid[t][2]))

    # near duplicates
    msgs = [(r[0], r[3], words(r[3])) for r in rows]
    if len({m[1].lower() for m in msgs}) != n:
        err('a message is repeated')
    worst = (0.0, None, None)
    for i in range(n):
        for j in range(i + 1, n):
            a, b = msgs[i][2], msgs[j][2]
            small = min(len(a), len(b))
            if small == 0:
                continue
            share = len(a & b) / small
            if small >= 5:
                if share > 0.8:
                    err('%s and %s share %.0f%% of their words' % (msgs[i][0], msgs[j][0], 100 * share))
                if share > worst[0]:
                    worst = (share, msgs[i][0], msgs[j][0])
            elif share == 1.0:
                err('%s and %s: the shorter message is contained in the other' % (msgs[i][0], msgs[j][0]))

    # counts
    multi = {c: v for c, v in convs.items() if len(v) > 1}
    single = len(convs) - len(multi)
    mturns = sum(len(v) for v in multi.values())
    esc = sum(r[5] == 'true' for r in rows)
    empty = sum(r[6] == '' for r in rows)
    intents = {k: sum(r[4] == k for r in rows) for k in INTENTS}
    chans = {k: sum(r[7] == k for r in rows) for k in CHANNELS}
    cnt = {k: sum(k in v for v in rmap.values()) for k in REASONS}
    third_convs = sorted({byid[t][1] for t, v in rmap.items() if 'third' in v and t in byid})
    changes = []
    for c, v in multi.items():
        if len({r[4] for r in v}) > 1:
            changes.append(c)
    longest = max(len(v) for v in multi.values()) if multi else 0

    def rng(name, v, lo, hi):
        if not (lo <= v <= hi):
            err('%s = %s, expected %s–%s' % (name, v, lo, hi))

    rng('conversations', len(convs), 140, 150)
    rng('single-turn conversations', single, 120, 128)
    rng('multi-turn conversations', len(multi), 18, 22)
    rng('multi-turn turns', mturns, 60, 70)
    rng('longest conversation', longest, 5, 6)
    rng('escalated share %', round(100.0 * esc / n, 1), 30.0, 35.0)
    rng('empty-doc share %', round(100.0 * empty / n, 1), 13.0, 17.0)
    for k, v in intents.items():
        rng('intent ' + k, v, 45, 50)
    rng('human requests', cnt['human'], 8, 11)
    rng('angry turns', cnt['angry'], 9, 12)
    rng('privileged turns', cnt['privileged'], 16, 22)
    rng('third-unresolved conversations', len(third_convs), 4, 6)
    rng('conversations changing intent', len(changes), 8, 12)

    # the README's counts table must match
    expect = {
        'Ticket rows (turns)': str(n),
        'expected_escalate = true': '%d (%.1f%%)' % (esc, 100.0 * esc / n),
        'Empty expected_doc': '%d (%.1f%%)' % (empty, 100.0 * empty / n),
        'Rows naming more than one doc': str(sum('|' in r[6] for r in rows)),
        'Intents': ', '.join('%s %d (%.1f%%)' % (k, v, 100.0 * v / n) for k, v in intents.items()),
        'Channels': ', '.join('%s %d' % (k, v) for k, v in chans.items()),
    }
    conv_line = '%d (%d single-turn, %d multi-turn with %d turns; longest %d turns)' % (
        len(convs), single, len(multi), mturns, longest)
    expect['Conversations'] = conv_line
    table = dict(re.findall(r'^\| ([^|]+?) \| (.+?) \|$', readme, re.M))
    for k, v in expect.items():
        if table.get(k) != v:
            err('README counts: %r is %r, computed %r' % (k, table.get(k), v))
    why = {
        'Explicit requests for a human or call back': cnt['human'],
        'Angry customers': cnt['angry'],
        'Privileged-action requests': cnt['privileged'],
        'Turns with no answering article': cnt['no_article'],
        'Third unresolved turn in a row': len(third_convs),
    }
    for k, v in why.items():
        got = table.get(k, '')
        if not got.startswith(str(v) + ' ') and got != str(v):
            err('README why-escalated: %r is %r, computed %d' % (k, got, v))
    for c in third_convs + changes:
        if c not in readme.split('## Counts', 1)[-1]:
            err('README does not name conversation %s' % c)

    print('tickets.csv: %d rows, %d conversations (%d single-turn, %d multi-turn with %d turns; longest %d)'
          % (n, len(convs), single, len(multi), mturns, longest))
    print('escalated: %d (%.1f%%); empty expected_doc: %d (%.1f%%); rows with several docs: %d'
          % (esc, 100.0 * esc / n, empty, 100.0 * empty / n, sum('|' in r[6] for r in rows)))
    print('intents: ' + ', '.join('%s %d' % kv for kv in intents.items()))
    print('channels: ' + ', '.join('%s %d' % kv for kv in chans.items()))
    print('reasons: ' + ', '.join('%s %d' % (k, cnt[k]) for k in REASONS)
          + '; third-unresolved conversations: ' + ', '.join(third_convs))
    print('conversations changing intent: ' + ', '.join(changes))
    print('articles: %d in the table of contents (%s), %d referenced'
          % (len(toc), ', '.join('%s %d' % kv for kv in folders.items()), len(used & set(toc))))
    if worst[1]:
        print('highest word share between two messages (5+ words): %.0f%% (%s, %s)' % (100 * worst[0], worst[1], worst[2]))
    if errors:
        print('\nFAILED: %d problem(s)' % len(errors))
        for e in errors:
            print('  - ' + e)
        sys.exit(1)
    print('\nOK: all checks passed')


if __name__ == '__main__':
    main()
