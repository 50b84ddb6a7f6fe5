"""Probes for orchestrators, and cross-origin reads for front ends on other hosts."""

import pytest
from django.db import DatabaseError

pytestmark = pytest.mark.django_db


def test_healthz_answers_while_the_process_runs(client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_readyz_reports_each_dependency(client):
    assert client.get("/readyz").json() == {
        "status": "ok",
        "checks": {"database": "ok", "redis": "ok"},
    }


def test_readyz_is_503_problem_when_the_database_does_not(client, monkeypatch):
    def unreachable(*args, **kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr("api.health.connection.cursor", unreachable)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["checks"] == {"database": "unreachable", "redis": "ok"}


def test_public_reads_are_allowed_from_any_origin(client):
    response = client.get("/api/v1/side-effects/", HTTP_ORIGIN="https://clinic.example")
    assert response["Access-Control-Allow-Origin"] == "*"


def test_preflight_allows_conditional_request_headers(client):
    response = client.options(
        "/api/v1/side-effects/",
        HTTP_ORIGIN="https://clinic.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
    )
    assert response.status_code == 200
    assert "if-none-match" in response["Access-Control-Allow-Headers"]


def test_the_admin_sends_no_cors_headers(client):
    response = client.get("/admin/login/", HTTP_ORIGIN="https://clinic.example")
    assert "Access-Control-Allow-Origin" not in response
