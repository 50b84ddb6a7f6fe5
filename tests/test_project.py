"""The project as a newcomer meets it: checks pass, migrations are complete, settings are safe."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command
from django.core.management.base import SystemCheckError

from api.ratelimit import parse_rate

ROOT = Path(__file__).resolve().parent.parent


def test_system_checks_pass():
    call_command("check", fail_level="WARNING")


@pytest.mark.parametrize("rate", ["60/0m", "0/minute", "60/fortnight"])
def test_system_checks_refuse_a_rate_limit_without_requests_or_window(rate, settings):
    settings.API_RATE_LIMITS = {**settings.API_RATE_LIMITS, "standard": rate}
    with pytest.raises(SystemCheckError, match=r"API_RATE_LIMITS\['standard'\] is missing or"):
        call_command("check")


@pytest.mark.django_db
def test_no_model_change_is_missing_a_migration():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


# The documented environment variables these tests set, or must not inherit from the shell.
CONFIGURATION = {
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "API_RATE_LIMIT_ANONYMOUS",
    "API_TRUSTED_PROXY_COUNT",
    "ENFORCE_HTTPS",
}
# What a production server is given, as the README's environment table documents it.
PRODUCTION_ENVIRONMENT = {
    "SECRET_KEY": "x7Qp2mV9rT4kL8sN1bW6cZ3hJ5gF0dY-aE_uR7iO2pK9lM4nB6vC8xZ1qW3eR5tY",
    "ALLOWED_HOSTS": "content.example.org,testserver",
    "DATABASE_URL": "postgres://user@db/content",
}


def run_with_settings(module: str, code: str = "", **env: str) -> subprocess.CompletedProcess:
    """Python in a new process with `module` as its settings and `env` as its environment:
    Django set up, then `code` run."""
    clean_env = {key: value for key, value in os.environ.items() if key not in CONFIGURATION}
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup()\n{code}"],
        env={**clean_env, "DJANGO_SETTINGS_MODULE": module, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_settings_refuse_to_start_without_required_environment(missing):
    complete = {
        "SECRET_KEY": "a-real-secret",
        "ALLOWED_HOSTS": "content.example.org",
        "DATABASE_URL": "postgres://user@db/content",
    }
    del complete[missing]
    result = run_with_settings("cms.settings.production", **complete)
    assert result.returncode != 0
    assert f"{missing} must be set in the environment for production." in result.stderr


def test_production_settings_start_with_required_environment():
    result = run_with_settings(
        "cms.settings.production",
        SECRET_KEY="a-real-secret",
        ALLOWED_HOSTS="content.example.org",
        DATABASE_URL="postgres://user@db/content",
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.slow
def test_check_deploy_with_production_settings_warns_of_nothing():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        env={
            **{key: value for key, value in os.environ.items() if key not in CONFIGURATION},
            "DJANGO_SETTINGS_MODULE": "cms.settings.production",
            **PRODUCTION_ENVIRONMENT,
        },
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


# Requests as the production settings answer them, in a process of its own; printed as JSON.
# To `/`, which answers without a database (404: the page tree is not served).
PRODUCTION_REQUESTS = """
import json
from django.test import Client, RequestFactory
client = Client()
plain = client.get("/")
forged = client.get("/", HTTP_X_FORWARDED_PROTO="https")
secure = client.get("/healthz", secure=True)
probe = client.get("/healthz")
print(json.dumps({
    "plain": [plain.status_code, plain.get("Location")],
    "forged": [forged.status_code, forged.get("Location")],
    "hsts": secure.get("Strict-Transport-Security"),
    "probe": probe.status_code,
    "forwarded_https_is_secure": RequestFactory()
        .get("/", HTTP_X_FORWARDED_PROTO="https").is_secure(),
}))
"""


def production_requests(**env: str) -> dict:
    result = run_with_settings(
        "cms.settings.production", PRODUCTION_REQUESTS, **PRODUCTION_ENVIRONMENT, **env
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


@pytest.mark.slow
def test_production_redirects_plain_http_to_https_and_sends_hsts():
    answers = production_requests()
    assert answers["plain"] == [301, "https://testserver/"]
    assert answers["hsts"] == "max-age=31536000; includeSubDomains"
    assert answers["probe"] == 200  # the orchestrator's probes come over plain HTTP


@pytest.mark.slow
def test_production_leaves_https_to_a_proxy_that_does_it_when_told():
    answers = production_requests(ENFORCE_HTTPS="false")
    assert answers["plain"] == [404, None]
    assert answers["hsts"] is None


@pytest.mark.slow
def test_a_client_cannot_claim_https_with_x_forwarded_proto():
    answers = production_requests()
    assert answers["forwarded_https_is_secure"] is False
    assert answers["forged"] == [301, "https://testserver/"]


@pytest.mark.slow
def test_x_forwarded_proto_is_trusted_behind_a_configured_proxy():
    answers = production_requests(API_TRUSTED_PROXY_COUNT="1")
    assert answers["forwarded_https_is_secure"] is True


@pytest.mark.slow
def test_dev_settings_never_rate_limit_someone_trying_the_api():
    """`make run`, a script or the docs page's "Try it out": a hundred requests a second."""
    result = run_with_settings(
        "cms.settings.dev",
        "from django.conf import settings; print(settings.API_RATE_LIMITS['anonymous'])",
    )
    requests, seconds = parse_rate(result.stdout.strip())
    assert requests / seconds >= 100


