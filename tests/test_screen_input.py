"""Bad input gets a clear message, never a crash and never a silent empty result."""

from __future__ import annotations

import pytest

from clearance.app import Clearance
from clearance.errors import InputError
from clearance.index.types import Query

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "empty"),
        ("   \t\n", "empty"),
        ("\x00\x01\x1f", "empty"),
        ("x" * 10_000, "10000 characters"),
        ("!!! ---", "no letters or digits"),
    ],
)
def test_bad_names_raise_input_error(bundled_app: Clearance, name: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        bundled_app.screen(name)


@pytest.mark.parametrize("threshold", [-0.1, 1.5])
def test_bad_threshold(bundled_app: Clearance, threshold: float) -> None:
    with pytest.raises(InputError, match="threshold"):
        bundled_app.screen(Query("Huawei", threshold=threshold))


def test_control_characters_inside_a_name_are_ignored(bundled_app: Clearance) -> None:
    for name in ("Hik\u200bvision", "Hik\x07vision", "\ufeffHikvision\r\n"):
        results = bundled_app.screen(name)
        assert results and "hikvision" in results[0].entry.name.casefold(), name


def test_mixed_scripts(bundled_app: Clearance) -> None:
    results = bundled_app.screen("华为 Technologies Co., Ltd.")
    assert results and results[0].score > 0.9
    assert results[0].explanation["transliteration"]["query_scripts"] == ["Hani"]


def test_non_text_name(bundled_app: Clearance) -> None:
    with pytest.raises(InputError, match="text"):
        bundled_app.screen(Query(name=12345))  # type: ignore[arg-type]
