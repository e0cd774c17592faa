"""Bad input gets a clear answer, as a user running ``cleaner clean`` sees it.

A missing file, an empty directory, an unreadable file, a binary file, an undecodable file, a
corrupt .gz: each is named on stderr in one line (``error: PATH: reason``), listed in
``OUT/rejects.jsonl``, the exit status is 1, and every good input of the same run is still
cleaned. A full disk (``ENOSPC``, simulated by wrapping ``os.fdopen`` in the CLI process: no root
or tiny filesystem needed) and a killed write never leave a truncated output file that looks
complete: the final file is either absent or the previous complete version. (Kill -9 and resume
of whole runs is ``tests/test_resume.py``'s subject; here the atomic-write property is checked
directly.)
"""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from .helpers import FIXTURES, ROOT

SEEDS = sorted((FIXTURES / "seeds").glob("*.txt"))
ERROR_LINE = re.compile(r"^error: (?P<path>.+?): (?P<reason>\S.*)$")


def cli(*args, cwd: Path, env: dict | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cleaner.cli", "clean", *map(str, args)], capture_output=True,
                          text=True, cwd=cwd, timeout=timeout, env=dict(os.environ, **(env or {})))


def error_lines(stderr: str) -> dict[str, str]:
    """path -> reason of every ``error:`` line; asserts each is well formed and there is no traceback."""
    assert "Traceback" not in stderr, stderr[-3000:]
    out = {}
    for line in stderr.splitlines():
        if line.startswith("error:"):
            m = ERROR_LINE.match(line)
            assert m, f"malformed error line: {line!r}"
            assert m["path"] not in out, f"{m['path']} reported twice"
            out[m["path"]] = m["reason"]
    return out


def records(out: Path, name: str = "speeches.jsonl") -> list[dict]:
    path = out / name
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


@pytest.fixture
def work(tmp_path):
    """A folder with two good pages (good/a.txt, good/b.txt in GB18030) and an output path."""
    (tmp_path / "good").mkdir()
    (tmp_path / "good" / "a.txt").write_bytes(SEEDS[0].read_bytes())
    (tmp_path / "good" / "b.txt").write_bytes(SEEDS[1].read_text(encoding="utf-8").encode("gb18030"))
    return tmp_path


def assert_good_cleaned(out: Path, *sources: str) -> None:
    got = {r["source"] for r in records(out)}
    for s in sources:
        assert s in got, f"{s} has no speech in {out / 'speeches.jsonl'} (sources: {sorted(got)})"


def assert_rejected(res, out: Path, expected: dict[str, str]) -> None:
    """Exit 1; each bad input named once on stderr and in rejects.jsonl, with a reason matching."""
    assert res.returncode == 1, (res.returncode, res.stderr[-2000:])
    errs = error_lines(res.stderr)
    rejects = {r["source"]: r["reason"] for r in records(out, "rejects.jsonl")}
    for path, pattern in expected.items():
        assert path in errs, f"{path} not reported on stderr:\n{res.stderr[-2000:]}"
        assert re.search(pattern, errs[path]), f"{path}: reason {errs[path]!r} does not say {pattern!r}"
        assert "internal error" not in errs[path], errs[path]
        assert rejects.get(path) == errs[path], (path, rejects.get(path), errs[path])
    assert set(errs) == set(expected), f"unexpected errors: {set(errs) - set(expected)}"


# -- one kind of bad input at a time ----------------------------------------------------------

def test_all_good_exit_zero(work):
    res = cli("good", "-o", "out", "-j", "1", cwd=work)
    assert res.returncode == 0, res.stderr[-2000:]
    assert error_lines(res.stderr) == {}
    assert_good_cleaned(work / "out", "good/a.txt", "good/b.txt")
    assert records(work / "out", "rejects.jsonl") == []


def test_missing_file(work):
    res = cli("good/a.txt", "nope/missing.txt", "good/b.txt", "-o", "out", "-j", "1", cwd=work)
    assert_rejected(res, work / "out", {"nope/missing.txt": r"no such file"})
    assert_good_cleaned(work / "out", "good/a.txt", "good/b.txt")


def test_directory_without_files(work):
    (work / "empty").mkdir()
    (work / "hidden").mkdir()
    (work / "hidden" / ".DS_Store").write_bytes(b"x")
    res = cli("empty", "good", "hidden", "-o", "out", "-j", "1", cwd=work)
    assert_rejected(res, work / "out", {"empty": r"no files", "hidden": r"no files"})
    assert_good_cleaned(work / "out", "good/a.txt", "good/b.txt")