@pytest.mark.slow
def test_dev_settings_keep_a_rate_limit_set_in_the_environment():
    result = run_with_settings(
        "cms.settings.dev",
        "from django.conf import settings; print(settings.API_RATE_LIMITS['anonymous'])",
        API_RATE_LIMIT_ANONYMOUS="5/minute",
    )
    assert result.stdout.strip() == "5/minute"


def test_test_settings_refuse_sqlite():
    result = run_with_settings("cms.settings.test", DATABASE_URL="sqlite:///tmp.sqlite3")
    assert "The tests run on PostgreSQL" in result.stderr


def test_local_admin_is_refused_outside_the_dev_settings():
    with pytest.raises(CommandError, match="only created with the dev settings"):
        call_command("create_local_admin")


@pytest.mark.django_db
def test_local_admin_is_created_once_and_printed(settings, capsys, django_user_model):
    settings.LOCAL_ADMIN_ENABLED = True
    call_command("create_local_admin")
    call_command("create_local_admin")
    output = capsys.readouterr().out
    assert "Local admin login: admin / changeme (created)" in output
    assert "already exists, password unchanged" in output
    assert django_user_model.objects.get(username="admin").is_superuser


def test_docker_compose_runs_database_cache_and_web_with_healthchecks():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) >= {"db", "redis", "web"}
    assert "pg_isready" in " ".join(services["db"]["healthcheck"]["test"])
    assert "redis-cli" in services["redis"]["healthcheck"]["test"]
    web = services["web"]
    assert web["depends_on"]["db"]["condition"] == "service_healthy"
    assert "manage.py migrate" in web["command"]
    assert "gunicorn cms.wsgi" in web["command"]
    assert web["build"] == "." and (ROOT / "Dockerfile").is_file()
    assert web["environment"]["DJANGO_SETTINGS_MODULE"] == "cms.settings.production"


def test_docker_compose_runs_the_webhook_worker_on_the_same_database_as_web():
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    worker, web = services["worker"], services["web"]
    assert worker["command"] == ["python", "manage.py", "webhook_worker"]
    assert worker["build"] == web["build"]
    assert worker["environment"]["DATABASE_URL"] == web["environment"]["DATABASE_URL"]
    assert worker["environment"]["DJANGO_SETTINGS_MODULE"] == "cms.settings.production"
    assert worker["depends_on"]["db"]["condition"] == "service_healthy"
    assert worker["restart"] == "unless-stopped"


def test_docker_compose_runs_the_scheduled_publishing_job_every_minute():
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    scheduler, web = services["scheduler"], services["web"]
    assert "manage.py publish_scheduled" in scheduler["command"][-1]
    assert "sleep 60" in scheduler["command"][-1]
    assert scheduler["environment"]["DATABASE_URL"] == web["environment"]["DATABASE_URL"]
    assert scheduler["environment"]["SECRET_KEY"] == web["environment"]["SECRET_KEY"]
    assert scheduler["restart"] == "unless-stopped"


def test_make_worker_starts_the_webhook_worker():
    result = subprocess.run(
        ["make", "--dry-run", "worker"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert "manage.py webhook_worker" in result.stdout


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        (
            {"DATABASE_URL": "postgres://postgres@127.0.0.1:1/nothing"},
            "The PostgreSQL server is not reachable at 127.0.0.1:1",
        ),
        ({"REDIS_URL": "redis://127.0.0.1:1/0"}, "Redis is not reachable at redis://127.0.0.1:1/0"),
    ],
)
def test_check_services_names_the_service_that_is_down_and_how_to_start_it(environment, message):
    result = subprocess.run(
        [sys.executable, "manage.py", "check_services"],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "cms.settings.test", **environment},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert message in lines[0]
    assert "Start it with" in lines[0]
