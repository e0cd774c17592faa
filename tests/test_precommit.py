"""The pre-commit hooks (.pre-commit-hooks.yaml) run by the real `pre-commit` tool.

`pre-commit try-repo PATH` clones PATH at its HEAD; when PATH has uncommitted changes it makes a
shadow commit of the *tracked* files it changed (staged or not), but untracked files are left
out. So the test never points it at the working tree: it copies the project's files (tracked and
untracked, minus what .gitignore ignores) into a temporary git repository, commits them there, and
tries that. pre-commit then builds a virtualenv and pip-installs the project from it (the
dependencies come from the package index), which is the slow part: two runs take about a minute.
"""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .helpers import FIXTURES, ROOT

pytestmark = pytest.mark.slow

COMPILATION = FIXTURES / "seeds" / "000_3c868d3ef72c328c.txt"   # five speeches
SINGLE = FIXTURES / "seeds" / "004_afa1f4f367c7ea41.txt"        # one speech
NO_NETWORK = ("NewConnectionError", "Temporary failure in name resolution", "Network is unreachable",
              "No matching distribution found", "Could not find a version that satisfies")


def pre_commit() -> str:
    exe = Path(sys.executable).with_name("pre-commit")
    found = str(exe) if exe.exists() else shutil.which("pre-commit")
    if not found or not shutil.which("git"):
        pytest.skip("needs pre-commit (the dev extra) and git")
    return found


def git(*args, cwd):
    subprocess.run(["git", "-c", "user.name=test", "-c", "user.email=test@example.org",
                    "-c", "commit.gpgsign=false", *args], cwd=cwd, check=True, capture_output=True)


def project_copy(dest: Path) -> Path:
    """The project as it would be committed now, committed in a throwaway repository."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=ROOT, check=True, capture_output=True).stdout.decode().split("\0")
    for rel in filter(None, listed):
        src = ROOT / rel
        if src.is_file() and not src.is_symlink():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dest / rel)
    assert (dest / ".pre-commit-hooks.yaml").exists()
    git("init", "-q", cwd=dest)
    git("add", "-A", cwd=dest)
    git("commit", "-q", "-m", "snapshot", cwd=dest)
    return dest


def try_repo(repo: Path, files: list[str], cwd: Path, home: Path) -> tuple[int, str]:
    env = dict(os.environ, PRE_COMMIT_HOME=str(home), PRE_COMMIT_COLOR="never")
    env.pop("VIRTUAL_ENV", None)
    res = subprocess.run([pre_commit(), "try-repo", str(repo), "--files", *files], cwd=cwd, env=env,
                         capture_output=True, timeout=900)
    out = res.stdout.decode(errors="replace") + res.stderr.decode(errors="replace")
    log = home / "pre-commit.log"
    if res.returncode not in (0, 1) or "An unexpected error has occurred" in out:
        detail = out + (log.read_text(errors="replace") if log.exists() else "")
        if any(s in detail for s in NO_NETWORK):
            pytest.skip("pre-commit could not install the hook's environment (no package index?)")
        pytest.fail(f"pre-commit failed (exit {res.returncode}):\n{detail[-4000:]}")
    return res.returncode, out


def snapshot(folder: Path) -> dict:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and ".git" not in p.parts}


def test_hooks_check_then_fix_then_pass(tmp_path):
    pre_commit()
    repo = project_copy(tmp_path / "cleaner")
    use = tmp_path / "use"
    (use / "speeches").mkdir(parents=True)
    shutil.copyfile(COMPILATION, use / "speeches" / "page.txt")
    (use / "speeches" / "gbk.txt").write_bytes(SINGLE.read_text(encoding="utf-8").encode("gb18030"))
    clean = "在全区工作会议上的讲话\n同志们:\n今天我们召开这次会议,主要任务是总结去年的工作,部署今年的任务。\n"
    (use / "speeches" / "clean.txt").write_text(clean, encoding="utf-8")
    (use / "notes.md").write_text("not a speech: the hooks only take .txt files\n", encoding="utf-8")
    git("init", "-q", cwd=use)
    git("add", "-A", cwd=use)
    git("commit", "-q", "-m", "pages", cwd=use)
    files = ["speeches/page.txt", "speeches/gbk.txt", "speeches/clean.txt", "notes.md"]

    code, out = try_repo(repo, files, use, tmp_path / "home1")
    assert code == 1, out
    assert "E-INTERNAL" not in out and "E-DECODE" not in out, out[-3000:]
    assert "speeches/page.txt:1:1: " in out and "format.split" in out
    assert "speeches/gbk.txt:1:1: format.encoding " in out
    assert "speeches/clean.txt" not in out.split("split speeches/page.txt")[0]   # check: nothing on it
    assert "split speeches/page.txt -> speeches/page.0.txt, " in out
    assert "fixed speeches/gbk.txt (" in out
    names = sorted(p.name for p in (use / "speeches").iterdir())
    assert names == ["clean.txt", "gbk.txt"] + [f"page.{i}.txt" for i in range(5)]
    assert (use / "speeches" / "clean.txt").read_text(encoding="utf-8") == clean
    (use / "speeches" / "gbk.txt").read_bytes().decode("utf-8")
    assert (use / "notes.md").read_text(encoding="utf-8").startswith("not a speech")

    git("add", "-A", cwd=use)
    before = snapshot(use)
    files = ["notes.md"] + [f"speeches/{n}" for n in names]
    code, out = try_repo(repo, files, use, tmp_path / "home2")
    assert code == 0, out[-3000:]
    assert out.count("Passed") == 2, out[-3000:]
    assert snapshot(use) == before
