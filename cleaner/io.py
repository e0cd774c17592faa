"""Reading inputs and writing outputs: the only module of the package that touches files."""
from __future__ import annotations

import gzip
import json
import zlib
from fnmatch import fnmatch
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

_UMASK = os.umask(0)
os.umask(_UMASK)


class InputError(Exception):
    """An input that cannot be read; the message names the file and the reason."""


@dataclass(frozen=True)
class Item:
    """One page to clean: where it came from and its raw bytes (or text from a JSONL field)."""

    source: str
    data: bytes | None = None
    text: str | None = None
    meta: dict | None = None
    error: str | None = None


def expand_inputs(inputs: list[str], include: Iterable[str] = (),
                  exclude: Iterable[str] = ()) -> Iterator[str | tuple[str, str]]:
    """Files as given, directories walked recursively in sorted order; '-' is stdin.
    Yields paths, or (path, error) for inputs that do not exist or hold nothing readable.
    In a directory, only files whose name matches one of ``include`` (all, when empty) and
    none of ``exclude`` (shell patterns: ``*.txt``) are taken; hidden files never are."""
    include, exclude = tuple(include), tuple(exclude)

    def wanted(name: str) -> bool:
        return (not name.startswith(".") and (not include or any(fnmatch(name, p) for p in include))
                and not any(fnmatch(name, p) for p in exclude))

    for spec in inputs:
        if spec == "-":
            yield spec
            continue
        path = Path(spec)
        if path.is_dir():
            found = False
            for root, dirs, files in os.walk(path):
                dirs.sort()
                for name in sorted(files):
                    if not wanted(name):
                        continue
                    found = True
                    yield os.path.join(root, name)
            if not found:
                yield (spec, "directory holds no files" + (" matching --include/--exclude" if include or exclude else ""))
        elif path.exists():
            yield spec
        else:
            yield (spec, "no such file or directory")


def read_bytes(path: str) -> bytes:
    try:
        if path == "-":
            return sys.stdin.buffer.read()
        if path.endswith(".gz"):
            with gzip.open(path, "rb") as fh:
                return fh.read()
        if path.endswith(".zst"):
            try:
                import zstandard
            except ImportError as exc:
                raise InputError(f"{path}: reading .zst needs the 'zstandard' package (pip install cleaner[zstd])") from exc
            with open(path, "rb") as fh:
                return zstandard.ZstdDecompressor().stream_reader(fh).read()
        with open(path, "rb") as fh:
            return fh.read()
    except InputError:
        raise
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory")
    except PermissionError:
        raise InputError(f"{path}: permission denied")
    except (OSError, EOFError, gzip.BadGzipFile, zlib.error) as exc:
        raise InputError(f"{path}: cannot read ({exc.__class__.__name__}: {exc})")
    except Exception as exc:  # e.g. zstandard.ZstdError: a corrupt archive is a bad input, not a crash
        raise InputError(f"{path}: cannot read ({exc.__class__.__name__}: {exc})")


def write_atomic(path: Path, lines: Iterable[str] | str) -> None:
    """Write to a temporary file in the same folder, fsync, then rename over ``path``: a killed
    run or a full disk never leaves a truncated file that looks complete."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            if isinstance(lines, str):
                fh.write(lines)
            else:
                for line in lines:
                    fh.write(line)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_UMASK)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def dumps(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False, sort_keys=False) + "\n"