def _can_lock_out(path: Path) -> bool:
    path.chmod(0)
    try:
        with open(path, "rb"):
            return False       # root (or CAP_DAC_OVERRIDE): permissions do not stop reading
    except PermissionError:
        return True


def test_unreadable_file(work):
    locked = work / "good" / "locked.txt"
    locked.write_bytes(SEEDS[2].read_bytes())
    try:
        if not _can_lock_out(locked):
            pytest.skip("running as root: chmod 000 does not prevent reading (see test_unreadable_file_in_process)")
        res = cli("good", "-o", "out", "-j", "1", cwd=work)
        assert_rejected(res, work / "out", {"good/locked.txt": r"permission denied"})
        assert_good_cleaned(work / "out", "good/a.txt", "good/b.txt")
    finally:
        locked.chmod(0o644)


def test_unreadable_directory(work):
    locked = work / "locked"
    locked.mkdir()
    (locked / "x.txt").write_bytes(SEEDS[2].read_bytes())
    locked.chmod(0)
    try:
        if os.access(locked, os.R_OK) or os.geteuid() == 0:
            pytest.skip("running as root: chmod 000 does not prevent reading")
        res = cli("locked", "good", "-o", "out", "-j", "1", cwd=work)
        assert res.returncode == 1
        assert "locked" in error_lines(res.stderr)
        assert_good_cleaned(work / "out", "good/a.txt", "good/b.txt")
    finally:
        locked.chmod(0o755)


UNREADABLE_RUNNER = textwrap.dedent("""
    import builtins, sys
    import cleaner.io
    real_open = builtins.open
    def guarded(file, *a, **k):
        if str(file).endswith("locked.txt"):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *a, **k)
    cleaner.io.open = guarded          # only cleaner.io's reads see it
    from cleaner.cli import app
    app(prog_name="cleaner", args=sys.argv[1:])
""")


def test_unreadable_file_in_process(work):
    """What a permission error looks like, whoever runs the tests (open() refused in cleaner.io)."""
    (work / "good" / "locked.txt").write_bytes(SEEDS[2].read_bytes())
    res = subprocess.run([sys.executable, "-c", UNREADABLE_RUNNER, "clean", "good", "-o", "out", "-j", "1"],
                         capture_output=True, text=True, cwd=work, timeout=300)
    assert_rejected(res, work / "out", {"good/locked.txt": r"permission denied"})
    assert_good_cleaned(work / "out", "good/a.txt", "good/b.txt")


BINARIES = {
    "report.txt": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\n" + bytes(range(256)) * 4,
    "archive.txt": b"PK\x03\x04\x14\x00\x06\x00\x08\x00" + bytes(range(256)) * 4,
    "image.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4,
    "photo.txt": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 4,
    "old.doc.txt": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 4,
    "noise.txt": bytes((i * 7919 + 13) % 256 for i in range(4000)),
}


def test_binary_files(work):
    (work / "bin").mkdir()
    for name, data in BINARIES.items():
        (work / "bin" / name).write_bytes(data)
    res = cli("good/a.txt", "bin", "good/b.txt", "-o", "out", "-j", "2", cwd=work)
    expected = {f"bin/{n}": r"binary|not text" for n in BINARIES}
    expected |= {"bin/report.txt": r"binary file \(PDF\)", "bin/image.txt": r"binary file \(PNG\)",
                 "bin/photo.txt": r"binary file \(JPEG\)", "bin/archive.txt": r"binary file \(ZIP"}
    assert_rejected(res, work / "out", expected)
    assert_good_cleaned(work / "out", "good/a.txt", "good/b.txt")


def test_undecodable_file(work):
    (work / "bad.txt").write_bytes(bytes(range(0x80, 0x100)) * 20)   # >1% undecodable in every encoding
    res = cli("bad.txt", "good", "-o", "out", "-j", "1", cwd=work)
    assert_rejected(res, work / "out", {"bad.txt": r"not text in any supported encoding"})
    assert_good_cleaned(work / "out", "good/a.txt", "good/b.txt")


def test_corrupt_gzip(work):
    (work / "page.txt.gz").write_bytes(b"this is not gzip data")
    res = cli("page.txt.gz", "good", "-o", "out", "-j", "1", cwd=work)
    assert_rejected(res, work / "out", {"page.txt.gz": r"cannot read"})
    assert_good_cleaned(work / "out", "good/a.txt", "good/b.txt")


