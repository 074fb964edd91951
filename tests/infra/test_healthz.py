import json

from tests.support.manage import run_manage


def test_healthz_reports_the_database_ok(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_healthz_is_not_prefixed_by_language(client, db):
    assert client.get("/en/healthz", follow=True).status_code == 404


def test_healthz_answers_503_when_the_database_is_unreachable(tmp_path):
    """A real unreachable database: a SQLite file in a folder that does not exist."""
    script = (
        "from django.test import Client; "
        "r = Client().get('/healthz'); "
        "print(r.status_code); print(r.content.decode()); print(r['Cache-Control'])"
    )
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        script,
        DJANGO_SETTINGS_MODULE="hub.settings.test",
        DATABASE_URL=f"sqlite:///{tmp_path}/missing/dir/db.sqlite3",
    )
    assert result.returncode == 0, result.stderr
    status, body, cache_control = result.stdout.strip().splitlines()
    assert status == "503"
    assert json.loads(body) == {"status": "error", "database": "error"}
    assert "no-store" in cache_control


def test_healthz_rejects_other_methods(client, db):
    assert client.post("/healthz").status_code == 405
