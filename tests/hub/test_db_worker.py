"""`manage.py db_worker` outlives a database outage: it waits and goes on instead of exiting
(tests/reliability/test_faults.py stops PostgreSQL under a real worker)."""

from django.core.management import call_command
from django.db import OperationalError

import pytest
from django_tasks_db.management.commands import db_worker as original

from hub.management.commands import db_worker


@pytest.fixture(autouse=True)
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def no_waiting(monkeypatch):
    """No sleeping, and the test process keeps its own signal handlers."""
    waits = []
    monkeypatch.setattr(db_worker.time, "sleep", waits.append)
    monkeypatch.setattr(original.Worker, "configure_signals", lambda worker: None)
    return waits


def test_the_worker_waits_for_the_database_and_goes_on(db, monkeypatch, no_waiting, caplog):
    runs = []

    def run(worker):
        runs.append(worker)
        if len(runs) <= 3:
            raise OperationalError("the database system is shutting down")

    monkeypatch.setattr(original.Worker, "run", run)
    call_command("db_worker", "--no-startup-delay", "--no-reload")
    assert len(runs) == 4
    assert no_waiting == [1.0, 2.0, 4.0]
    assert caplog.text.count("lost the database (OperationalError)") == 3


def test_other_errors_still_stop_the_worker(db, monkeypatch, no_waiting):
    def run(worker):
        raise RuntimeError("a bug")

    monkeypatch.setattr(original.Worker, "run", run)
    with pytest.raises(RuntimeError):
        call_command("db_worker", "--no-startup-delay", "--no-reload")
    assert no_waiting == []


def test_a_single_pass_reports_a_lost_database_to_its_caller(db, monkeypatch, no_waiting):
    """--batch (cron, tests) runs once: no waiting for the database there."""

    def run(worker):
        raise OperationalError("the database system is shutting down")

    monkeypatch.setattr(original.Worker, "run", run)
    with pytest.raises(OperationalError):
        call_command("db_worker", "--batch", "--no-startup-delay")
    assert no_waiting == []