def test_everything_at_once(work):
    """All of it in one run, with two worker processes: nothing good is lost."""
    (work / "empty").mkdir()
    (work / "good" / "doc.txt").write_bytes(BINARIES["report.txt"])
    (work / "good" / "empty.txt").write_bytes(b"")
    (work / "good" / "blank.txt").write_bytes(b" \n\t\r\n\xe3\x80\x80\n")
    res = cli("missing.txt", "good", "empty", "-o", "out", "-j", "2", "--audit", cwd=work)
    assert_rejected(res, work / "out", {"missing.txt": "no such file", "empty": "no files",
                                        "good/doc.txt": r"binary file \(PDF\)"})
    assert_good_cleaned(work / "out", "good/a.txt", "good/b.txt")
    audits = {r["source"] for r in records(work / "out", "audit.jsonl")}
    assert {"good/a.txt", "good/b.txt", "good/empty.txt", "good/blank.txt"} <= audits
    summary = json.loads((work / "out" / "summary.json").read_text(encoding="utf-8"))
    assert summary["failures"] == 3 and summary["files"] == 7


def test_short_truncated_utf8_file_is_cleaned(work):
    """BUG-1 (fixed in 351976a): was rejected as 'internal error: AttributeError'."""
    (work / "short.txt").write_bytes("同志们:今天开会。".encode("utf-8") + "国".encode("utf-8")[:2])
    res = cli("short.txt", "-o", "out", "-j", "1", cwd=work)
    assert res.returncode == 0, res.stderr[-1000:]
    assert_good_cleaned(work / "out", "short.txt")


def test_stdout_mode_reports_errors_like_file_mode(work):
    """BUG-8 (fixed in 351976a): -o - wrote 'PATH: reason' without the documented 'error: '."""
    res = cli("good/a.txt", "missing.txt", "-o", "-", "-j", "1", cwd=work)
    assert res.returncode == 1
    assert error_lines(res.stderr) == {"missing.txt": "no such file or directory"}
    assert any(json.loads(l)["source"] == "good/a.txt" for l in res.stdout.splitlines())


def test_stdout_mode_keeps_good_records(work):
    res = cli("good/a.txt", "missing.txt", "good/b.txt", "-o", "-", "-j", "1", cwd=work)
    assert res.returncode == 1
    assert "Traceback" not in res.stderr and "missing.txt" in res.stderr
    sources = {json.loads(l)["source"] for l in res.stdout.splitlines()}
    assert sources == {"good/a.txt", "good/b.txt"}


# -- a full disk ------------------------------------------------------------------------------

FULL_DISK_RUNNER = textwrap.dedent("""
    import errno, os, sys
    budget, target = int(sys.argv[1]), sys.argv[2]
    real_fdopen = os.fdopen

    class Full:
        '''A file on a disk that fills up after `budget` bytes: the write that crosses it writes
        what fits, then fails with ENOSPC, as write(2) does.'''
        def __init__(self, fh):
            self.fh, self.n = fh, 0
        def write(self, s):
            b = len(s.encode("utf-8"))
            if self.n + b > budget:
                k = max(0, budget - self.n)
                self.fh.write(s.encode("utf-8")[:k].decode("utf-8", "ignore"))
                self.fh.flush()
                self.n = budget
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            self.n += b
            return self.fh.write(s)
        def __getattr__(self, name):
            return getattr(self.fh, name)
        def __enter__(self):
            return self
        def __exit__(self, *exc):
            return self.fh.__exit__(*exc)

    def fdopen(fd, *a, **k):
        fh = real_fdopen(fd, *a, **k)
        name = os.readlink(f"/proc/self/fd/{fd}")
        return Full(fh) if target in os.path.basename(name) else fh

    os.fdopen = fdopen
    from cleaner.cli import app
    app(prog_name="cleaner", args=sys.argv[3:])
""")


def full_disk_cli(budget: int, target: str, *args, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", FULL_DISK_RUNNER, str(budget), target, "clean", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd, timeout=300)


needs_proc = pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="needs /proc to name the file being written")


def _complete_jsonl(path: Path) -> list[dict]:
    text = path.read_text(encoding="utf-8")
    assert text.endswith("\n") or text == "", f"{path} does not end with a newline"
    return [json.loads(line) for line in text.splitlines()]


def _leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if p.name.endswith(".tmp"))


