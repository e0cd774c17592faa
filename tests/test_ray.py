"""The Ray engine: ``cleaner clean --engine ray`` writes what the local engine writes, byte for
byte, and ``cleaner.ray_engine.clean_dataset`` maps the cleaner over a Ray Dataset.

These run a real Ray: one local instance (2 CPUs) for the module, which the CLI runs reach with
``--address``, plus one private instance started by the CLI itself. Without ``ray[data]``
installed they are skipped (``pip install -e '.[ray]'``; CI installs it); the tests that the
base install stays free of Ray always run.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import subprocess
import sys

import pytest

import cleaner
from cleaner.batch import PartStore, process_item, run_batch
from cleaner.context import Options

from .helpers import FIXTURES, ROOT
from .test_resume import same_bytes

SEEDS = FIXTURES / "seeds"
FINAL = ("speeches.jsonl", "audit.jsonl", "rejects.jsonl")
BINARY = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\n" + bytes(range(256)) * 4
TIMEOUT = 900

try:
    import ray
    import ray.data  # noqa: F401
    HAVE_RAY = True
except ImportError:
    HAVE_RAY = False

# Ray's own DataContext warns about its deprecated settings when it copies them
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:ray.data.context")

needs_ray = pytest.mark.skipif(not HAVE_RAY, reason="ray[data] is not installed: "
                               "pip install -e '.[ray]' (CI installs it)")


def run_cli(*args, input=None, env=None, python_prelude=None):
    if python_prelude is None:
        cmd = [sys.executable, "-m", "cleaner.cli", *map(str, args)]
    else:
        code = (python_prelude + "\nimport sys\nfrom cleaner.cli import app\n"
                "sys.argv = ['cleaner'] + sys.argv[1:]\napp()\n")
        cmd = [sys.executable, "-c", code, *map(str, args)]
    return subprocess.run(cmd, input=input, capture_output=True, cwd=ROOT, env=env, timeout=TIMEOUT)


def read_jsonl(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def env_without_ray_address():
    env = dict(os.environ)
    env.pop("RAY_ADDRESS", None)
    return env


def assert_same_outputs(a, b, names=FINAL):
    for name in names:
        same_bytes((a / name).read_bytes(), (b / name).read_bytes(), name)
    sa, sb = (json.loads((d / "summary.json").read_text()) for d in (a, b))
    sa.pop("seconds"), sb.pop("seconds")
    assert sa == sb


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """The seed pages plus a binary file, in one folder."""
    root = tmp_path_factory.mktemp("pages") / "pages"
    root.mkdir()
    for p in sorted(SEEDS.glob("*.txt")):
        shutil.copy(p, root / p.name)
    (root / "002a_binary.txt").write_bytes(BINARY)
    return root


@pytest.fixture(scope="module")
def local_out(pages, tmp_path_factory):
    """The local engine's output for the seed pages, a binary file and a missing path."""
    out = tmp_path_factory.mktemp("local") / "out"
    res = run_cli("clean", pages, pages.parent / "missing.txt", "-o", out, "--audit", "-j", "2")
    assert res.returncode == 1, res.stderr.decode()[-3000:]
    return out


# --- the base install stays light -------------------------------------------------------------

def test_importing_cleaner_never_imports_ray():
    code = ("import sys, cleaner, cleaner.cli, cleaner.batch, cleaner.io, cleaner.ray_engine\n"
            "bad = sorted(m for m in ('ray', 'pyarrow', 'pandas') if m in sys.modules)\n"
            "assert not bad, bad\n")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, cwd=ROOT)
    assert res.returncode == 0, res.stderr.decode()


def test_engine_ray_without_ray_says_how_to_install_it(tmp_path):
    res = run_cli("clean", SEEDS / "004_afa1f4f367c7ea41.txt", "-o", tmp_path / "out", "--engine", "ray",
                  python_prelude="import sys; sys.modules['ray'] = None")
    err = res.stderr.decode()
    assert res.returncode != 0
    assert "the Ray engine needs the 'ray' extra: pip install 'cleaner[ray]'" in err
    assert "Traceback" not in err
    code = ("import sys; sys.modules['ray'] = None\n"
            "from cleaner.ray_engine import clean_dataset\n"
            "try:\n    clean_dataset(None)\nexcept ImportError as exc:\n    print(exc)\n")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, cwd=ROOT)
    assert "pip install 'cleaner[ray]'" in res.stdout.decode(), res.stderr.decode()


# --- cleaner clean --engine ray ---------------------------------------------------------------

@needs_ray
def test_engine_ray_with_a_private_local_ray_matches_the_local_engine(pages, local_out, tmp_path):
    """No --address: the CLI starts its own local Ray instance and shuts it down."""
    out = tmp_path / "out"
    res = run_cli("clean", pages, pages.parent / "missing.txt", "-o", out, "--audit",
                  "--engine", "ray", env=env_without_ray_address())
    err = res.stderr.decode()
    assert res.returncode == 1, err[-3000:]
    assert "Traceback" not in err
    assert_same_outputs(out, local_out)
    assert not (out / ".work").exists()
    assert len(read_jsonl(out / "rejects.jsonl")) == 2


