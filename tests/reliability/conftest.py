"""The deployment the flood and fault tests share (tests/reliability/harness.py), built once per
run on the PostgreSQL server DATABASE_URL names. Run with `make reliability`; CI does."""

import json
import os

import pytest

from . import harness


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/reliability/" in str(item.fspath):
            item.add_marker(pytest.mark.reliability)


@pytest.fixture(scope="session")
def postgres_server():
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        message = "the reliability tests run against PostgreSQL: set DATABASE_URL=postgres://…"
        if os.environ.get("MAILLAGE_REQUIRE_POSTGRES"):
            pytest.fail(message)
        pytest.skip(message)
    return url


@pytest.fixture(scope="session")
def deployment(postgres_server, tmp_path_factory):
    with harness.deployment(postgres_server, tmp_path_factory.mktemp("reliability")) as running:
        yield running
        if running.results:
            harness.RESULTS.write_text(json.dumps(running.results, indent=2) + "\n")
