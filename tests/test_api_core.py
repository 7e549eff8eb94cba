"""The API's own endpoints, security and error shape, against the real app on a seeded store.

The error shape is pinned here: every error body is exactly
``{"error": {"code", "message", ...}, "detail"}`` and never carries a stack trace or a
file path.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from api_support import KIM_JONG_UN, NAVIERA, make_client, seed_sdn_update


@pytest.fixture
def api(tmp_path: Path) -> Iterator[tuple[Any, dict[str, str], dict[str, str]]]:
    client, admin, reader = make_client(tmp_path / "c.sqlite")
    yield client, admin, reader
    client.__exit__(None, None, None)


def assert_error(resp: Any, status: int, code: str | None = None) -> dict[str, Any]:
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert set(body) == {"error", "detail"}, body
    assert isinstance(body["error"]["code"], str) and isinstance(body["error"]["message"], str)
    assert body["detail"] == body["error"]["message"]
    assert "Traceback" not in resp.text and "/work/" not in resp.text and ".py" not in resp.text
    if code:
        assert body["error"]["code"] == code, body
    return body  # type: ignore[no-any-return]


def test_health_needs_no_key(api: Any) -> None:
    client, _, _ = api
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json() == {"status": "ok"}


def test_openapi_published(api: Any) -> None:
    client, _, _ = api
    spec = client.get("/openapi.json").json()
    for path in ("/match/{dataset}", "/search/{dataset}", "/entities/{entity_id}", "/catalog", "/check",
                 "/screenings", "/lists", "/lists/{source}/versions", "/lists/{source}/diff", "/healthz", "/readyz"):
        assert path in spec["paths"], path


@pytest.mark.parametrize("headers", [{}, {"Authorization": "ApiKey clr_nope_nope"}, {"Authorization": "garbage"}])
def test_missing_or_unknown_key_is_401(api: Any, headers: dict[str, str]) -> None:
    client, _, _ = api
    resp = client.get("/lists", headers=headers)
    assert_error(resp, 401, "unauthorized")
    assert resp.headers["www-authenticate"].startswith("ApiKey")


def test_key_ways_of_sending(api: Any) -> None:
    client, _, reader = api
    token = reader["Authorization"].split()[1]
    assert client.get("/lists", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert client.get("/lists", headers={"X-API-Key": token}).status_code == 200
    assert client.get(f"/lists?api_key={token}").status_code == 200


def test_reader_cannot_manage_keys_admin_can_and_revocation_is_immediate(api: Any) -> None:
    client, admin, reader = api
    assert_error(client.get("/keys", headers=reader), 403, "forbidden")
    created = client.post("/keys", json={"role": "reader", "name": "ci"}, headers=admin)
    assert created.status_code == 201
    new = {"Authorization": f"ApiKey {created.json()['key']}"}
    assert client.get("/lists", headers=new).status_code == 200
    listed = client.get("/keys", headers=admin).json()["keys"]
    assert all("secret" not in k and "key" not in k for k in listed)
    assert client.delete(f"/keys/{created.json()['key_id']}", headers=admin).json()["revoked_at"]
    assert_error(client.get("/lists", headers=new), 401, "unauthorized")
    assert_error(client.delete("/keys/doesnotexist", headers=admin), 404, "not_found")


def test_open_read_serves_reads_without_key_but_not_admin(tmp_path: Path) -> None:
    client, _, _ = make_client(tmp_path / "c.sqlite", open_read=True)
    try:
        assert client.get("/lists").status_code == 200
        assert_error(client.get("/keys"), 401)
    finally:
        client.__exit__(None, None, None)


def test_bad_input_gets_right_status_and_shape(api: Any) -> None:
    client, _, reader = api
    json_headers = {**reader, "content-type": "application/json"}
    assert_error(client.post("/match/default", content=b'{"queries": {', headers=json_headers), 400, "malformed_json")
    assert_error(client.post("/match/default", json={"queries": "nope"}, headers=reader), 422, "invalid_input")
    assert_error(client.post("/match/default?limit=abc", json={"queries": {}}, headers=reader), 422)
    assert_error(client.post("/match/NOPE", json={"queries": {"a": {"schema": "Person", "properties": {"name": "X"}}}},
                             headers=reader), 404, "not_found")
    assert_error(client.post("/screen", json={"name": 5}, headers=reader), 422, "invalid_input")
    assert_error(client.get("/no/such/route", headers=reader), 404, "not_found")
    assert_error(client.put("/lists", headers=reader), 405, "method_not_allowed")
    assert_error(client.get("/entities/nope", headers=reader), 404, "not_found")
    assert_error(client.get("/lists/nope/versions", headers=reader), 404, "not_found")


def test_unexpected_error_is_500_without_trace(api: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    client, _, reader = api
    clearance = client.app.state.ctx.clearance

    def boom() -> None:
        raise RuntimeError("secret detail at /work/main/clearance/index/screener.py line 3")

    monkeypatch.setattr(clearance, "screener", boom)
    body = assert_error(client.post("/screen", json={"name": "Huawei"}, headers=reader), 500, "internal_error")
    assert "secret" not in str(body) and body["error"]["reference"]
    assert client.get("/healthz").status_code == 200  # still up


def test_body_limit_declared_and_streamed(tmp_path: Path) -> None:
    client, _, reader = make_client(tmp_path / "c.sqlite", max_body_bytes=2048)
    try:
        big = b'{"queries": {"a": {"schema": "Person", "properties": {"name": ["' + b"x" * 5000 + b'"]}}}}'
        assert_error(client.post("/match/default", content=big, headers={**reader, "content-type": "application/json"}),
                     413, "payload_too_large")

        def chunks() -> Iterator[bytes]:
            for _ in range(10):
                yield b" " * 1000

        resp = client.post("/match/default", content=chunks(), headers={**reader, "content-type": "application/json"})
        assert_error(resp, 413, "payload_too_large")
        assert client.get("/healthz").status_code == 200
    finally:
        client.__exit__(None, None, None)


def test_rate_limit_per_key(tmp_path: Path) -> None:
    client, admin, reader = make_client(tmp_path / "c.sqlite", rate_limit_per_minute=20)
    try:
        started = time.monotonic()
        codes = [client.get("/lists", headers=reader).status_code for _ in range(30)]
        refilled = (time.monotonic() - started) * 20 / 60  # tokens that came back during the loop
        assert codes[:20] == [200] * 20 and codes[20:].count(200) <= refilled + 1 and 429 in codes
        resp = client.get("/lists", headers=reader)
        assert_error(resp, 429, "rate_limited")
        assert int(resp.headers["retry-after"]) >= 1
        assert client.get("/lists", headers=admin).status_code == 200  # other keys are served
    finally:
        client.__exit__(None, None, None)


def test_screen_native_shape(api: Any) -> None:
    client, _, reader = api
    body = client.post("/screen", json={"name": "Kim Jong Un", "lists": ["SDN"]}, headers=reader).json()
    assert body["query"]["name"] == "Kim Jong Un"
    top = body["results"][0]
    assert {"entry_id", "list", "name", "matched_name", "score", "explanation"} <= set(top)
    assert top["list"] == "SDN" and top["entry_id"] == KIM_JONG_UN


def test_lists_versions_and_diff(api: Any) -> None:
    client, _, reader = api
    clearance = client.app.state.ctx.clearance
    seed_sdn_update(clearance)  # the same SDN entries as OFAC published them later: one delisted, one amended
    sources = {s["source"]: s for s in client.get("/lists", headers=reader).json()["sources"]}
    assert sources["ofac_sdn"]["current"]["entry_count"] == 3
    versions = client.get("/lists/ofac_sdn/versions", headers=reader).json()["versions"]
    assert [v["current"] for v in versions] == [False, True]
    diff = client.get("/lists/ofac_sdn/diff", headers=reader).json()
    assert diff["summary"] == {"added": 0, "removed": 1, "changed": 1}
    assert diff["changed"][0]["entry_id"] == KIM_JONG_UN
    assert diff["removed"][0]["entry_id"] == NAVIERA
    assert_error(client.get("/lists/csl/diff", headers=reader), 422, "invalid_input")


def test_check_answers_with_status_and_citation(api: Any) -> None:
    client, _, reader = api
    body = {"party": "Huawei Technologies Co., Ltd.", "item": "EAR99", "kind": "technology", "activity": "release",
            "purpose": "standards", "country": "CN", "date": "2024-09-01"}
    resp = client.post("/check", json=body, headers=reader)
    assert resp.status_code == 200, resp.text
    doc = resp.json()
    assert doc["status"] == "NOT_SUBJECT_TO_EAR"  # 89 FR 58265: standards releases, 734.10(b), from 2024-07-18
    assert any("734.10(b)" in r["citation"] for r in doc["reasons"])
    assert isinstance(doc["decision_id"], int)
    assert_error(client.post("/check", json={**body, "item": "5Z999zz"}, headers=reader), 422, "invalid_input")
    assert_error(client.post("/check", json={**body, "date": "1980-01-01"}, headers=reader), 422, "invalid_input")


def test_worker_socket_is_tcp_so_asyncio_disables_nagle() -> None:
    import socket

    from clearance.api.server import bind_tcp

    sock = bind_tcp("127.0.0.1", 0)
    try:
        assert sock.proto == socket.IPPROTO_TCP and sock.get_inheritable()
    finally:
        sock.close()
