"""The routes behind the counselor page: the page and its assets, and the bundled samples."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from tests.conftest import ROOT
from tests.service.conftest import auth, settings


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(settings()), raise_server_exceptions=False) as c:
        yield c


def test_samples_list_every_bundled_student(client: TestClient) -> None:
    response = client.get("/v1/samples", headers=auth())
    assert response.status_code == 200
    listed = {s["name"]: s for s in response.json()}
    files = sorted((ROOT / "samples" / "students").glob("*.json"))
    assert sorted(listed) == [f.stem for f in files]
    for path in files:
        record = json.loads(path.read_text(encoding="utf-8"))
        entry = listed[path.stem]
        assert entry["student"] == record["id"]
        assert entry["jurisdiction"] == record["jurisdiction"]
        assert entry["goals"] == record.get("goals", [])
        assert entry["rows"] == len(record["transcript"])


def test_a_sample_is_the_record_and_audits(client: TestClient) -> None:
    response = client.get("/v1/samples/tx-junior-on-track", headers=auth())
    assert response.status_code == 200
    record = json.loads(
        (ROOT / "samples" / "students" / "tx-junior-on-track.json").read_text(encoding="utf-8")
    )
    assert response.json() == record
    audited = client.post("/v1/audit", json={"student": response.json()}, headers=auth())
    assert audited.status_code == 200


@pytest.mark.parametrize("name", ["no-such-student", "..%2Fpyproject", "EXPECTED"])
def test_unknown_or_odd_sample_names_are_refused(client: TestClient, name: str) -> None:
    response = client.get(f"/v1/samples/{name}", headers=auth())
    assert response.status_code in (404, 422)
    assert response.headers["content-type"].startswith("application/problem+json")


def test_samples_need_a_credential_when_keys_are_configured(client: TestClient) -> None:
    assert client.get("/v1/samples").status_code == 401
    assert client.get("/v1/samples/tx-junior-on-track").status_code == 401


def test_the_page_needs_no_key_and_locks_down_what_it_may_load(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    csp = page.headers["content-security-policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert '<html lang="en">' in page.text
    for asset in ("app.js", "style.css", "print.css"):
        assert f"/web/{asset}" in page.text
        got = client.get(f"/web/{asset}")
        assert got.status_code == 200
        assert got.headers["x-content-type-options"] == "nosniff"


def test_only_the_page_assets_are_served(client: TestClient) -> None:
    assert client.get("/web/index.html").status_code == 404
    assert client.get("/web/..%2Fapp.py").status_code == 404
    assert client.get("/web/secret.txt").status_code == 404


def test_the_page_is_not_part_of_the_api_contract(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert "/" not in paths
    assert "/v1/samples" in paths
    assert "/v1/samples/{name}" in paths


def test_the_page_keeps_the_key_in_the_tab_only() -> None:
    """No localStorage, cookies or third-party origins in the page's code."""
    files = sorted((ROOT / "service" / "web").glob("*.js"))
    assert len(files) > 1
    code = "\n".join(f.read_text(encoding="utf-8") for f in files)
    code = code.replace('"http://www.w3.org/2000/svg"', "")  # the SVG namespace, not a request
    assert "sessionStorage" in code
    assert "localStorage." not in code
    assert "document.cookie" not in code
    assert "http://" not in code
    assert "https://" not in code
    assert "innerHTML" not in code
