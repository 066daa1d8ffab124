"""The counselor workbench in headless Chromium against a real uvicorn.

A counselor loads a sample student, adds a goal, makes what-if changes and shares a summary; every
number the page shows is checked against the API's own answer for the same request. axe-core runs
on each main view at 1280 px and 390 px; screenshots go to ``test-output/screenshots/``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import ROOT
from tests.web.conftest import api, sample, start_server, stop

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")

STUDENT = "tx-sophomore-off-track"
ADDED_GOAL = "tx-endorsement-stem"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
FAMILY = {
    "met": "done",
    "in_progress": "on track if the current courses are passed",
    "unmet": "not yet done",
}
LABEL = {"met": "Met", "in_progress": "In progress", "unmet": "Unmet"}
SCENARIOS = [
    {
        "name": "Scenario A",
        "regrade": [{"course": "ALG1", "grade_level": 10, "term": "year", "grade": "B"}],
    },
    {
        "name": "Scenario B",
        "drop": [{"course": "SPAN1", "grade_level": 10, "term": "year"}],
        "goals": ["tx-fhsp"],
    },
]


def fmt(x: float) -> str:
    """Numbers as the page prints them: integers bare, others to two places at most."""
    return str(int(x)) if float(x).is_integer() else str(round(x, 2))


def axe(page: Any, source: str, view: str) -> None:
    """No serious or critical axe-core violation on what the page shows now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=source)
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:4]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not bad, f"axe on {view}:\n" + "\n".join(bad)


def counts(goal: dict[str, Any]) -> tuple[int, int, int]:
    statuses = [r["status"] for r in goal["requirements"]]
    return statuses.count("met"), statuses.count("in_progress"), statuses.count("unmet")


