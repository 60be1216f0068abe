#!/usr/bin/env python3
"""Check that no 5-word sequence in quality/ also occurs in any file under /work/shared/eval.

    python3 quality/check_overlap.py [N]      # N = sequence length, default 5

Words are lower-cased runs of letters/digits (Unicode), so punctuation and line breaks
do not hide a copy.  Every string value of every JSON line in the shared files is read
(texts, titles, article bodies, keywords), plus the raw lines of any non-JSON file.
Checked on our side: both sets and the hand-written bank files they are built from.
Exit status 1 if any shared sequence is found.
"""
import json
import re
import sys
from pathlib import Path

N = int(sys.argv[1]) if len(sys.argv) > 1 else 5
SHARED = Path("/work/shared/eval")
HERE = Path(__file__).resolve().parent
WORD = re.compile(r"\w+", re.UNICODE)


def strings(obj):
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from strings(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from strings(v)


def grams(text):
    w = WORD.findall(text.lower())
    return {tuple(w[i:i + N]) for i in range(len(w) - N + 1)}


shared = set()
files = [p for p in sorted(SHARED.rglob("*")) if p.is_file()]
for p in files:
    for line in p.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            texts = list(strings(json.loads(line)))
        except ValueError:
            texts = [line]
        for t in texts:
            shared |= grams(t)

ours = [HERE / "routing-longtail.jsonl", HERE / "kb-questions.jsonl"] + sorted((HERE / "bank").glob("*.txt"))
hits = 0
for p in ours:
    n_texts = 0
    for lineno, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1):
        if p.suffix == ".jsonl":
            text = json.loads(line)["text"]
        else:
            if line.startswith("#"):
                continue
            text = line.split("|")[-1]
        n_texts += 1
        common = grams(text) & shared
        for g in sorted(common):
            hits += 1
            print(f"{p.name}:{lineno}: shared {N}-gram: {' '.join(g)}")
    print(f"checked {p.relative_to(HERE.parent)}: {n_texts} texts")
print(f"shared files read: {len(files)} ({', '.join(str(f.relative_to(SHARED)) for f in files)}); "
      f"distinct {N}-grams there: {len(shared)}")
print(f"RESULT: {hits} shared {N}-word sequences")
sys.exit(1 if hits else 0)
