"""The API describes itself: OpenAPI at /api/v1/openapi.json, Swagger UI at /api/v1/docs,
served from the site itself under its strict CSP (nothing from a CDN)."""

import re

import pytest
from django.contrib.staticfiles import finders

from tests.network.test_api_helpers import API

pytestmark = pytest.mark.django_db

REQUIRED_OPERATIONS = [
    ("get", "/me"),
    ("get", "/groups"),
    ("get", "/groups/{slug}"),
    ("post", "/groups/{slug}/join"),
    ("post", "/groups/{slug}/leave"),
    ("get", "/groups/{slug}/posts"),
    ("post", "/groups/{slug}/posts"),
    ("get", "/feed"),
    ("get", "/posts/{post_id}"),
    ("patch", "/posts/{post_id}"),
    ("delete", "/posts/{post_id}"),
    ("post", "/posts/{post_id}/comments"),
    ("post", "/posts/{post_id}/reactions"),
    ("get", "/organisations"),
    ("get", "/people/{username}"),
    ("post", "/people/{username}/follow"),
]


@pytest.fixture
def schema(client):
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    return response.json()


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def test_the_schema_is_openapi_3_with_our_title(schema):
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Territory API"
    assert schema["info"]["version"] == "1"


@pytest.mark.parametrize(("method", "path"), REQUIRED_OPERATIONS)
def test_the_schema_lists_every_endpoint(schema, method, path):
    operation = schema["paths"][f"/api/v1{path}"][method]
    assert operation["responses"]


def test_every_reference_in_the_schema_resolves(schema):
    components = schema["components"]["schemas"]
    refs = set(_refs(schema))
    assert refs
    for ref in refs:
        assert ref.startswith("#/components/schemas/")
        assert ref.rsplit("/", 1)[1] in components


def test_operation_ids_are_unique(schema):
    ids = [
        operation["operationId"] for item in schema["paths"].values() for operation in item.values()
    ]
    assert len(ids) == len(set(ids))


def test_both_authentications_are_described(schema):
    schemes = schema["components"]["securitySchemes"]
    assert schemes["TokenAuth"] == {"type": "http", "scheme": "bearer"}
    assert schemes["SessionAuth"]["in"] == "cookie"
    write = schema["paths"]["/api/v1/groups/{slug}/posts"]["post"]
    assert {name for entry in write["security"] for name in entry} == {"TokenAuth", "SessionAuth"}


def test_errors_are_documented(schema):
    write = schema["paths"]["/api/v1/groups/{slug}/posts"]["post"]["responses"]
    for status in ("400", "401", "403", "404", "413", "429"):
        assert status in write


def test_the_docs_page_loads_nothing_from_elsewhere(client):
    response = client.get(f"{API}/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    assert "cdn" not in html.lower()
    # Every script and stylesheet is one of the site's static files, found on disk.
    assets = re.findall(r"""(?:src|href)=["']/static/([^"']+)["']""", html)
    assert any(asset.endswith("swagger-ui-bundle.js") for asset in assets)
    for asset in assets:
        assert finders.find(asset), asset


def test_the_docs_page_runs_under_the_strict_csp(client):
    response = client.get(f"{API}/docs")
    policy = response["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]*)", policy).group(1)
    assert "'unsafe-inline'" not in script_src and "http" not in script_src
    html = response.content.decode()
    # No inline script: the only <script> without src carries JSON data, which is not run.
    for attributes in re.findall(r"<script([^>]*)>", html):
        assert "src=" in attributes or 'type="application/json"' in attributes
    assert " style=" not in html and "<style" not in html


def test_public_reads_are_described_as_needing_no_credentials(schema):
    read = schema["paths"]["/api/v1/groups/{slug}/posts"]["get"]
    assert {} in read["security"]
    me = schema["paths"]["/api/v1/me"]["get"]
    assert {} not in me["security"]
