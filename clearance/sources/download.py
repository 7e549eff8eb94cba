"""Fetch list files from their publishers: streaming, timeouts, retries, checksums.

Each source spec names its official URL per file role. A download streams to a
temporary file next to the store (never into memory), records the SHA-256 and the
byte count, retries transient failures (connection errors, 5xx, 429) with exponential
back-off, and refuses an empty body. Nothing is imported here: the caller hands the
files to the all-or-nothing importer, so a failed or partial download never touches
the serving version.
"""

from __future__ import annotations

import hashlib
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from clearance import __name__ as _pkg
from clearance.errors import DownloadError

USER_AGENT = f"{_pkg}/0.1 (+https://github.com/clearance-dev/clearance)"
RETRY_STATUS = {429, 500, 502, 503, 504}


@dataclass(frozen=True)
class Downloaded:
    url: str
    path: Path
    sha256: str
    size: int


def download(url: str, dest_dir: Path, *, timeout: float = 60.0, retries: int = 3, backoff: float = 1.0) -> Downloaded:
    """Download ``url`` into a new file under ``dest_dir``; raise DownloadError after ``retries`` retries."""
    dest_dir.mkdir(parents=True, exist_ok=True)
    last: str = ""
    for attempt in range(retries + 1):
        if attempt:
            time.sleep(backoff * 2 ** (attempt - 1))
        fd, tmp = tempfile.mkstemp(dir=dest_dir, prefix="download-", suffix=".part")
        path = Path(tmp)
        try:
            h, size = hashlib.sha256(), 0
            with open(fd, "wb") as out, httpx.stream(
                "GET", url, timeout=timeout, follow_redirects=True, headers={"User-Agent": USER_AGENT}
            ) as resp:
                if resp.status_code in RETRY_STATUS:
                    last = f"HTTP {resp.status_code}"
                    path.unlink(missing_ok=True)
                    continue
                if resp.status_code != 200:
                    path.unlink(missing_ok=True)
                    raise DownloadError(f"{url}: HTTP {resp.status_code}", url=url, status=resp.status_code)
                for chunk in resp.iter_bytes(1 << 16):
                    out.write(chunk)
                    h.update(chunk)
                    size += len(chunk)
                expected = resp.headers.get("content-length")
                if expected is not None and int(expected) != size and not resp.headers.get("content-encoding"):
                    last = f"truncated body ({size} of {expected} bytes)"
                    path.unlink(missing_ok=True)
                    continue
            if size == 0:
                path.unlink(missing_ok=True)
                raise DownloadError(f"{url}: empty response body", url=url)
            done = path.with_suffix("")  # complete: drop ".part"
            path.rename(done)
            return Downloaded(url=url, path=done, sha256=h.hexdigest(), size=size)
        except httpx.HTTPError as exc:
            path.unlink(missing_ok=True)
            last = f"{exc.__class__.__name__}: {exc}"
        except BaseException:
            path.unlink(missing_ok=True)
            raise
    raise DownloadError(f"{url}: failed after {retries + 1} attempts ({last})", url=url)
