#!/usr/bin/env python3
"""Build a StackFAQ mixed-scope *validation* set, for choosing escalation settings without
touching mixed_scope.csv: 250 answerable StackFAQ questions and 250 the docs cannot answer (125
from CLINC150's validation split, 125 from banking77's train split), none of them in
mixed_scope.csv. Reads ../shared/datasets (or $SHARED_DATASETS); writes the CSV to argv[1].

    bench/mixval.py OUT.csv
"""
import csv
import os
import random
import sys

D = os.environ.get("SHARED_DATASETS", os.path.join(os.path.dirname(__file__), "../../shared/datasets"))
out = sys.argv[1]
sf = os.path.join(D, "retrieval/stackfaq")
held = {r["message"] for r in csv.DictReader(open(os.path.join(sf, "mixed_scope.csv"), encoding="utf-8"))}
answerable = [r for r in csv.DictReader(open(os.path.join(sf, "queries.csv"), encoding="utf-8")) if r["message"] not in held]
clinc = [r["message"] for r in csv.DictReader(open(os.path.join(D, "escalation/escalation_clinc150_val.csv"), encoding="utf-8")) if r["message"] not in held]
b77 = [r["message"] for r in csv.DictReader(open(os.path.join(D, "intent/intent_banking77_train.csv"), encoding="utf-8")) if r["message"] not in held]
rng = random.Random(11)
rows = [(f"a{i}", r["message"], "false", r["expected_doc"]) for i, r in enumerate(rng.sample(answerable, 250))]
rows += [(f"o{i}", m, "true", "") for i, m in enumerate(rng.sample(clinc, 125) + rng.sample(b77, 125))]
with open(out, "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["ticket_id", "message", "expected_escalate", "expected_doc"])
    w.writerows(rows)