@pytest.fixture(scope="module")
def ray_address():
    """One local Ray instance for the module: 2 CPUs, no dashboard. Yields its address."""
    if not HAVE_RAY:
        pytest.skip("ray[data] is not installed")
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False,
             logging_level=logging.WARNING)
    # Ray Data logs at DEBUG level; keep that out of pytest's report of a failing test
    loggers = [logging.getLogger(name) for name in ("ray", "ray.data")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.WARNING)
    try:
        yield ray.get_runtime_context().gcs_address
    finally:
        for lg, level in zip(loggers, levels):
            lg.setLevel(level)
        ray.shutdown()


@needs_ray
def test_engine_ray_on_a_cluster_matches_the_local_engine(ray_address, pages, local_out, tmp_path):
    out = tmp_path / "out"
    res = run_cli("clean", pages, pages.parent / "missing.txt", "-o", out, "--audit",
                  "--engine", "ray", "--address", ray_address)
    assert res.returncode == 1, res.stderr.decode()[-3000:]
    assert_same_outputs(out, local_out)


@needs_ray
def test_engine_ray_jsonl_shards_and_stdout_match_the_local_engine(ray_address, tmp_path):
    src = tmp_path / "pages.jsonl"
    lines = [json.dumps({"id": p.stem, "text": p.read_text(encoding="utf-8"), "n": k}, ensure_ascii=False)
             for k, p in enumerate(sorted(SEEDS.glob("*.txt")))]
    lines.insert(2, "{broken")
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    args = (src, "--input-format", "jsonl", "--shard-size", "4")
    local = tmp_path / "local"
    res = run_cli("clean", *args, "-o", local, "-j", "2")
    assert res.returncode == 1, res.stderr.decode()[-3000:]
    rayout = tmp_path / "ray"
    res = run_cli("clean", *args, "-o", rayout, "--engine", "ray", "--address", ray_address)
    assert res.returncode == 1, res.stderr.decode()[-3000:]
    shards = sorted(p.name for p in local.glob("speeches-*.jsonl"))
    assert len(shards) == 7 and shards == sorted(p.name for p in rayout.glob("speeches-*.jsonl"))
    assert_same_outputs(rayout, local, names=shards + ["rejects.jsonl"])
    assert read_jsonl(rayout / "rejects.jsonl")[0]["source"] == f"{src}:3"
    # -o -: the same records on stdout, nothing else there
    res_local = run_cli("clean", src, "--input-format", "jsonl", "-o", "-", "-j", "2")
    res_ray = run_cli("clean", src, "--input-format", "jsonl", "-o", "-", "--engine", "ray",
                      "--address", ray_address)
    assert res_ray.returncode == res_local.returncode == 1
    assert res_ray.stdout == res_local.stdout
    assert res_ray.stdout == b"".join((local / s).read_bytes() for s in shards)
    assert f"{src}:3: not JSON" in res_ray.stderr.decode()


@needs_ray
def test_run_ray_resumes_from_the_local_engines_parts(ray_address, pages, tmp_path):
    """Ray and local runs share OUT/.work: a run started by one is finished by the other."""
    from cleaner.cli import iter_items
    from cleaner.ray_engine import run_ray

    inputs = [str(pages), str(pages.parent / "missing.txt")]
    ref = tmp_path / "ref"
    run_batch(iter_items(inputs, "raw", "text", "id"), ref, Options(), jobs=1, audit=True)
    out = tmp_path / "out"
    items = list(iter_items(inputs, "raw", "text", "id"))
    store = PartStore(out)       # what a local run killed after its first chunk leaves
    store.write([process_item(i, item, Options(), 60.0, True) for i, item in enumerate(items[:3])])
    summary = run_ray(iter(items), out, Options(), audit=True)
    assert summary.skipped == 3
    assert (summary.files, summary.failures) == (len(items), 2)
    for name in FINAL:
        same_bytes((out / name).read_bytes(), (ref / name).read_bytes(), name)
    assert not (out / ".work").exists()


# --- clean_dataset ----------------------------------------------------------------------------

def speech_tuple(x) -> tuple:
    if isinstance(x, dict):
        return (x["index"], x["title"], x["speaker"], x["date"], x["text"], tuple(x["span"]),
                x.get("duplicate_of"))
    return (x.index, x.title, x.speaker, x.date, x.text, tuple(x.span), x.duplicate_of)


@needs_ray
def test_clean_dataset_gives_the_speeches_of_clean_text(ray_address):
    from cleaner.ray_engine import SPEECH_COLUMNS, clean_dataset

    texts = {p.stem: p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))}
    ds = ray.data.from_items([{"id": k, "text": t, "lang": "zh"} for k, t in texts.items()])
    cleaned = clean_dataset(ds)
    rows = cleaned.take_all()
    assert list(cleaned.schema().names) == list(SPEECH_COLUMNS)
    for key, text in texts.items():
        result = cleaner.clean_text(text, source=key)
        mine = sorted((r for r in rows if r["source"] == key), key=lambda r: r["index"])
        assert [speech_tuple(r) for r in mine] == [speech_tuple(sp) for sp in result.speeches], key
        for r in mine:
            assert r["id"] == f"{key}#{r['index']}" and r["count"] == len(result.speeches)
            assert json.loads(r["meta"]) == {"id": key, "lang": "zh"}
            assert json.loads(r["document"]) == result.document
            assert r["source_sha256"] == hashlib.sha256(text.encode()).hexdigest()
            assert r["error"] is None and r["encoding"] == "utf-8"
    assert len(rows) == 27