def open_page(browser: Any, base: str, viewport: dict[str, int]) -> tuple[Any, Any]:
    # bypass_csp: axe-core is injected as an inline script, which the page's CSP forbids.
    context = browser.new_context(viewport=viewport, accept_downloads=True, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on(
        "response",
        lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None,
    )
    page.goto(f"{base}/")
    page.wait_for_selector(f'#sample-select option[value="{STUDENT}"]', state="attached")
    page.errors = errors
    return context, page


def load_sample(page: Any, name: str = STUDENT) -> None:
    page.select_option("#sample-select", name)
    page.click("#sample-load")
    page.wait_for_selector("#audit-out article.goal")
    page.wait_for_selector("#plan-stats", state="attached")


def check_audit(page: Any, expected: dict[str, Any]) -> None:
    """Each goal card and requirement shows the API's statuses, counts and credits, and the
    notices (versions used in place of the student's catalog year) come first."""
    notices = page.locator("#audit-out .notices li").all_inner_texts()
    assert notices == [f"Note: {n}" for n in expected.get("notices", [])]
    shown = page.locator("#audit-out article.goal").evaluate_all(
        "els => els.map(e => e.dataset.goal)"
    )
    assert shown == [g["goal"] for g in expected["goals"]]
    for g in expected["goals"]:
        card = page.locator(f'article.goal[data-goal="{g["goal"]}"]')
        assert card.locator(".goal-head .badge").get_attribute("data-status") == g["status"]
        assert card.locator(".goal-summary").inner_text() == g["summary"]
        met, progress, unmet = counts(g)
        assert card.locator(".req-count").inner_text() == (
            f"Requirements: {met} met, {progress} in progress, {unmet} unmet"
        )
        top = card.locator(":scope > .reqs > li.req")
        assert top.evaluate_all("els => els.map(e => e.dataset.status)") == [
            r["status"] for r in g["requirements"]
        ]
        assert top.evaluate_all("els => els.map(e => e.querySelector('.reason').textContent)") == [
            r["reason"] for r in g["requirements"]
        ]
        bars = top.evaluate_all(
            "els => els.map(e => e.querySelector(':scope > .progress .bar-text')?.textContent)"
        )
        for r, bar in zip(g["requirements"], bars, strict=True):
            p = r["progress"]
            if not p or not p["needed"]:
                assert bar is None
            elif p["unit"] == "gpa" and r["value"] is not None:
                assert bar == f"GPA {fmt(r['value'])} so far; {fmt(p['needed'])} needed"
            elif p["unit"] != "gpa":
                assert bar.startswith(f"{fmt(p['earned'])} of {fmt(p['needed'])} "), (bar, p)
        if g["credits"]:
            c = g["credits"]
            text = card.locator(":scope > .progress .bar-text").inner_text()
            assert text.startswith(f"{fmt(c['earned'])} of {fmt(c['needed'])} credits earned")
            pending = c["in_progress"] + c["planned"]
            if pending:
                assert f"{fmt(pending)} in progress or planned" in text
        overview = page.locator(f'.overview li[data-goal="{g["goal"]}"] .ov-count')
        assert overview.inner_text().strip() == f"{met} of {len(g['requirements'])} met"


def check_plan(page: Any, expected: dict[str, Any]) -> None:
    stats = page.locator("#plan-stats")
    for key in ("status", "added_credits", "added_courses", "completes", "terms_to_graduation"):
        value = expected[key]
        want = fmt(value) if isinstance(value, int | float) else value
        assert stats.locator(f'dd[data-k="{key}"]').inner_text() == want, key


def test_counselor_flow_at_1280(browser: Any, server: str, axe_source: str, shots: Path) -> None:
    context, page = open_page(browser, server, DESKTOP)
    student = sample(STUDENT)

    # 1. Load a sample student: the audit and plan appear and match the API.
    with page.expect_response("**/v1/plan") as planned:
        load_sample(page)
    check_audit(page, api(server, "POST", "/v1/audit", {"student": student}))
    assert page.locator("#fact-student").inner_text() == student["id"]
    page.screenshot(path=str(shots / "desktop-1-audit.png"), full_page=True)
    axe(page, axe_source, "audit at 1280")
    page_plan = planned.value.json()

    # 2. Add a goal by searching for it.
    page.fill("#goal-q", "stem endorsement")
    button = page.locator(f'#goal-results button[data-goal="{ADDED_GOAL}"]')
    button.wait_for()
    with page.expect_response("**/v1/plan") as planned:
        button.click()
        page.wait_for_selector(f'article.goal[data-goal="{ADDED_GOAL}"]')
    goals = ["tx-fhsp", ADDED_GOAL]
    assert (
        page.locator("#goal-list li.chip").evaluate_all("els => els.map(e => e.dataset.goal)")
        == goals
    )
    check_audit(page, api(server, "POST", "/v1/audit", {"student": student, "goals": goals}))
    page_plan = planned.value.json()

    # 3. The plan: the numbers match the API, and the grid holds every planned course.
    page.click("#tab-plan")
    page.wait_for_selector("#plan-stats")
    # The page asked for this plan and shows the API's answer; asked again, the API agrees
    # (when both solves are proven optimal: a loaded machine may stop a solve early).
    plan_body = {"student": student, "goals": goals, "constraints": {"allow_summer": True}}
    assert planned.value.request.post_data_json == plan_body
    check_plan(page, page_plan)
    again = api(server, "POST", "/v1/plan", plan_body)
    if page_plan["status"] == again["status"] == "optimal":
        check_plan(page, again)
    for term in page_plan["terms"]:
        cell = page.locator(f'td[data-cell="{term["grade_level"]}-{term["term"]}"] .cc.plan .cid')
        assert sorted(cell.all_inner_texts()) == sorted(term["planned"])
    done = page.locator('td[data-cell="9-fall"] .cc .cid').all_inner_texts()
    assert {"ENG1", "FPF"} <= set(done)
    assert "HEALTH" not in done  # a spring course
    page.wait_for_selector("#chain-svg g.node")
    nodes = page.locator("#chain-svg g.node").evaluate_all("els => els.map(e => e.dataset.course)")
    assert {"GEOM", "ALG1"} <= set(nodes)  # Geometry's chain reaches Algebra I
    assert page.locator('#chain-svg path.edge[data-from="ALG1"][data-to="GEOM"]').count() == 1
    page.screenshot(path=str(shots / "desktop-2-plan.png"), full_page=True)
    axe(page, axe_source, "plan at 1280")

    # 4. What-if: regrade a course in one scenario; drop one and remove a goal in another.
    page.click("#tab-compare")
    page.select_option("#sc0-regrade-row", "9")  # ALG1, grade 10, in progress
    page.fill("#sc0-regrade-grade", "b")
    page.locator("#sc0-regrade-grade + button").click()
    page.click("#scenario-add")
    page.select_option("#sc1-drop", "12")  # SPAN1, grade 10
    page.locator("#sc1-drop + button").click()
    page.click(f'button[aria-label="Remove goal {title(page, ADDED_GOAL)} from Scenario B"]')
    with page.expect_response("**/v1/whatif") as compared:
        page.click("#compare-go")
    page.wait_for_selector("#compare-table")
    body = {
        "student": student,
        "goals": goals,
        "constraints": {"allow_summer": True},
        "scenarios": SCENARIOS,
    }
    expected = whatif_shown(server, compared.value, body)
    check_compare(page, expected)
    page.screenshot(path=str(shots / "desktop-3-compare.png"), full_page=True)
    axe(page, axe_source, "compare at 1280")

    # 5. Share: the family summary, printed, and the scenario file.
    page.click("#tab-summary")
    summary = page.locator("#summary-out")
    audit = expected["base"]["audit"]
    for g in audit["goals"]:
        assert f"{g['title']}: {FAMILY[g['status']]}" in summary.inner_text()
    base_plan = expected["base"]["plan"]
    for s in expected["scenarios"]:
        said = summary.locator(f'#family-whatifs li[data-scenario="{s["name"]}"]').inner_text()
        plan = s["plan"]
        assert f"{fmt(plan['added_credits'])} more credit" in said
        if plan["added_credits"] != base_plan["added_credits"]:
            assert f"(instead of {fmt(base_plan['added_credits'])})" in said
        for g in s["goals"]:
            if g["before"] and not g["after"]:
                assert f"{title(page, g['goal'])} would no longer be a goal" in said
    axe(page, axe_source, "summary at 1280")
    page.emulate_media(media="print")
    assert not page.locator("aside.side").is_visible()
    assert not page.locator("#print-go").is_visible()
    assert page.locator("#summary-out").is_visible()
    page.screenshot(path=str(shots / "desktop-4-summary-print.png"), full_page=True)
    page.pdf(path=str(shots.parent / "family-summary.pdf"))
    page.emulate_media(media="screen")
    with page.expect_download() as download:
        page.click("#export-go")
    exported = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert exported["format"] == "gradpath-workbench"
    assert exported["student"] == student
    assert exported["goals"] == goals
    assert [s["name"] for s in exported["scenarios"]] == ["Scenario A", "Scenario B"]
    assert exported["scenarios"][0]["regrade"] == SCENARIOS[0]["regrade"]
    assert exported["scenarios"][1]["drop"] == SCENARIOS[1]["drop"]

    # The saved file loads back: same student, goals and scenarios.
    page.reload()
    page.wait_for_selector(f'#sample-select option[value="{STUDENT}"]', state="attached")
    page.click("#paste-box summary")
    page.fill("#json-input", json.dumps(exported))
    page.click("#json-load")
    page.wait_for_selector(f'article.goal[data-goal="{ADDED_GOAL}"]')
    assert page.locator("#scenario-editors fieldset.scenario").count() == 2
    assert not page.errors, page.errors
    context.close()


def whatif_shown(server: str, response: Any, body: dict[str, Any]) -> dict[str, Any]:
    """The what-if answer the page showed, after checking it asked for ``body``.

    Asked again, the API gives the same audits; plan figures are compared when both solves are
    proven optimal (a loaded machine may stop a solve early).
    """
    assert response.request.post_data_json == body
    shown: dict[str, Any] = response.json()
    again = api(server, "POST", "/v1/whatif", body)
    for mine, theirs in zip(
        [shown["base"], *shown["scenarios"]], [again["base"], *again["scenarios"]], strict=True
    ):
        assert mine["audit"] == theirs["audit"]
        if mine["plan"]["status"] == theirs["plan"]["status"] == "optimal":
            assert mine["plan"]["added_credits"] == theirs["plan"]["added_credits"]
    return shown


def title(page: Any, goal: str) -> str:
    text: str = page.locator(f'#goal-list li.chip[data-goal="{goal}"] span').inner_text()
    return text


def check_compare(page: Any, expected: dict[str, Any], removed: str = ADDED_GOAL) -> None:
    """Every cell of the side-by-side table is the API's value; changed cells are marked."""
    columns = [expected["base"], *expected["scenarios"]]
    names = ["base", *(s["name"] for s in expected["scenarios"])]

    def cell(fact: str, i: int) -> Any:
        return page.locator(f'#compare-table tr[data-fact="{fact}"] td[data-scenario="{names[i]}"]')

    rows: dict[str, list[str]] = {}
    for i, col in enumerate(columns):
        for g in col["audit"]["goals"]:
            met, _, _ = counts(g)
            status = cell(f"goal:{g['goal']}", i).locator(".badge").get_attribute("data-status")
            assert status == g["status"]
            rows.setdefault(f"goal:{g['goal']}", []).append(g["status"])
            met_text = f"{met} of {len(g['requirements'])}"
            assert cell(f"met:{g['goal']}", i).inner_text().startswith(met_text)
            rows.setdefault(f"met:{g['goal']}", []).append(met_text)
            if g["credits"]:
                c = g["credits"]
                text = f"{fmt(c['earned'])} of {fmt(c['needed'])}"
                assert cell(f"cr:{g['goal']}", i).inner_text().startswith(text)
        plan = col["plan"]
        for fact, value in (
            ("credits", fmt(plan["added_credits"])),
            ("courses", fmt(plan["added_courses"])),
            ("terms", fmt(plan["terms_to_graduation"])),
            ("completes", plan["completes"] or "—"),
        ):
            assert cell(fact, i).inner_text().startswith(value), (fact, names[i])
            rows.setdefault(fact, []).append(value)
    for fact, values in rows.items():
        for i in range(1, len(columns)):
            if len(values) != len(columns):
                continue  # a goal missing from some scenario: compared by presence below
            marked = "diff" in (cell(fact, i).get_attribute("class") or "")
            assert marked == (values[i] != values[0]), (fact, names[i], values)
    # The last scenario drops a goal: its column shows none for it.
    assert cell(f"goal:{removed}", len(columns) - 1).inner_text().startswith("—")
    for s in expected["scenarios"]:
        box = page.locator(f'article.scenario-result[data-scenario="{s["name"]}"]')
        assert box.locator(".scenario-summary").inner_text() == s["summary"]
        assert box.locator(".req-changes li").count() == len(s["requirements"])


def test_phone_width_is_usable_and_accessible(
    browser: Any, server: str, axe_source: str, shots: Path
) -> None:
    context, page = open_page(browser, server, PHONE)
    load_sample(page)
    check_audit(page, api(server, "POST", "/v1/audit", {"student": sample(STUDENT)}))

    def no_sideways_scroll(view: str) -> None:
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{view}: the page is {width}px wide at 390px"

    no_sideways_scroll("audit")
    page.screenshot(path=str(shots / "phone-1-audit.png"), full_page=True)
    axe(page, axe_source, "audit at 390")
    for tab in ("plan", "compare", "summary"):
        page.click(f"#tab-{tab}")
        if tab == "plan":
            page.wait_for_selector("#chain-svg", state="attached")
        if tab == "compare":
            # Move to California on the 2023 catalog: its diploma replaces the Texas one.
            page.select_option("#sc0-jur", "CA")
            page.select_option("#sc0-year", "2023")
            with page.expect_response("**/v1/whatif") as compared:
                page.click("#compare-go")
            page.wait_for_selector("#compare-table")
            moved = {"name": "Scenario A", "jurisdiction": "CA", "catalog_year": 2023}
            body = {
                "student": sample(STUDENT),
                "goals": ["tx-fhsp"],
                "constraints": {"allow_summer": True},
                "scenarios": [{**moved, "goals": ["ca-grad"]}],
            }
            check_compare(page, whatif_shown(server, compared.value, body), removed="tx-fhsp")
        no_sideways_scroll(tab)
        page.screenshot(path=str(shots / f"phone-{tab}.png"), full_page=True)
        axe(page, axe_source, f"{tab} at 390")
    assert not page.errors, page.errors
    context.close()


def test_keyboard_only(browser: Any, server: str) -> None:
    """Load a student, add a goal and switch views with the keyboard alone."""
    context, page = open_page(browser, server, DESKTOP)
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.id") == "sample-select":
            break
    else:
        pytest.fail("Tab never reached the sample picker")
    page.select_option("#sample-select", STUDENT)
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "sample-load"
    page.keyboard.press("Enter")
    page.wait_for_selector("#audit-out article.goal")
    page.focus("#goal-q")
    page.keyboard.type("ncaa division i")
    page.locator('#goal-results button[data-goal="ncaa-d1"]').wait_for()
    page.focus('#goal-results button[data-goal="ncaa-d1"]')
    page.keyboard.press("Enter")
    page.wait_for_selector('article.goal[data-goal="ncaa-d1"]')
    body = {"student": sample(STUDENT), "goals": ["tx-fhsp", "ncaa-d1"]}
    expected = api(server, "POST", "/v1/audit", body)
    assert any(
        r["progress"] and r["progress"]["unit"] == "gpa" and r["value"] is not None
        for g in expected["goals"]
        for r in g["requirements"]
    )  # the GPA bar is exercised
    check_audit(page, expected)
    page.focus("#tab-audit")
    page.keyboard.press("ArrowRight")
    assert page.evaluate("() => document.activeElement.id") == "tab-plan"
    assert page.locator("#panel-plan").is_visible()
    assert not page.locator("#panel-audit").is_visible()
    page.keyboard.press("End")
    assert page.locator("#panel-summary").is_visible()
    assert "NCAA" in page.locator("#summary-out").inner_text()
    context.close()


def test_with_keys_the_page_asks_for_one_and_keeps_it_in_the_tab(browser: Any) -> None:
    from service.settings import hash_secret

    key = "web-test-key-0123456789"
    keys = [{"id": "counselor", "sha256": hash_secret(key), "scopes": ["evaluate"]}]
    base, proc = start_server({"GRADPATH_API_KEYS": json.dumps(keys)}, open_access=False)
    try:
        context = browser.new_context(viewport=DESKTOP)
        page = context.new_page()
        page.set_default_timeout(15_000)
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{base}/")
        page.wait_for_selector("#error:not([hidden])")
        assert "key" in page.locator("#error").inner_text().lower()
        assert page.locator("#api-key").is_visible()  # the key box opened itself
        page.fill("#api-key", key)
        page.click("#key-save")
        page.wait_for_selector(f'#sample-select option[value="{STUDENT}"]', state="attached")
        load_sample(page)
        expected = api_with_key(base, key, sample(STUDENT))
        check_audit(page, expected)
        stored = page.evaluate("() => [sessionStorage.length, localStorage.length]")
        assert stored == [1, 0]
        assert context.cookies() == []
        assert not errors, errors
        context.close()
    finally:
        stop(proc)


def api_with_key(base: str, key: str, student: dict[str, Any]) -> Any:
    response = httpx.post(
        f"{base}/v1/audit",
        json={"student": student},
        headers={"Authorization": f"Bearer {key}"},
        timeout=60,
    )
    assert response.status_code == 200
    return response.json()


EDFI = ROOT.parent / "shared" / "reference" / "data" / "edfi_sample_student_bundle.json"
CSV = (
    "Student ID,Course Code,Grade Level,Term,Final Grade,Credits\n"
    "A-77,ENG1,9,year,B,1\n"
    "A-77,ALG1,9,fall,B+,0.5\n"
    "A-77,ALG1,9,spring,92,0.5\n"
    "A-77,GEOM,10,year,Z,1\n"
)


@pytest.mark.parametrize("kind", ["csv", "edfi"])
def test_import_a_file_through_the_page(
    browser: Any, server: str, kind: str, tmp_path: Path, shots: Path
) -> None:
    """Upload a course-history CSV or an Ed-Fi bundle: the page shows what the API imported."""
    if kind == "edfi" and not EDFI.exists():
        pytest.skip(f"the Ed-Fi sample bundle is not here ({EDFI})")
    path = tmp_path / ("history.csv" if kind == "csv" else "bundle.json")
    path.write_text(CSV if kind == "csv" else EDFI.read_text(encoding="utf-8"), encoding="utf-8")
    query = "jurisdiction=TX&cohort=2029&grade_level=10" if kind == "csv" else "jurisdiction=TX"
    response = httpx.post(
        f"{server}/v1/import/{kind}?{query}",
        content=path.read_bytes(),
        headers={"content-type": "text/csv" if kind == "csv" else "application/json"},
        timeout=60,
    )
    assert response.status_code == 200, response.text
    imported = response.json()

    context, page = open_page(browser, server, DESKTOP)
    page.click("#import-box summary")
    page.select_option("#import-jur", "TX")
    if kind == "csv":
        page.fill("#import-cohort", "2029")
        page.fill("#import-grade", "10")
    page.set_input_files("#import-file", str(path))
    page.click("#import-go")
    page.wait_for_selector("#audit-out article.goal")
    assert page.locator("#fact-student").inner_text() == imported["student"]["id"]
    rows = len(imported["student"]["transcript"])
    assert page.locator("#student-info dd").nth(4).inner_text() == f"{rows} row" + (
        "" if rows == 1 else "s"
    )
    unmapped = page.locator("#student-info .unmapped li").all_inner_texts()
    assert unmapped == [f"{u['source']}: {u['reason']}" for u in imported["unmapped"]]
    assert page.locator("#student-info .import-warnings").count() == 0  # nothing missing
    # The record names no goal: the page starts from the state's diploma.
    diploma = [g["id"] for g in api(server, "GET", "/v1/goals?kind=graduation&jurisdiction=TX")]
    assert diploma == ["tx-fhsp"]
    body = {"student": imported["student"], "goals": diploma}
    expected = api(server, "POST", "/v1/audit", body)
    if kind == "edfi":  # class of 2028 (its graduation plan): entered grade 9 before 2025
        assert "tx-fhsp has no version for catalog year 2024" in expected["notices"][-1]
    check_audit(page, expected)
    page.screenshot(path=str(shots / f"desktop-import-{kind}.png"))
    assert not page.errors, page.errors
    context.close()


def test_an_edfi_bundle_short_of_a_transcript_is_flagged_on_the_page(
    browser: Any, server: str, tmp_path: Path
) -> None:
    """The counselor sees the import's warning (the SIS counts a session's credits that the
    bundle's transcripts do not hold) beside the record, before reading its gaps as real."""
    if not EDFI.exists():
        pytest.skip(f"the Ed-Fi sample bundle is not here ({EDFI})")
    bundle = json.loads(EDFI.read_text(encoding="utf-8"))
    del bundle["courseTranscripts"][3]  # BIO-01, Spring 2025
    path = tmp_path / "short.json"
    path.write_text(json.dumps(bundle), encoding="utf-8")
    context, page = open_page(browser, server, DESKTOP)
    page.click("#import-box summary")
    page.select_option("#import-jur", "TX")
    page.set_input_files("#import-file", str(path))
    page.click("#import-go")
    page.wait_for_selector("#student-info .import-warnings li")
    [warning] = page.locator("#student-info .import-warnings li").all_inner_texts()
    assert warning.startswith("studentAcademicRecords[1] (school year 2025, Spring Semester)")
    assert "course transcripts may be missing" in warning
    assert page.locator("#student-info .import-warnings").get_attribute("role") == "status"
    assert not page.errors, page.errors
    context.close()


def test_bad_input_gets_a_clear_message(browser: Any, server: str) -> None:
    """Broken JSON and a record the API refuses are explained on the page, nothing is kept."""
    context, page = open_page(browser, server, DESKTOP)
    page.click("#paste-box summary")
    page.fill("#json-input", '{"id": "S-1", "transcript": [')
    page.click("#json-load")
    assert "not valid JSON" in page.locator("#error").inner_text()

    record = {**sample(STUDENT), "first_name": "Pat"}
    refused = httpx.post(f"{server}/v1/audit", json={"student": record}, timeout=60)
    assert refused.status_code == 422
    page.fill("#json-input", json.dumps(record))
    page.click("#json-load")
    page.wait_for_selector("#error:not([hidden]) li")
    shown = page.locator("#error").inner_text()
    assert refused.json()["title"] in shown
    assert "first_name" in shown  # where the problem is
    assert page.locator("#audit-out article.goal").count() == 0
    page.errors.clear()  # the 422 itself is expected here
    context.close()


def test_scenarios_keep_distinct_names(browser: Any, server: str) -> None:
    """Scenarios are told apart by name in the comparison, so names never collide."""
    context, page = open_page(browser, server, DESKTOP)
    load_sample(page)
    page.click("#tab-compare")
    page.click("#scenario-add")
    page.click("#scenario-add")
    legends = page.locator("#scenario-editors legend")
    assert legends.all_inner_texts() == ["Scenario A", "Scenario B", "Scenario C"]
    assert page.locator("#scenario-add").is_disabled()  # at most three beside the record
    page.click('#scenario-editors fieldset[data-scenario="0"] >> text=Delete Scenario A')
    page.click("#scenario-add")
    assert legends.all_inner_texts() == ["Scenario B", "Scenario C", "Scenario A"]
    page.fill("#sc0-name", "Scenario C")
    page.locator("#sc0-name").evaluate("e => e.dispatchEvent(new Event('change'))")
    assert "names must differ" in page.locator("#error").inner_text()
    assert legends.all_inner_texts() == ["Scenario B", "Scenario C", "Scenario A"]
    assert not page.errors, page.errors
    context.close()


def test_a_transfer_row_given_by_sced_can_be_dropped_and_regraded(
    browser: Any, server: str
) -> None:
    """Transfer rows have a SCED code and no catalog id: the page names them by SCED (it sent
    no course at all, and the what-if was refused)."""
    context, page = open_page(browser, server, DESKTOP)
    load_sample(page, "tx-transfer-sced")
    page.click("#tab-compare")
    page.select_option("#sc0-drop", "2")  # Biology, SCED 03051, grade 9
    page.locator("#sc0-drop + button").click()
    page.select_option("#sc0-regrade-row", "1")  # Algebra I, SCED 02052, grade 9
    page.fill("#sc0-regrade-grade", "c")
    page.locator("#sc0-regrade-grade + button").click()
    assert "Drop SCED 03051 (grade 9 year)" in page.locator("#scenario-editors").inner_text()
    with page.expect_response("**/v1/whatif") as compared:
        page.click("#compare-go")
    page.wait_for_selector("#compare-table")
    assert compared.value.status == 200
    (scenario,) = compared.value.request.post_data_json["scenarios"]
    assert scenario["drop"] == [{"sced": "03051", "grade_level": 9, "term": "year"}]
    assert scenario["regrade"] == [
        {"sced": "02052", "grade_level": 9, "term": "year", "grade": "C"}
    ]
    assert not page.errors, page.errors
    context.close()
