"""Show where an output differs from gold for one document: extra and missing sentences,
and the speech list with metadata. Usage: inspect_doc.py GOLD.json OUT/speeches.jsonl"""
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from score import units  # noqa: E402

gold = json.load(open(sys.argv[1], encoding="utf-8"))
recs = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
recs = [r for r in recs if Path(r["source"]).name == gold["source"]]
g_all, o_all = {}, {}
for s in gold["speeches"]:
    for u, n in units(s["text"]).items():
        g_all[u] = g_all.get(u, 0) + n
for r in recs:
    for u, n in units(r["text"]).items():
        o_all[u] = o_all.get(u, 0) + n
print("EXTRA in output:")
for u, n in o_all.items():
    if n > g_all.get(u, 0):
        print("  +", u[:120])
print("MISSING from output:")
for u, n in g_all.items():
    if n > o_all.get(u, 0):
        print("  -", u[:120])
print("GOLD speeches:")
for i, s in enumerate(gold["speeches"]):
    print(f"  {i} {s['title']!r} {s['speaker']!r} {s['date']!r} dup={s.get('duplicate_of')} {s['text'][:30]!r}")
print("OUT speeches:")
for r in recs:
    print(f"  {r['index']} {r['title']!r} {r['speaker']!r} {r['date']!r} {r['text'][:30]!r}")
