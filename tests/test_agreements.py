"""Agreements as data: their lifecycle from their entries, their money, their pages, rows and data package."""

import csv
import io
import json
import re
import shutil

import pytest

from tests.conftest import FIXTURES, entry_text, site_config, write_files
from timeline.errors import BuildFailed
from timeline.pipeline import build_site

SITE = FIXTURES / "agreements" / "content"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    output = tmp_path_factory.mktemp("agreements") / "site"
    build_site(site_config(SITE, output, base_url="https://example.org/", search=False))
    return output


def read(site, path):
    return (site / path).read_text(encoding="utf-8")


def agreement_rows(site):
    return {row["id"]: row for row in csv.DictReader(io.StringIO(read(site, "data/agreements.csv")))}


def test_status_is_the_stage_of_the_latest_step_and_signed_the_date_of_the_signed_one(built):
    rows = agreement_rows(built)
    assert (rows["uk-security-2024"]["status"], rows["uk-security-2024"]["status_date"]) == ("delivering", "2024-09")
    assert rows["uk-security-2024"]["signed"] == "2024-01-12"
    assert (rows["drone-deal"]["status"], rows["drone-deal"]["signed"]) == ("negotiating", "")
    assert rows["nordic-2024"]["countries"] == "SE;NO"


def test_amounts_stay_exact_in_their_currency_and_are_converted_at_the_year_s_average_rate(built):
    records = {record["id"]: record for record in json.loads(read(built, "data/agreements.json"))}
    uk = records["uk-security-2024"]
    assert [(amount["value"], amount["currency"], amount["stage"], amount["entry"]) for amount in uk["amounts"]] == [
        (2500000000, "GBP", "signed", "uk-signs"),
        (200000000, "GBP", "delivering", "uk-delivers"),
    ]
    assert uk["amounts"][0]["eur"] == round(2500000000 / 0.8466166015625)  # the 2024 average GBP rate
    assert "announced alongside the agreement" in uk["amounts"][0]["scope"]
    assert '"value": 2500000000,' in read(built, "data/agreements.json")  # a number, exact, not 2.5e9
    rows = agreement_rows(built)
    assert rows["uk-security-2024"]["amounts"] == "2700000000 GBP"  # committed, from the signing on
    assert rows["drone-deal"]["amounts"] == ""  # proposed money is not committed


def test_entries_carry_their_agreements_stage_and_amount(built):
    records = {record["slug"]: record for record in json.loads(read(built, "data/entries.json"))}
    assert records["nordic-sign"]["agreements"] == ["nordic-2024"]
    assert records["nordic-sign"]["stage"] == "signed"
    assert records["nordic-sign"]["amount"]["value"] == 6200000000
    assert records["nordic-sign"]["amount"]["currency"] == "NOK"
    assert records["drone-talks"]["amount"] is None
    rows = {row["slug"]: row for row in csv.DictReader(io.StringIO(read(built, "data/entries.csv")))}
    assert (rows["uk-signs"]["agreements"], rows["uk-signs"]["stage"]) == ("uk-security-2024", "signed")
    assert rows["uk-signs"]["amount"] == "2500000000 GBP"


def test_the_data_package_describes_the_csv_files_and_validates(built):
    from frictionless import validate

    report = validate(str(built / "data" / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note"])
    package = json.loads(read(built, "data/datapackage.json"))
    resources = {resource["name"]: resource for resource in package["resources"]}
    assert {"entries", "agreements", "steps"} <= set(resources)
    fields = {field["name"]: field for field in resources["agreements"]["schema"]["fields"]}
    assert "security-agreement" in fields["kind"]["constraints"]["enum"]
    assert "in-force" in fields["status"]["constraints"]["enum"]
    keys = resources["steps"]["schema"]["foreignKeys"]
    assert {"fields": ["agreement"], "reference": {"resource": "agreements", "fields": ["id"]}} in keys
    assert package["licenses"][0]["name"] == "CC-BY-4.0"


def test_the_agreements_page_lists_every_agreement_with_filters_totals_and_a_chart(built):
    page = read(built, "agreements/index.html")
    assert page.count("<tr data-row") == 3
    row = 'data-key="uk-security-2024" data-partners="GB" data-kind="security-agreement" data-status="delivering"'
    assert row in page
    assert "£2.7 billion" in page and "≈ €3.19 billion" in page
    assert 'id="chart-committed-title"' in page and "Show the numbers" in page
    assert "1 delivering" in page and "1 signed" in page
    assert 'download="agreements.csv"' in page


def test_an_agreement_page_shows_its_lifecycle_without_inventing_stages(built):
    page = read(built, "agreements/drone-deal/index.html")
    track = re.search(r'<ol class="track">(.*?)</ol>', page, re.DOTALL).group(1)
    assert re.findall(r'<li class="([\w-]+)"', track) == ["reached", "not-reached", "reached"] + ["not-reached"] * 5
    assert 'aria-current="step"' in track and "Not signed" in page
    assert 'href="../../entries/drone-proposal/"' in page  # the [[slug]] links in its description
    uk = read(built, "agreements/uk-security-2024/index.html")
    assert "Money, step by step" in uk and "at the average rate of 2024" in uk


def test_entry_pages_cards_partner_pages_and_the_timeline_show_the_agreements(built):
    entry = read(built, "entries/uk-signs/index.html")
    link = 'href="../../agreements/uk-security-2024/">UK–Ukraine Agreement on Security Co-operation</a>: signed'
    assert link in entry
    assert "£2.5 billion (≈ €2.95 billion, at the average rate of 2024)" in entry
    assert '<span class="badge badge-stage">Delivering</span>' in read(built, "index.html")
    partner = read(built, "partners/se/index.html")
    assert 'href="../../agreements/nordic-2024/"' in partner and "Signed, 31 May 2024" in partner
    assert "2 security agreements signed" in read(built, "index.html")


def test_a_missing_rate_leaves_the_amount_in_its_currency_with_a_warning(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(SITE, content)
    write_files(content, {"2026/pln.md": entry_text(
        title="An amount in zloty", date="2026-02-03", countries="[IT]", agreement="drone-deal", stage="negotiating",
        amount='"PLN 40m"',
    )})  # fmt: skip
    report = build_site(site_config(content, tmp_path / "site", search=False))
    assert [warning.message for warning in report.warnings] == [
        "no euro rate for PLN in 2026 in eur-rates.csv; the amount is shown in its own currency only"
    ]
    assert "PLN\u00a040 million" in read(tmp_path / "site", "entries/pln/index.html")
    with pytest.raises(BuildFailed):
        build_site(site_config(content, tmp_path / "strict", search=False, strict=True))
