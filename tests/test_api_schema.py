"""Property-based tests of every endpoint against the published OpenAPI schema (schemathesis).

Bounded: a few generated cases per operation, no shrinking, so the module finishes in
well under a minute. Every answer must be a documented, non-5xx response whose body
matches the documented schema, and whose error bodies have the one JSON error shape.
Semantic refusals (a query without a name, an empty batch) are allowed: the schema
cannot express them, so the positive-data and status-code checks are left out.
Derandomized: the same cases every run.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import schemathesis
    from schemathesis.specs.openapi.checks import (
        negative_data_rejection,
        positive_data_acceptance,
        status_code_conformance,
    )

from api_support import make_client

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, dict[str, str]]]:
    client, admin, _ = make_client(tmp_path_factory.mktemp("schema") / "c.sqlite")
    yield client, admin
    client.__exit__(None, None, None)


def check_case(case: Any, auth: dict[str, str]) -> None:
    response = case.call(headers=auth)
    assert response.status_code < 500, (case.method, case.path, response.text)
    if response.status_code >= 400:
        body = response.json()
        assert set(body) == {"error", "detail"} and body["error"]["code"], body
        assert "Traceback" not in response.text
    case.validate_response(response, excluded_checks=[status_code_conformance, negative_data_rejection, positive_data_acceptance])


def test_every_operation_answers_within_its_schema(api: Any) -> None:
    # schemathesis' own pytest plugin does not run under this pytest; drive hypothesis directly.
    client, auth = api
    schema = schemathesis.openapi.from_asgi("/openapi.json", client.app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15
    for operation in operations:

        @settings(max_examples=6, deadline=None, phases=[Phase.explicit, Phase.generate], database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def run(case: Any) -> None:
            check_case(case, auth)

        run()
