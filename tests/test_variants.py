"""The generated variants (tools/make_variants.py -> fixtures/variants/).

(a) the generator is deterministic and the committed fixtures are what it writes;
(b) no damage leaks into a variant's gold: every gold speech text is exactly one of the reviewed
    gold texts, the files are well formed, and the raw page does hold each gold speech;
(c) quality: the cleaner, scored with tools/evaluate.py, holds the bars on the variants
    (marked ``quality``; deselect with ``-m "not quality"``).
"""
from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
VARIANTS = ROOT / "fixtures" / "variants"
GOLD = ROOT / "fixtures" / "gold"
SITES = {"xiexiebang", "zhuangpeitu", "renrenfanwen", "docin", "doc88", "book118", "baiduwenku",
         "360doc", "unknown"}
DOC_KEYS = {"title", "published", "author", "uploader", "source", "doc_id", "format", "pages", "size"}
BARS = {"content_f1": 0.98, "macro_f1": 0.97, "junk_removed": 0.95, "speech_precision": 0.95,
        "speech_recall": 0.95, "title_accuracy": 0.9, "speaker_accuracy": 0.95, "date_accuracy": 0.95}


def _load_generator():
    name = "make_variants_under_test"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / "make_variants.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod      # dataclasses look their module up while the class is built
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def gen():
    return _load_generator()


@pytest.fixture(scope="module")
def built(gen):
    files, manifest = gen.build_all()
    return files, manifest


def _golds():
    return sorted(VARIANTS.glob("*.gold.json"))


# ---- (a) determinism --------------------------------------------------------------------------

def test_generator_is_deterministic(gen, built):
    again, _ = gen.build_all()
    first, _ = built
    assert sorted(first) == sorted(again)
    for name in first:
        assert first[name] == again[name], f"{name} differs between two runs"


def test_fixtures_match_the_generator(built):
    files, _ = built
    on_disk = {p.name for p in VARIANTS.iterdir() if p.is_file()}
    assert on_disk == set(files), "fixtures/variants/ is stale: rerun tools/make_variants.py"
    stale = [n for n, data in files.items() if (VARIANTS / n).read_bytes() != data]
    assert not stale, f"stale variant files (rerun tools/make_variants.py): {stale[:5]}"


def test_enough_variants_and_small_enough(built):
    files, manifest = built
    assert 40 <= len(manifest) <= 60
    assert sum(len(d) for d in files.values()) < 3.2 * 1024 * 1024
    sites = {m["site"] for m in manifest.values()}
    assert sites == SITES


# ---- (b) no damage in the gold ------------------------------------------------------------------

def _original_texts() -> set[str]:
    out = set()
    for p in GOLD.glob("*.gold.json"):
        out.update(s["text"] for s in json.loads(p.read_text(encoding="utf-8"))["speeches"])
    return out


@pytest.mark.parametrize("path", _golds(), ids=lambda p: p.name[:3])
def test_gold_is_made_of_reviewed_texts(path):
    originals = _original_texts()
    g = json.loads(path.read_text(encoding="utf-8"))
    assert set(g) == {"source", "site", "document", "speeches"}
    assert g["source"] == path.name.replace(".gold.json", ".txt")
    assert (VARIANTS / g["source"]).exists()
    assert g["site"] in SITES
    assert set(g["document"]) <= DOC_KEYS and g["document"].get("title")
    if "pages" in g["document"]:
        assert isinstance(g["document"]["pages"], int)
    assert g["speeches"]
    seen = []
    for i, s in enumerate(g["speeches"]):
        assert set(s) == {"title", "speaker", "date", "text", "duplicate_of"}
        # exactly a reviewed gold text: no damage, no script round trip, no repair leaked in
        assert s["text"] in originals, f"speech {i} of {path.name} is not a reviewed gold text"
        for k in ("title", "speaker", "date"):
            assert s[k] is None or (isinstance(s[k], str) and s[k] == s[k].strip() and s[k])
        if s["date"] is not None:
            y, m, d = s["date"].split("-")
            assert len(y) == 4 and len(m) == 2 and len(d) == 2
        dup = s["duplicate_of"]
        if dup is None:
            assert s["text"] not in seen, f"speech {i} of {path.name} repeats an earlier one unmarked"
        else:
            assert 0 <= dup < i and g["speeches"][dup]["text"] == s["text"]
            assert g["speeches"][dup]["duplicate_of"] is None
        seen.append(s["text"])


def _cjk(s: str) -> str:
    return "".join(c for c in s if "\u4e00" <= c <= "\u9fff")


@pytest.mark.parametrize("path", _golds(), ids=lambda p: p.name[:3])
def test_raw_page_holds_every_gold_speech(gen, path):
    """Undo the script, pinyin and known bad characters, drop everything but Chinese characters:
    each gold speech (and its title) must then be found in the raw page, window by window."""
    manifest = json.loads((VARIANTS / "manifest.json").read_text(encoding="utf-8"))
    g = json.loads(path.read_text(encoding="utf-8"))
    info = manifest[g["source"]]
    text = gen.decode_page((VARIANTS / g["source"]).read_bytes(), info)
    text = gen.T2S.convert(gen.PINYIN_RE.sub("", text)).replace("臵", "置").replace("臶", "帜")
    raw = _cjk(text)
    for i, s in enumerate(g["speeches"]):
        c = _cjk(s["text"])
        windows = [c[j:j + 12] for j in range(0, max(1, len(c) - 12), 12)]
        missing = [w for w in windows if w not in raw]
        assert len(missing) <= 0.08 * len(windows), f"speech {i}: {missing[:3]}"
        for k in ("title", "speaker"):
            if s[k]:
                assert _cjk(s[k]) in raw, f"speech {i}: {k} {s[k]!r} not printed on the page"


def test_encodings_are_what_the_manifest_says():
    manifest = json.loads((VARIANTS / "manifest.json").read_text(encoding="utf-8"))
    boms = {"utf-8-sig": b"\xef\xbb\xbf", "utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}
    kinds = set()
    for name, info in manifest.items():
        data = (VARIANTS / name).read_bytes()
        enc = info["encoding"]
        kinds.add("double" if info["double_encoded"] else enc)
        if enc in boms:
            assert data.startswith(boms[enc]), name
        elif enc == "big5":
            data.decode("big5")
            with pytest.raises(UnicodeDecodeError):
                data.decode("utf-8")
        elif enc == "gb18030":
            with pytest.raises(UnicodeDecodeError):
                data.decode("utf-8")
        if info["crlf"]:
            assert b"\r\n" in data or b"\r\x00\n\x00" in data or b"\x00\r\x00\n" in data, name
    assert {"utf-8", "utf-8-sig", "utf-16-le", "utf-16-be", "gb18030", "big5", "double"} <= kinds


# ---- (c) quality ------------------------------------------------------------------------------

@pytest.mark.quality
def test_cleaner_holds_the_bars_on_variants():
    cmd = [sys.executable, str(ROOT / "tools" / "evaluate.py"), str(VARIANTS), "--quiet"]
    for k, v in BARS.items():
        cmd += ["--min", f"{k}={v}"]
    res = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    assert res.returncode == 0, f"exit {res.returncode}\n{res.stdout}\n{res.stderr}"
