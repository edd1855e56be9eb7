"""The generator's vocabulary is the seeds' vocabulary (plus the deliberate bad values)."""

from __future__ import annotations

import csv
import re

from lead_funnel.paths import SEEDS_DIR
from lead_funnel_tools.generator.vocab import (
    COUNTRIES,
    EMPLOYEE_BANDS,
    FAST_LANE_FORMS,
    INDUSTRIES,
    LEAD_SOURCES,
    MAPPED_STATUSES,
    PAGES,
    PERSONA_POINTS,
    REASONS,
    REVENUE_BANDS,
    SENIORITY_POINTS,
    TITLES,
    UNMAPPED_LEAD_SOURCES,
)


def seed(name: str) -> list[dict[str, str]]:
    with open(SEEDS_DIR / f"{name}.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_statuses_reasons_sources_and_forms_are_mapped() -> None:
    assert {r["status_value"] for r in seed("lead_status_map")} >= set(MAPPED_STATUSES)
    assert {r["reason_label"] for r in seed("rejection_reasons")} == set(REASONS)
    assert {r["form_name"] for r in seed("fast_lane_forms")} == set(FAST_LANE_FORMS)
    channel_map = {r["source_value"]: r["channel"] for r in seed("channel_map")}
    channels = [r["channel"] for r in seed("channels")]
    for text, code in LEAD_SOURCES:
        if text in UNMAPPED_LEAD_SOURCES:
            assert text not in channel_map
        else:
            assert channel_map[text] == channels[code]


def test_fit_points_equal_the_seed() -> None:
    points = {
        (r["dimension"], r["dimension_value"]): float(r["fit_points"])
        for r in seed("icp_fit_points")
    }
    for name, value, _ in INDUSTRIES:
        assert points.get(("industry", name), 0) == value
    for band in EMPLOYEE_BANDS:
        assert points[("employee_band", band[0])] == band[3]
    for band in REVENUE_BANDS:
        assert points[("revenue_band", band[0])] == band[3]
    for name, in_area, _, _ in COUNTRIES:
        assert points.get(("country", name), 0) == (10 if in_area else 0)
    for name, value in SENIORITY_POINTS.items():
        assert points[("seniority", name)] == value
    for name, value in PERSONA_POINTS.items():
        assert points[("persona", name)] == value


def _first_match(rules: list[dict[str, str]], key: str, title: str) -> str:
    for rule in sorted(rules, key=lambda r: int(r["priority"])):
        if re.search(rule["title_pattern"], title.lower()):
            return rule[key]
    return ""


def test_titles_classify_as_intended_by_the_title_rules() -> None:
    seniority_rules = seed("title_seniority_rules")
    persona_rules = seed("title_persona_rules")
    for title, seniority, persona, _ in TITLES:
        found = _first_match(seniority_rules, "seniority", title) or "individual_contributor"
        assert found == seniority, title
        assert _first_match(persona_rules, "persona", title) == persona, title


def test_intent_pages_match_the_page_rules() -> None:
    patterns = {r["url_pattern"]: r["activity_kind"] for r in seed("page_rules")}
    kinds = {1: "blog_view", 2: "pricing_view", 3: "comparison_view", 4: "roi_calculator_view",
             5: "case_study_view"}  # fmt: skip
    for path, kind in PAGES:
        matched = [k for p, k in patterns.items() if p in path]
        if kind in kinds:
            assert kinds[kind] in matched, path
