"""Drawing a sample on a tablet (768x1024): a multi-agency programme, the rule, the preview, confirm; with
JavaScript and without it."""

import pytest

from tests.browser.conftest import assert_accessible, assert_touch_targets, sign_in


def _date(page, legend, day, month, year):
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(day)
    group.get_by_label("Month").fill(month)
    group.get_by_label("Year").fill(year)


def _new_multi_agency_programme(page, name):
    page.goto("/programmes/new")
    page.get_by_label("Name").fill(name)
    page.get_by_label("Multi-agency").check()
    _date(page, "Start of the period", "1", "3", "2026")
    _date(page, "End of the period", "31", "3", "2026")
    _date(page, "Audits due by", "15", "4", "2026")
    page.get_by_label("Audit tool").select_option(index=1)
    page.get_by_role("button", name="Create programme").click()
    page.get_by_role("heading", name=name).wait_for()


@pytest.mark.parametrize("fixture", ["page", "page_without_js"])
def test_a_qa_lead_previews_and_confirms_a_stratified_sample(request, fixture):
    page = request.getfixturevalue(fixture)
    sign_in(page, "qa@example.org")
    name = f"Multi-agency sample {fixture}"
    _new_multi_agency_programme(page, name)
    page.get_by_role("button", name="Draw a sample").click()
    page.get_by_role("heading", name="Draw a sample").wait_for()
    assert_accessible(page, "draw a sample")
    assert_touch_targets(page, "draw a sample")

    page.get_by_role("button", name="Preview the sample").click()  # nothing chosen: the server says what to fix
    summary = page.locator(".govuk-error-summary")
    assert summary.get_by_text("Select how to draw the sample").is_visible()
    assert summary.get_by_text("Select at least one auditor").is_visible()
    assert_accessible(page, "draw a sample with errors")

    page.get_by_label("Stratified", exact=True).check()
    page.get_by_label("Team", exact=True).check()
    page.get_by_label("Number of cases").fill("3")
    page.get_by_label("Pat Police (external)").check()
    page.get_by_label("Round-robin across the auditors").check()
    page.get_by_role("button", name="Preview the sample").click()
    page.get_by_role("heading", name="Check the sample before you confirm it").wait_for()
    rule = page.locator("#sample-rule").inner_text()
    assert rule.startswith("Stratified by team, 3 cases, seed ")
    assert page.get_by_text("Cases drawn (3)").is_visible()
    assert_accessible(page, "sample preview")
    assert_touch_targets(page, "sample preview")

    page.get_by_role("button", name="Confirm and assign these cases").click()
    page.get_by_role("heading", name=name).wait_for()
    assert page.get_by_text(rule.rstrip(".")).count() >= 1
    audits = page.locator("table", has=page.locator("caption", has_text="Audits in this programme"))
    assert audits.locator("tbody tr").count() == 3
    assert audits.get_by_role("cell", name="Pat Police (external)").count() == 3
    assert_accessible(page, "programme with its sample")
    assert_touch_targets(page, "programme with its sample")

    page.get_by_role("link", name="Swap").first.click()  # swap a drawn case, with the reason
    page.get_by_role("button", name="Swap the case").click()
    assert page.locator(".govuk-error-summary").get_by_text("Enter why this case is swapped").is_visible()
    assert_accessible(page, "swap with an error")
    page.get_by_label("Why swap this case?").fill("The case closed before the audit period.")
    page.get_by_role("button", name="Swap the case").click()
    assert page.get_by_text("Swapped ").is_visible()
