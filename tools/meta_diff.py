"""List title/speaker/date disagreements between gold and output, per matched speech.
Usage: meta_diff.py GOLD_DIR OUT/speeches.jsonl"""
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from score import f1, load_gold, load_output, meta_norm, units  # noqa: E402

gold = load_gold(sys.argv[1])
outs, _ = load_output(sys.argv[2], gold.keys())
for src, g in gold.items():
    sp = outs[src]
    pairs = sorted(((f1(units(a["text"]), units(b.get("text", ""))), gi, oi)
                    for gi, a in enumerate(g["speeches"]) for oi, b in enumerate(sp)), reverse=True)
    used_g, used_o = set(), set()
    for s, gi, oi in pairs:
        if s < 0.9 or gi in used_g or oi in used_o:
            continue
        used_g.add(gi); used_o.add(oi)
        for k in ("title", "speaker", "date"):
            if meta_norm(g["speeches"][gi].get(k)) != meta_norm(sp[oi].get(k)):
                print(f"{src[:40]} #{gi} {k}: gold={g['speeches'][gi].get(k)!r} out={sp[oi].get(k)!r}")
    for gi in range(len(g["speeches"])):
        if gi not in used_g and g["speeches"][gi].get("duplicate_of") is None:
            print(f"{src[:40]} #{gi} UNMATCHED gold {g['speeches'][gi]['text'][:40]!r}")
    for oi in range(len(sp)):
        if oi not in used_o:
            print(f"{src[:40]} out#{oi} UNMATCHED output {sp[oi]['text'][:60]!r}")
