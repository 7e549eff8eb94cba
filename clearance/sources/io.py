"""Reading publishers' files safely: decompression, strict decoding, located errors.

Every reader here streams (nothing holds a whole list in memory) and turns low-level
failures into a :class:`~clearance.errors.ParseError` naming the file, the line and
the problem: an empty file, a truncated gzip/xz stream, a byte that is not UTF-8.
Compression is detected from magic bytes, not file names, so ``--file`` works on a
renamed download.
"""

from __future__ import annotations

import gzip
import io
import lzma
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from clearance.errors import ParseError

_GZIP = b"\x1f\x8b"
_XZ = b"\xfd7zXZ\x00"
_ZIP = b"PK\x03\x04"
_DECOMPRESS_ERRORS = (EOFError, OSError, lzma.LZMAError, zipfile.BadZipFile, gzip.BadGzipFile)


def detect_compression(path: Path) -> str | None:
    with open(path, "rb") as f:
        head = f.read(6)
    if head.startswith(_GZIP):
        return "gzip"
    if head.startswith(_XZ):
        return "xz"
    if head.startswith(_ZIP):
        return "zip"
    return None


@contextmanager
def open_binary(path: Path, member: str | None = None) -> Iterator[BinaryIO]:
    """Open ``path`` for binary reading, transparently decompressing gzip, xz or zip.

    For a zip, ``member`` picks the entry (default: the only / first non-directory one).
    Raises ParseError for a missing or empty file.
    """
    path = Path(path)
    if not path.is_file():
        raise ParseError(str(path), None, "file not found")
    if path.stat().st_size == 0:
        raise ParseError(str(path), None, "file is empty")
    kind = detect_compression(path)
    if kind == "gzip":
        with gzip.open(path, "rb") as f:
            yield f  # type: ignore[misc]
    elif kind == "xz":
        with lzma.open(path, "rb") as f:
            yield f  # type: ignore[misc]
    elif kind == "zip":
        try:
            zf = zipfile.ZipFile(path)
        except zipfile.BadZipFile as exc:
            raise ParseError(str(path), None, f"corrupt zip archive ({exc})") from exc
        with zf:
            names = [n for n in zf.namelist() if not n.endswith("/")]
            if not names:
                raise ParseError(str(path), None, "zip archive holds no file")
            pick = member if member is not None else names[0]
            if pick not in names:
                raise ParseError(str(path), None, f"zip archive has no member {pick!r}")
            with zf.open(pick) as f:
                yield f  # type: ignore[misc]
    else:
        with open(path, "rb") as f:
            yield f


def iter_lines(path: Path, *, encoding: str = "utf-8", strip_eof_marker: bool = True) -> Iterator[str]:
    """Yield decoded lines (newline kept, as :mod:`csv` wants them), streaming.

    - a UTF-8 BOM on the first line is dropped;
    - a trailing DOS end-of-file byte (0x1A, as in OFAC's legacy CSVs) is dropped;
    - an undecodable byte raises ParseError naming the line and column;
    - a truncated or corrupt compressed stream raises ParseError naming the line reached;
    - a file that decompresses to nothing raises ParseError("file is empty").
    """
    lineno = 0
    with open_binary(path) as f:
        try:
            for raw in f:
                lineno += 1
                if lineno == 1 and raw.startswith(b"\xef\xbb\xbf"):
                    raw = raw[3:]
                if strip_eof_marker and raw.endswith(b"\x1a"):
                    raw = raw.rstrip(b"\x1a")
                    if not raw:
                        continue
                try:
                    yield raw.decode(encoding)
                except UnicodeDecodeError as exc:
                    bad = raw[exc.start : exc.start + 1].hex()
                    raise ParseError(
                        str(path), lineno, f"byte 0x{bad} at column {exc.start + 1} is not valid {encoding}"
                    ) from None
        except _DECOMPRESS_ERRORS as exc:
            raise ParseError(
                str(path), lineno + 1, f"compressed stream is truncated or corrupt ({exc.__class__.__name__}: {exc})"
            ) from None
    if lineno == 0:
        raise ParseError(str(path), None, "file is empty")


def read_bytes_limited(path: Path, limit: int = 512 * 1024 * 1024) -> bytes:
    """Read a (decompressed) file whole, refusing more than ``limit`` bytes.

    For formats that cannot be streamed (xlsx). Streams everything else.
    """
    buf = io.BytesIO()
    with open_binary(path) as f:
        try:
            while chunk := f.read(1 << 20):
                buf.write(chunk)
                if buf.tell() > limit:
                    raise ParseError(str(path), None, f"file is larger than {limit} bytes once decompressed")
        except _DECOMPRESS_ERRORS as exc:
            raise ParseError(str(path), None, f"compressed stream is truncated or corrupt ({exc})") from None
    return buf.getvalue()
