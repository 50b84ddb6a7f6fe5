"""The project as a newcomer meets it: checks pass, migrations are complete, settings are safe."""

import importlib
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest
import redis
import yaml
from django.core.management import CommandError, call_command, get_commands, load_command_class
from django.core.management.base import SystemCheckError
from gunicorn.config import Config as GunicornConfig

from api.ratelimit import parse_rate
from tests.processes import free_port, start, stop, wait_for

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


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow
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


# --- docker-compose.yml, read as Compose reads it -------------------------------------------

SERVICES = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
# The services that run the project's code, from its image.
APP_SERVICES = sorted(name for name, service in SERVICES.items() if "build" in service)
SHELL_SEPARATORS = {"&&", "||", ";"}
SHELL_KEYWORDS = {"while", "until", "do", "done"}


def interpolated(value) -> str:
    """A value as Compose reads it when the shell sets nothing: `${NAME:-default}` is default."""
    return re.sub(r"\$\{\w+:-([^}]*)\}", r"\1", str(value))


def environment_of(service: str) -> dict[str, str]:
    return {name: interpolated(value) for name, value in SERVICES[service]["environment"].items()}


def programs_of(service: str) -> list[list[str]]:
    """What a service runs, one argument list per program: its command, or each program of
    the `sh -c` script it runs, in order."""
    command = SERVICES[service]["command"]
    if isinstance(command, str):
        command = shlex.split(command)
    if command[:2] != ["sh", "-c"]:
        return [command]
    script = shlex.shlex(command[2], posix=True, punctuation_chars=";&|")
    script.whitespace_split = True  # words end at white space or a separator only
    programs = [[]]
    for token in script:
        if token in SHELL_SEPARATORS:
            programs.append([])
        elif programs[-1] or token not in SHELL_KEYWORDS:
            programs[-1].append(token)
    return [program for program in programs if program]


def manage_py_commands(service: str) -> list[list[str]]:
    """The `manage.py` commands a service runs, each as its name and arguments."""
    return [
        program[program.index("manage.py") + 1 :]
        for program in programs_of(service)
        if "manage.py" in program
    ]


def test_compose_migrates_serves_sends_webhooks_and_publishes_what_is_scheduled():
    commands = {service: [c[0] for c in manage_py_commands(service)] for service in APP_SERVICES}
    assert commands == {
        "scheduler": ["publish_scheduled"],
        "web": ["migrate"],
        "worker": ["webhook_worker"],
    }
    # Every minute, for ever: a failed run is retried at the next.
    assert programs_of("scheduler") == [
        ["true"],
        ["python", "manage.py", "publish_scheduled"],
        ["sleep", "60"],
    ]


@pytest.mark.parametrize("service", APP_SERVICES)
def test_every_manage_py_command_compose_runs_exists_and_takes_its_arguments(service):
    known = get_commands()
    for name, *arguments in manage_py_commands(service):
        parser = load_command_class(known[name], name).create_parser("manage.py", name)
        parser.parse_args(arguments)  # a CommandError names an argument it does not take


def test_web_migrates_then_serves_the_project_on_its_published_port():
    programs = programs_of("web")
    migrate = programs.index(["python", "manage.py", "migrate", "--noinput"])
    serve = next(index for index, program in enumerate(programs) if program[0] == "gunicorn")
    assert migrate < serve
    # Read as gunicorn reads its command line.
    options = GunicornConfig().parser().parse_args(programs[serve][1:])
    module, _, name = options.args[0].partition(":")
    assert callable(getattr(importlib.import_module(module), name or "application"))
    host, port = options.bind[0].rsplit(":", 1)
    assert host == "0.0.0.0"  # reachable from outside its container
    assert port in {published.rsplit(":", 1)[-1] for published in SERVICES["web"]["ports"]}
    assert SERVICES["web"]["build"] == "." and (ROOT / "Dockerfile").is_file()


def test_the_project_waits_for_a_healthy_database_and_the_background_jobs_restart():
    database = urllib.parse.urlsplit(environment_of("web")["DATABASE_URL"])
    health = shlex.split(SERVICES["db"]["healthcheck"]["test"][-1])
    assert health[0] == "pg_isready"
    assert health[health.index("-U") + 1] == database.username
    assert health[health.index("-d") + 1] == database.path.lstrip("/")
    assert SERVICES["redis"]["healthcheck"]["test"][1:] == ["redis-cli", "ping"]
    for service in APP_SERVICES:
        assert SERVICES[service]["depends_on"]["db"]["condition"] == "service_healthy"
    assert SERVICES["web"]["depends_on"]["redis"]["condition"] == "service_healthy"
    for background in ("worker", "scheduler"):
        # After web, which runs the migrations their tables need; and back after a crash.
        assert "web" in SERVICES[background]["depends_on"]
        assert SERVICES[background]["restart"] == "unless-stopped"