@needs_ray
def test_clean_dataset_rows_are_the_records_the_cli_writes(ray_address, tmp_path):
    from cleaner.ray_engine import clean_dataset, to_record

    src = tmp_path / "pages.jsonl"
    with open(src, "w", encoding="utf-8") as fh:
        for k, p in enumerate(sorted(SEEDS.glob("*.txt"))):
            fh.write(json.dumps({"id": p.stem, "text": p.read_text(encoding="utf-8"), "batch": k,
                                 "site_hint": "x"}, ensure_ascii=False) + "\n")
    out = tmp_path / "out"
    res = run_cli("clean", src, "-o", out, "--input-format", "jsonl", "-j", "2")
    assert res.returncode == 0, res.stderr.decode()[-3000:]
    cli_records = read_jsonl(out / "speeches.jsonl")
    rows = clean_dataset(ray.data.read_json(str(src))).take_all()
    mine = sorted((to_record(r) for r in rows), key=lambda r: (r["source"], r["index"]))
    assert mine == cli_records
    # and the same JSON, key order included
    assert [json.dumps(r, ensure_ascii=False) for r in mine] == \
        [json.dumps(r, ensure_ascii=False) for r in cli_records]


@needs_ray
def test_clean_dataset_raw_bytes_and_errors(ray_address):
    from cleaner.ray_engine import clean_dataset

    gb = (SEEDS / "004_afa1f4f367c7ea41.txt").read_text(encoding="utf-8").encode("gb18030")
    ds = ray.data.from_items([{"path": "a/page.txt", "bytes": gb}, {"path": "b/doc.pdf", "bytes": BINARY}])
    rows = clean_dataset(ds, text_column="bytes", id_column="path").take_all()
    expected = cleaner.clean_bytes(gb, source="a/page.txt")
    assert [speech_tuple(r) for r in rows] == [speech_tuple(sp) for sp in expected.speeches]
    assert {r["encoding"] for r in rows} == {expected.encoding}
    assert {r["id"] for r in rows} == {"page#0"}

    kept = clean_dataset(ds, text_column="bytes", id_column="path", errors="keep").take_all()
    failed = [r for r in kept if r["error"] is not None]
    assert len(kept) == len(rows) + 1 and len(failed) == 1
    assert failed[0]["source"] == "b/doc.pdf" and failed[0]["text"] is None
    assert "binary" in failed[0]["error"]
    assert failed[0]["source_sha256"] == hashlib.sha256(BINARY).hexdigest()

    with pytest.raises(Exception, match="b/doc.pdf"):
        clean_dataset(ds, text_column="bytes", id_column="path", errors="raise").take_all()

    unnamed = clean_dataset(ds.select_columns(["bytes"]), text_column="bytes", id_column=None).take_all()
    assert {r["source"] for r in unnamed} == {hashlib.sha256(gb).hexdigest()[:16]}


@needs_ray
def test_the_rule_catalog_is_loaded_once_per_worker(ray_address):
    import pyarrow as pa
    from cleaner.ray_engine import clean_dataset

    def report(batch):
        from cleaner.rules import load_rules
        info = load_rules.cache_info()
        return pa.table({"pid": [os.getpid()], "misses": [info.misses]})

    text = (SEEDS / "004_afa1f4f367c7ea41.txt").read_text(encoding="utf-8")
    ds = ray.data.from_items([{"id": f"p{i}", "text": text[: 1500 + 100 * i]} for i in range(12)],
                             override_num_blocks=12)
    reports = clean_dataset(ds, batch_size=1).map_batches(report, batch_format="pyarrow",
                                                          batch_size=None).take_all()
    assert len(reports) >= 2
    assert {r["misses"] for r in reports} == {1}, reports
    assert len({r["pid"] for r in reports}) < len(reports)   # workers are reused across tasks


@needs_ray
def test_outcomes_come_back_in_input_order_across_waves(ray_address, pages):
    from cleaner.batch import map_outcomes
    from cleaner.cli import iter_items
    from cleaner.ray_engine import map_outcomes_ray

    items = list(iter_items([str(pages), str(pages.parent / "missing.txt")], "raw", "text", "id"))
    pairs = [(i, item) for i, item in enumerate(items) if i != 2]     # as when resuming: gaps
    local = [o for chunk in map_outcomes(iter(pairs), Options(), jobs=1, audit=True) for o in chunk]
    chunks = list(map_outcomes_ray(iter(pairs), Options(), audit=True, wave_items=3))
    assert all(chunks)
    mine = [o for chunk in chunks for o in chunk]
    assert [o.index for o in mine] == [i for i, _ in pairs]
    assert [vars(o) for o in mine] == [vars(o) for o in local]
