"""Batch screening over HTTP: ``POST /screenings`` uploads a CSV or JSON Lines file and
returns a job; ``GET /screenings/{id}`` reports progress; ``.../results`` downloads the
results as CSV (formulas neutralized) or JSONL; ``.../rows`` pages through them as JSON.

The upload is streamed to a file next to the store while its bytes and lines are
counted, so an upload over ``max_upload_bytes`` is cut off by the body-limit middleware
and one over ``max_batch_rows`` is refused, both without holding the file in memory.
Send the file as the raw body (``Content-Type: text/csv`` or ``application/x-ndjson``)
or as multipart field ``file``. A reader sees only the jobs its own key started (an
admin sees every job): batch files are customer data.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import StreamingResponse

from clearance.api.batch_io import check_header, csv_chunks, jsonl_chunks
from clearance.api.security import Caller, reader
from clearance.errors import InputError, NotFoundError

router = APIRouter(prefix="/screenings", tags=["batch screening"])
UPLOAD_DOC: dict[str, Any] = {"requestBody": {"required": True, "content": {
    "text/csv": {"schema": {"type": "string"}, "example": "id,name,country\n1,Huawei Technologies Co. Ltd.,CN\n"},
    "application/x-ndjson": {"schema": {"type": "string"}},
    "multipart/form-data": {"schema": {"type": "object", "properties": {"file": {"type": "string",
                                                                                  "format": "binary"}}}},
}}}


def detect_format(fmt: str | None, filename: str, content_type: str, head: bytes) -> str:
    if fmt:
        return fmt
    lower = filename.lower()
    if lower.endswith((".jsonl", ".ndjson", ".json")) or "ndjson" in content_type or "jsonl" in content_type:
        return "jsonl"
    if lower.endswith(".csv") or "csv" in content_type:
        return "csv"
    return "jsonl" if head.lstrip().startswith(b"{") else "csv"


async def save_upload(request: Request, path: Path, max_rows: int) -> tuple[str, str, int]:
    """Stream the upload to ``path``; return (filename, content type, line count)."""
    content_type = request.headers.get("content-type", "")
    lines = 0
    last = b"\n"
    filename = "upload"
    with open(path, "wb") as out:
        if content_type.startswith("multipart/form-data"):
            form = await request.form(max_files=1, max_fields=10)
            upload = form.get("file")
            if upload is None or isinstance(upload, str):
                raise InputError("multipart upload needs a file field named 'file'", field="file")
            filename = upload.filename or filename
            content_type = upload.content_type or ""
            while chunk := await upload.read(1 << 20):
                out.write(chunk)
                lines += chunk.count(b"\n")
                last = chunk[-1:]
                if lines > max_rows + 1:
                    break
            await form.close()
        else:
            async for chunk in request.stream():
                if not chunk:
                    continue
                out.write(chunk)
                lines += chunk.count(b"\n")
                last = chunk[-1:]
                if lines > max_rows + 1:
                    break
    return filename, content_type, lines + (0 if last == b"\n" else 1)


@router.post("", status_code=202, openapi_extra=UPLOAD_DOC, summary="Start a batch screening job")
async def create_job(
    request: Request,
    format: Literal["csv", "jsonl"] | None = Query(None, description="Input format (default: from the file)"),
    name_column: str | None = Query(None, max_length=100, description="Column (CSV) or key (JSONL) with the name"),
    id_column: str | None = Query(None, max_length=100, description="Column or key with your row id"),
    threshold: float | None = Query(None, ge=0, le=1),
    limit: int | None = Query(None, ge=1, le=100, description="Results per row"),
    lists: list[str] = Query([], description="Restrict to these list codes"),
    caller: Caller = Depends(reader),
) -> dict[str, Any]:
    """Upload rows (CSV with a header naming a `name` column, or JSON Lines with a `name` key); returns the job."""
    ctx = request.app.state.ctx
    jobs = ctx.jobs
    job_id = jobs.new_id()
    tmp = jobs.input_path(job_id, "upload")
    max_rows = ctx.settings.max_batch_rows
    try:
        filename, content_type, lines = await save_upload(request, tmp, max_rows)
        with open(tmp, "rb") as f:
            head = f.read(64)
        if not head.strip():
            raise InputError("the upload is empty", field="file")
        fmt = detect_format(format, filename, content_type, head)
        rows = lines - 1 if fmt == "csv" else lines
        if rows > max_rows:
            raise InputError(f"too many rows: more than the limit of {max_rows}", limit=max_rows)
        check_header(tmp, fmt, name_column)
        path = jobs.input_path(job_id, fmt)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    options = {"name_column": name_column, "id_column": id_column, "threshold": threshold, "limit": limit,
               "lists": lists or None}
    job = jobs.create(job_id, fmt, filename, path, options, caller.key.key_id if caller.key else None, rows)
    return with_links(job)


def visible_job(request: Request, job_id: str, caller: Caller) -> dict[str, Any]:
    """The job, if the caller may see it: its own jobs, or any job for an admin (others: 404)."""
    job: dict[str, Any] = request.app.state.ctx.jobs.get(job_id)
    if not may_see(job, caller):
        raise NotFoundError(f"no screening job {job_id!r}", job_id=job_id)
    return job


def may_see(job: dict[str, Any], caller: Caller) -> bool:
    if caller.key is not None and caller.key.role == "admin":
        return True
    return bool(job["owner"] == (caller.key.key_id if caller.key else None))


def with_links(job: dict[str, Any]) -> dict[str, Any]:
    base = f"/screenings/{job['job_id']}"
    return {**job, "links": {"self": base, "rows": f"{base}/rows", "csv": f"{base}/results?format=csv",
                             "jsonl": f"{base}/results?format=jsonl"}}


@router.get("", summary="Recent batch jobs")
def list_jobs(request: Request, caller: Caller = Depends(reader)) -> dict[str, Any]:
    return {"jobs": [with_links(j) for j in request.app.state.ctx.jobs.recent() if may_see(j, caller)]}


@router.get("/{job_id}", summary="Progress of a batch job")
def get_job(request: Request, job_id: str, caller: Caller = Depends(reader)) -> dict[str, Any]:
    return with_links(visible_job(request, job_id, caller))


@router.get("/{job_id}/rows", summary="Results so far, as JSON, a page at a time")
def job_rows(request: Request, job_id: str, offset: int = Query(0, ge=0), limit: int = Query(100, ge=1, le=1000),
             caller: Caller = Depends(reader)) -> dict[str, Any]:
    jobs = request.app.state.ctx.jobs
    job = visible_job(request, job_id, caller)
    return {"job": with_links(job), "offset": offset, "limit": limit, "rows": jobs.results(job_id, offset, limit)}


@router.get("/{job_id}/results", summary="Download results as CSV or JSONL",
            responses={200: {"content": {"text/csv": {}, "application/x-ndjson": {}}}})
def job_results(request: Request, job_id: str, format: Literal["csv", "jsonl"] = Query("csv"),
                caller: Caller = Depends(reader)) -> StreamingResponse:
    """One row per (input row, result); rows without a match have rank 0; unreadable rows carry `error`."""
    jobs = request.app.state.ctx.jobs
    job = visible_job(request, job_id, caller)
    records = jobs.iter_results(job_id)
    name = f"screening-{job_id}.{format}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"', "X-Job-Status": job["status"]}
    if format == "csv":
        return StreamingResponse(csv_chunks(records), media_type="text/csv; charset=utf-8", headers=headers)
    return StreamingResponse(jsonl_chunks(records), media_type="application/x-ndjson", headers=headers)
