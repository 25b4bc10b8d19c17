"""The open-data API and its OpenAPI description agree: the real responses
validate against the description, and schemathesis, generating requests
from the description, finds no server error and no answer it does not
describe."""

from pathlib import Path

import pytest
import schemathesis
import yaml
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator, FormatChecker
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from chapters import api

pytestmark = pytest.mark.django_db

DESCRIPTION = yaml.safe_load(Path(api.OPENAPI).read_text(encoding="utf-8"))


def validator(name: str) -> Draft202012Validator:
    """A JSON Schema validator for one of the description's schemas, with
    its references resolved inside the description."""
    schema = {
        "$ref": f"#/components/schemas/{name}",
        "components": DESCRIPTION["components"],
    }
    return Draft202012Validator(schema, format_checker=FormatChecker())


def assert_valid(name: str, data) -> None:
    errors = sorted(validator(name).iter_errors(data), key=str)
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors]


def assert_cached(response) -> None:
    assert response["ETag"]
    assert "max-age=300" in response["Cache-Control"]
    assert "public" in response["Cache-Control"]
    assert response["Access-Control-Allow-Origin"] == "*"


def test_the_description_is_served_as_written(client):
    response = client.get("/api/v1/openapi.yaml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/yaml")
    assert response.content == Path(api.OPENAPI).read_bytes()
    assert response["Access-Control-Allow-Origin"] == "*"
    assert DESCRIPTION["openapi"].startswith("3.1")


def test_the_description_has_valid_json_schemas():
    for name in DESCRIPTION["components"]["schemas"]:
        Draft202012Validator.check_schema(validator(name).schema)


def test_the_country_list_matches_the_description(client, open_data):
    response = client.get("/api/v1/countries/")
    assert response.status_code == 200
    assert_cached(response)
    data = response.json()
    assert_valid("CountryList", data)
    assert [item["code"] for item in data["results"]] == ["EG", "JO", "TN"]
    jordan = data["results"][1]
    assert jordan["listed_members"] == 2  # the candidate is not counted


def test_a_country_in_either_case_matches_the_description(client, open_data):
    for code in ("jo", "JO", "eg", "tn"):
        response = client.get(f"/api/v1/countries/{code}/")
        assert response.status_code == 200, code
        assert_cached(response)
        assert_valid("CountryDetail", response.json())
    members = client.get("/api/v1/countries/jo/").json()["members"]
    assert len(members) == 2
    assert any(m["logo"] and m["logo"].startswith("http") for m in members)


def test_an_unknown_country_is_the_described_json_404(client, open_data):
    response = client.get("/api/v1/countries/zz/")
    assert response.status_code == 404
    assert response["Access-Control-Allow-Origin"] == "*"
    assert_valid("Error", response.json())


def test_a_current_etag_gets_the_described_304(client, open_data):
    for url in ("/api/v1/countries/", "/api/v1/countries/jo/"):
        first = client.get(url)
        again = client.get(url, headers={"if-none-match": first["ETag"]})
        assert again.status_code == 304
        assert again.content == b""
        assert_cached(again)


def test_head_answers_like_get_without_a_body(client, open_data):
    for url in ("/api/v1/countries/", "/api/v1/countries/jo/"):
        response = client.head(url)
        assert response.status_code == 200
        assert response.content == b""
        assert_cached(response)


@settings(
    max_examples=60,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(code=st.text(min_size=1, max_size=40).filter(lambda c: "/" not in c))
def test_any_country_code_gets_the_chapter_or_the_json_404(client, open_data, code):
    from urllib.parse import quote

    response = client.get(f"/api/v1/countries/{quote(code, safe='')}/")
    assert response.status_code in (200, 404)
    assert_valid(
        "CountryDetail" if response.status_code == 200 else "Error", response.json()
    )


# schemathesis ----------------------------------------------------------------

schema = schemathesis.openapi.from_path(api.OPENAPI)
schema.app = get_wsgi_application()
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    response_schema_conformance,
    response_headers_conformance,
]


@pytest.fixture
def same_connection():
    """Django closes the database connection after each request, which would
    end the test's transaction; its own test client keeps it open the same
    way while it handles a request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=40,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_conforms_to_its_description(case, open_data, same_connection):
    # The WSGI transport hands back the bytes as sent; a real HTTP client
    # would undo the gzip that the API applies when offered.
    case.call_and_validate(checks=CHECKS, headers={"Accept-Encoding": "identity"})