def byte_size(value: str) -> int:
    """'256mb', '384m', '1gb' as bytes, as Redis and Compose read sizes."""
    number, unit = re.fullmatch(r"(\d+)\s*([kmg]?)b?", value.lower()).groups()
    return int(number) * 1024 ** " kmg".index(unit or " ")


@pytest.mark.slow
def test_compose_redis_is_bounded_in_memory_and_drops_old_keys_rather_than_refuse_writes(
    tmp_path,
):
    """redis-server run with the arguments Compose gives it (and a small memory to fill)."""
    redis_server = shutil.which("redis-server")
    if redis_server is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server).")
    (program,) = programs_of("redis")
    arguments = [interpolated(argument) for argument in program[1:]]
    maxmemory = byte_size(arguments[arguments.index("--maxmemory") + 1])
    assert 0 < maxmemory < byte_size(interpolated(SERVICES["redis"]["mem_limit"]))

    port = free_port()
    server = start(
        [redis_server, *arguments, "--port", str(port), "--bind", "127.0.0.1"],
        tmp_path / "redis.log",
    )
    try:
        client = redis.Redis(port=port)
        assert wait_for(lambda: _answers(client), timeout=15)
        assert client.config_get("maxmemory") == {"maxmemory": str(maxmemory)}
        client.config_set("maxmemory", "2mb")  # the same policy, sooner full
        for number in range(4000):  # 4 MB of cached responses
            client.set(f"response:{number}", b"x" * 1024)
        assert client.dbsize() < 4000  # the oldest were dropped; no write was refused
        assert client.get("response:3999") is not None
    finally:
        stop(server)


def _answers(client) -> bool:
    try:
        return client.ping()
    except redis.exceptions.ConnectionError:
        return False


SETTINGS_REPORT = """
import json
import django
django.setup()
from django.conf import settings
database = settings.DATABASES["default"]
print(json.dumps({
    "database": [database[key] for key in ("HOST", "PORT", "NAME", "USER", "PASSWORD")],
    "cache": settings.CACHES["default"]["LOCATION"],
    "secret_key": settings.SECRET_KEY,
}))
"""


@pytest.mark.slow
def test_every_app_service_starts_in_production_on_the_compose_database_and_cache():
    postgres = environment_of("db")
    reports = {}
    for service in APP_SERVICES:
        result = subprocess.run(
            [sys.executable, "-c", SETTINGS_REPORT],
            env={**os.environ, **environment_of(service)},
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, (service, result.stderr)
        reports[service] = json.loads(result.stdout)
        assert environment_of(service)["DJANGO_SETTINGS_MODULE"] == "cms.settings.production"

    assert reports["web"]["database"] == [
        "db",
        5432,
        postgres["POSTGRES_DB"],
        postgres["POSTGRES_USER"],
        postgres["POSTGRES_PASSWORD"],
    ]
    assert urllib.parse.urlsplit(reports["web"]["cache"]).hostname == "redis"
    # One database, one cache and one key for the whole project.
    assert reports["worker"] == reports["scheduler"] == reports["web"]


# --- The Makefile ---------------------------------------------------------------------------


@pytest.mark.slow
def test_make_help_describes_every_target_the_documentation_names():
    # As a developer runs it, not as a sub-make of `make test` (which names its directory).
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in {"MAKELEVEL", "MAKEFLAGS", "MFLAGS"}
    }
    result = subprocess.run(
        ["make", "help"], cwd=ROOT, env=environment, capture_output=True, text=True, check=True
    )
    described = dict(
        re.fullmatch(r"\s*make (\S+)\s+(.+)", line).groups() for line in result.stdout.splitlines()
    )
    documentation = "\n".join(
        path.read_text() for path in [ROOT / "README.md", *(ROOT / "docs").glob("*.md")]
    )
    named = set(re.findall(r"(?:`|^)make ([a-z][a-z-]*)", documentation, flags=re.MULTILINE))

    assert {"run", "test", "test-fast", "worker"} <= named
    assert named <= set(described)
    assert all(description.strip() for description in described.values())


@pytest.mark.slow
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
def test_a_test_run_with_a_service_down_stops_at_once_naming_it_and_how_to_start_it(
    environment, message
):
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-n", "2", "tests/test_architecture.py"],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "cms.settings.test", **environment},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == pytest.ExitCode.USAGE_ERROR
    said = [line for line in result.stdout.splitlines() if message in line]
    assert len(said) == 1, result.stdout
    assert "Start it with" in said[0]
    assert "passed" not in result.stdout
