"""Edge cases of POST /v1/rules/validate on hostile or huge drafts, and reference routes."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from tests.conftest import ROOT
from tests.service.conftest import auth, settings

HEAD = (
    "schema_version: 1\nid: draft-diploma\ntitle: Draft\nkind: graduation\njurisdiction: TX\n"
    "catalog_year: 2025\nsource: {citation: Draft rule, year: 2025}\n"
)
CATALOG_HEAD = (
    "schema_version: 1\nid: draft-catalog\ntitle: Draft\njurisdiction: TX\ncatalog_year: 2025\n"
    "source: {citation: Draft catalog, year: 2025}\n"
)
COURSE = "{id: X1, title: X, subject: math, credits: 1, grade_levels: [9], terms: [year]}"


def _validate(client: TestClient, text: str) -> dict[str, object]:
    response = client.post("/v1/rules/validate", json={"text": text}, headers=auth("rules"))
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


def _codes(body: dict[str, object]) -> list[str]:
    errors = body["errors"]
    assert isinstance(errors, list)
    return [e["code"] for e in errors]


# Guessing the kind ran yaml.safe_load over the draft: it built dates and integers (a ValueError
# on 2025-02-30 or a 5000-digit number) and recursed through nesting (RecursionError): each a
# 500 instead of the loader's positioned error.
@pytest.mark.parametrize(
    ("text", "code"),
    [
        (HEAD + "requirements:\n  math: {course: ALG1, accessed: 2025-02-30}\n", "unknown-key"),
        (HEAD + "requirements:\n  math: {credits: " + "9" * 5000 + "}\n", "invalid-value"),
        ("[" * 5000 + "]" * 5000, "too-deep"),
        ("a:\n" + "".join(" " * (i + 1) + f"k{i}:\n" for i in range(1200)), "too-deep"),
    ],
    ids=["impossible-date", "huge-integer", "deep-flow", "deep-block"],
)
def test_guessing_the_kind_never_fails_the_request(
    client: TestClient, text: str, code: str
) -> None:
    body = _validate(client, text)
    assert body["valid"] is False
    assert code in _codes(body)


def test_guessing_the_kind_of_a_very_deep_file_stays_fast(client: TestClient) -> None:
    # libyaml is quadratic in flow nesting: scanning all of 100,000 '{' took minutes.
    started = time.perf_counter()
    body = _validate(client, "{" * 100_000 + "}" * 100_000)
    assert _codes(body) == ["too-deep"]
    assert time.perf_counter() - started < 10


def test_a_catalog_draft_with_a_refused_tag_is_still_checked_as_a_catalog(
    client: TestClient,
) -> None:
    # safe_load refused the tag, so the guess fell back to "ruleset".
    text = CATALOG_HEAD + "notes: !!python/object:os.system {}\ncourses:\n  - " + COURSE + "\n"
    body = _validate(client, text)
    assert body["kind"] == "catalog"
    assert _codes(body) == ["bad-tag"]


def test_more_than_1000_file_problems_end_with_a_count_of_the_rest(client: TestClient) -> None:
    # The route cut at 1000 silently: no line said problems were left out, or how many.
    tags = HEAD + "requirements:\n" + "".join(f"  r{i}: !!binary a\n" for i in range(1500))
    body = _validate(client, tags)
    errors = body["errors"]
    assert isinstance(errors, list)
    assert len(errors) == 1000
    assert errors[-1]["code"] == "too-many-errors"
    assert errors[-1]["message"] == "501 more problems not listed; fix those above first"
    assert _codes(body).count("bad-tag") == 999


def test_the_loaders_count_of_the_rest_is_kept_over_http(client: TestClient) -> None:
    # 3000 schema problems: the loader lists 1000 and counts 2,000 more; the route then dropped
    # that count line (it sorts by position) with a 1001st problem.
    reqs = "".join(f"  r{i}:\n    credits: 1\n    form: {{subject: math}}\n" for i in range(1500))
    body = _validate(client, HEAD + "requirements:\n" + reqs)
    errors = body["errors"]
    assert isinstance(errors, list)
    assert len(errors) == 1000
    assert [e["code"] for e in errors].count("too-many-errors") == 1
    assert errors[-1]["code"] == "too-many-errors"
    assert errors[-1]["message"] == "2,001 more problems not listed; fix those above first"


def test_a_draft_catalog_that_breaks_a_bundled_rule_is_invalid(client: TestClient) -> None:
    # Only the draft's own file was reported: dropping LATIN3, which a bundled endorsement names,
    # was "valid", and publishing it would stop the rules from loading.
    text = (ROOT / "catalogs/tx/2025/courses.yaml").read_text(encoding="utf-8")
    start = text.index("  - id: LATIN3\n")
    end = text.index("  - id:", start + 5)
    response = client.post(
        "/v1/rules/validate",
        json={"text": text[:start] + text[end:], "file": "catalogs/tx/2025/courses.yaml"},
        headers=auth("rules"),
    )
    body = response.json()
    assert body["valid"] is False
    assert body["kind"] == "catalog"
    (error,) = body["errors"]
    assert error["file"] == "rules/tx/2025/endorsement-arts-humanities.yaml"
    assert error["code"] == "unknown-course"
    assert "'LATIN3'" in error["message"]
    assert body["warnings"] == []  # the bundled tree's own warnings are not the draft's


def test_a_rule_set_sharing_a_catalogs_id_does_not_replace_the_catalog(
    client: TestClient,
) -> None:
    # The draft replaced every bundled file with its (id, year), catalogs too: a rule set named
    # tx-2025 took the Texas catalog away, and with it every check of the courses it names.
    head = HEAD.replace("id: draft-diploma", "id: tx-2025")
    body = _validate(client, head + "requirements:\n  math:\n    course: ALG9\n")
    assert body["valid"] is False
    assert _codes(body) == ["unknown-course"]
    good = _validate(client, head + "requirements:\n  math:\n    course: ALG1\n")
    assert good == {"valid": True, "kind": "ruleset", "errors": [], "warnings": []}


def test_an_unknown_goal_kind_is_a_422_naming_the_kinds(client: TestClient) -> None:
    # A misspelt kind answered an empty list, as if there were no such goals.
    response = client.get("/v1/goals?kind=endorsment", headers=auth())
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert error["loc"] == ["query", "kind"]
    assert "'endorsement'" in error["msg"]
    found = client.get("/v1/goals?kind=endorsement", headers=auth()).json()
    assert found
    assert all(g["kind"] == "endorsement" for g in found)


def _course(course_id: str, prerequisite: str | None = None) -> str:
    line = (
        f"  - {{id: {course_id}, title: {course_id}, subject: math, credits: 1, "
        "grade_levels: [9, 10, 11, 12], terms: [year]"
    )
    return line + (f", prerequisites: {{course: {prerequisite}}}}}" if prerequisite else "}")


def test_course_detail_fits_its_schema_in_a_large_catalog(tmp_path: Path) -> None:
    # A course unlocking 600 courses, or depending on 250, failed the answer's own maxItems
    # (500 and 200): a 500 for a catalog that loads fine. Every one is listed, none cut.
    lines = [CATALOG_HEAD.replace("id: draft-catalog", "id: big-2025"), "courses:", _course("ROOT")]
    lines += [_course(f"U{i}", "ROOT") for i in range(600)]
    lines += [_course(f"C{i}", f"C{i - 1}" if i else "ROOT") for i in range(250)]
    folder = tmp_path / "catalogs" / "tx" / "2025"
    folder.mkdir(parents=True)
    (folder / "courses.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for name in ("rules", "careers"):
        (tmp_path / name).mkdir()
    with TestClient(create_app(settings(root=tmp_path)), raise_server_exceptions=False) as big:
        root = big.get("/v1/courses/ROOT", headers=auth())
        assert root.status_code == 200, root.text
        assert len(root.json()["unlocks"]) == 601  # U0..U599 and C0
        assert {"U0", "U599", "C0"} <= set(root.json()["unlocks"])
        last = big.get("/v1/courses/C249", headers=auth())
        assert last.status_code == 200, last.text
        assert len(last.json()["prerequisites"]) == 250  # C0..C248 and ROOT


def test_a_course_page_says_which_catalog_it_searched(client: TestClient) -> None:
    """A year before every loaded catalog is answered from the oldest: the page says so."""
    for year in (2000, 2025, 2031):
        page = client.get(f"/v1/catalogs/tx/{year}/courses?limit=1", headers=auth()).json()
        assert (page["catalog"], page["catalog_year"]) == ("tx-2025", 2025)


def test_thousands_of_unknown_prerequisites_are_all_listed_the_first_hundred_with_a_hint(
    client: TestClient,
) -> None:
    # Each hint scans the catalog: 3000 of them took 15 s of one request. Every problem is
    # still listed; only the first 100 say "did you mean".
    lines = [CATALOG_HEAD, "courses:", _course("GEOMETRY")]
    lines += [_course(f"K{i}", f"GEOMETRX{i}") for i in range(150)]
    errors = _validate(client, "\n".join(lines) + "\n")["errors"]
    assert isinstance(errors, list)
    unknown = [e["message"] for e in errors if e["code"] == "unknown-course"]
    assert len(unknown) == 150
    assert all("did you mean 'GEOMETRY'" in m for m in unknown[:100])
    assert not any("did you mean" in m for m in unknown[100:])


def test_a_blank_career_search_is_no_search(client: TestClient) -> None:
    everything = client.get("/v1/goals", headers=auth()).json()
    blank = client.get("/v1/goals", params={"q": "  "}, headers=auth()).json()
    assert blank == everything != []