@needs_proc
def test_full_disk_while_writing_final_file_keeps_previous_version(work):
    """A second run into the same folder fills the disk while writing speeches.jsonl: the previous,
    complete speeches.jsonl stays as it was, and no temporary file is left."""
    first = cli("good/a.txt", "-o", "out", "-j", "1", cwd=work)
    assert first.returncode == 0, first.stderr[-2000:]
    before = (work / "out" / "speeches.jsonl").read_bytes()
    res = full_disk_cli(2000, "speeches.jsonl", "good", "-o", "out", "-j", "1", cwd=work)
    assert res.returncode != 0, "a run that could not write its output reported success"
    assert "No space left on device" in res.stderr, res.stderr[-2000:]
    assert (work / "out" / "speeches.jsonl").read_bytes() == before, "speeches.jsonl was replaced by a partial file"
    assert _leftovers(work / "out") == []
    # the disk has room again: the same command finishes the job
    again = cli("good", "-o", "out", "-j", "1", cwd=work)
    assert again.returncode == 0, again.stderr[-2000:]
    assert {r["source"] for r in _complete_jsonl(work / "out" / "speeches.jsonl")} == {"good/a.txt", "good/b.txt"}


@needs_proc
def test_full_disk_while_writing_parts_leaves_no_final_file(work):
    """The disk fills while the first chunk's part is written: no final file appears at all, no
    partial part is taken for a finished one, and a later run produces the complete output."""
    res = full_disk_cli(5000, "part-", "good", "-o", "out", "-j", "1", cwd=work)
    assert res.returncode != 0
    assert "No space left on device" in res.stderr, res.stderr[-2000:]
    out = work / "out"
    assert not (out / "speeches.jsonl").exists()
    for part in (out / ".work").glob("part-*.jsonl"):   # only complete parts may exist
        recs = _complete_jsonl(part)
        assert recs and recs[-1]["kind"] == "done"
    assert _leftovers(out) == [] and _leftovers(out / ".work") == []
    again = cli("good", "-o", "out", "-j", "1", cwd=work)
    assert again.returncode == 0, again.stderr[-2000:]
    ref = cli("good", "-o", "ref", "-j", "1", cwd=work)
    assert ref.returncode == 0, ref.stderr[-2000:]
    assert (out / "speeches.jsonl").read_bytes() == (work / "ref" / "speeches.jsonl").read_bytes()


@needs_proc
def test_full_disk_is_reported_in_one_line(work):
    """BUG-9 (fixed in 351976a): a full disk ended the run with a rich traceback."""
    res = full_disk_cli(2000, "speeches.jsonl", "good", "-o", "out", "-j", "1", cwd=work)
    assert res.returncode != 0
    assert "Traceback" not in res.stderr, res.stderr[-1500:]
    assert re.search(r"^error: .*No space left on device", res.stderr, re.M), res.stderr[-1500:]


# -- the atomic write itself ------------------------------------------------------------------

def test_write_atomic_interrupted_keeps_previous_version(tmp_path):
    from cleaner.io import write_atomic
    target = tmp_path / "speeches.jsonl"
    write_atomic(target, ["old 1\n", "old 2\n"])

    def lines():
        yield "new 1\n"
        raise KeyboardInterrupt          # Ctrl-C half-way
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, lines())
    assert target.read_text() == "old 1\nold 2\n"
    assert _leftovers(tmp_path) == []


KILLED_WRITER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from cleaner.io import write_atomic
    def lines():
        for i in range(10**6):
            if i == 1000:
                print("writing", flush=True)
                time.sleep(60)
            yield f"{{\\"n\\": {i}}}\\n"
    write_atomic(Path(sys.argv[1]), lines())
""")


@pytest.mark.parametrize("previous", [True, False], ids=["over-previous", "fresh"])
def test_write_atomic_killed_leaves_no_truncated_file(tmp_path, previous):
    """SIGKILL in the middle of a write: the final name holds the previous complete file (or
    nothing); what is left behind is a hidden *.tmp file no reader takes for output."""
    target = tmp_path / "speeches.jsonl"
    if previous:
        target.write_text('{"n": "previous"}\n')
    proc = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(target)], stdout=subprocess.PIPE,
                            text=True, cwd=ROOT)
    try:
        assert proc.stdout.readline().strip() == "writing"
        time.sleep(0.2)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    if previous:
        assert target.read_text() == '{"n": "previous"}\n'
    else:
        assert not target.exists()
    left = [p for p in tmp_path.iterdir() if p != target]
    assert all(p.name.startswith(".speeches.jsonl.") and p.name.endswith(".tmp") for p in left), left
