"""The web page end to end in real headless Chromium (Debian's ``chromium``, driven by
Playwright): search, license check, batch upload and lists, by keyboard where a person
would type. Screenshots go to ``test-artifacts/``.

Chromium comes from ``scripts/test-setup`` (``make test`` runs it). When it is missing
these tests fail with a message saying so; they are never skipped silently.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from api_support import KIM_JONG_UN, LiveServer, make_client, seed_sdn_update

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]


def chromium_path() -> str:
    path = os.environ.get("CLEARANCE_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.fail("Chromium not found: run `bash scripts/test-setup` (installs Debian's chromium and "
                    "chromium-driver), or set CLEARANCE_CHROMIUM to a Chromium binary", pytrace=False)
    return path


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    client, admin, reader = make_client(tmp_path_factory.mktemp("web") / "c.sqlite", threshold=0.5)
    # a second, real ofac_sdn version: OFAC delisted NAVIERA MARITIMA DE AROSA and amended KIM, Jong Un
    seed_sdn_update(client.app.state.ctx.clearance)
    with LiveServer(client.app) as server:
        yield server.url, reader["Authorization"].split()[1]
    client.__exit__(None, None, None)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("the playwright package is missing: pip install -e '.[test]'", pytrace=False)
    executable = chromium_path()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any, site: tuple[str, str], request: pytest.FixtureRequest) -> Iterator[Any]:
    url, key = site
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(url + "/")
    page.fill("#api-key", key)
    page.keyboard.press("Enter")
    page.wait_for_selector("#key-state:has-text('key set')")
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


def test_page_has_no_external_resources(site: tuple[str, str]) -> None:
    import httpx

    html = httpx.get(site[0] + "/").text
    assert "http://" not in html and "https://" not in html
    for asset in ("/static/app.js", "/static/style.css"):
        text = httpx.get(site[0] + asset).text
        assert "http://" not in text and "https://" not in text


def test_search_by_keyboard_shows_alias_and_explanation(page: Any) -> None:
    page.focus("#q")
    page.keyboard.type("Kim Jong Un")
    page.keyboard.press("Enter")
    row = page.locator("#search-results tbody tr").first
    row.wait_for()
    assert "SDN" in row.inner_text()
    assert page.locator("#search-results td.alias").first.inner_text().strip()
    page.locator("#search-results details summary").first.click()
    assert page.locator("#search-results details dl dt").count() >= 1
    assert "possible match" in page.inner_text("#search-summary")


def test_tabs_move_with_arrow_keys(page: Any) -> None:
    page.focus("#tab-search")
    page.keyboard.press("ArrowRight")
    assert page.get_attribute("#tab-check", "aria-selected") == "true"
    assert page.is_visible("#panel-check") and not page.is_visible("#panel-search")
    page.keyboard.press("End")
    assert page.get_attribute("#tab-lists", "aria-selected") == "true"
    page.locator("#lists-table tbody tr").first.wait_for()


def test_license_check_shows_reasons_and_citations(page: Any) -> None:
    page.click("#tab-check")
    page.fill("#party", "Huawei Technologies Co., Ltd.")
    page.select_option("#purpose", "standards")
    page.fill("#date", "2024-09-01")
    page.click("#check-form button[type=submit]")
    page.wait_for_selector("#check-status")
    assert "NOT_SUBJECT_TO_EAR" in page.inner_text("#check-status"), page.inner_text("#panel-check")
    assert page.locator("#check-reasons li .citation").count() >= 1


def test_check_bad_item_shows_the_message(page: Any) -> None:
    page.click("#tab-check")
    page.fill("#party", "Huawei Technologies Co., Ltd.")
    page.fill("#item", "not-an-eccn")
    page.click("#check-form button[type=submit]")
    page.wait_for_selector("#error:not([hidden])")
    assert "item" in page.inner_text("#error").lower()


def test_batch_upload_progress_and_results(page: Any, tmp_path: Path) -> None:
    rows = ["id,name,country"] + [f"{i},{'Kim Jong Un' if i % 40 == 0 else f'Company {i} Ltd'},KP" for i in range(400)]
    rows.insert(100, '99x,"broken,KP')
    upload = tmp_path / "customers.csv"
    upload.write_text("\n".join(rows) + "\n", encoding="utf-8")
    page.click("#tab-batch")
    page.set_input_files("#file", str(upload))
    page.evaluate("""() => { window.progressSeen = [];
        new MutationObserver(() => window.progressSeen.push(document.querySelector('#batch-text').textContent))
          .observe(document.querySelector('#batch-text'), {childList: true, characterData: true, subtree: true}); }""")
    page.click("#batch-form button[type=submit]")
    page.wait_for_selector("#batch-status:not([hidden])")
    page.wait_for_selector("#batch-results:not([hidden])")
    assert page.evaluate("document.querySelector('#batch-progress').value") == 1
    text = page.inner_text("#batch-text")
    assert text.startswith("done") and "401 of 401" in text
    seen = page.evaluate("window.progressSeen")
    assert any(t.startswith(("queued", "running")) for t in seen) and seen[-1].startswith("done")  # it moved live
    assert page.locator("#batch-results tbody tr.row-error").count() == 1
    assert KIM_JONG_UN.removeprefix("sdn-") not in page.inner_text("#batch-results")  # entry ids stay out; names show
    assert "KIM, Jong Un" in page.inner_text("#batch-results")
    with page.expect_download() as info:
        page.click("#batch-links a[data-format=csv]")
    assert info.value.suggested_filename.endswith(".csv")


def test_lists_versions(page: Any) -> None:
    page.click("#tab-lists")
    page.locator("#lists-table tbody tr").first.wait_for()
    assert "ofac_sdn" in page.inner_text("#lists-table")
    page.click("button[aria-label='Versions of ofac_sdn']")
    page.wait_for_selector("#versions li")
    assert "serving" in page.inner_text("#versions")
    page.locator("#versions button:has-text('What changed')").first.press("Enter")  # keyboard
    page.wait_for_selector("#diff h4")
    assert "0 added, 1 removed, 1 changed" in page.inner_text("#diff h4")
    assert "NAVIERA MARITIMA DE AROSA, S.A." in page.inner_text("#diff")
