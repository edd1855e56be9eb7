"""The funnel report: one self-contained HTML page rendered from the published serve file.

`render_report(serve_path, out)` reads the marts and their data health read-only and
writes the page atomically (a temporary file renamed over `out`).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from lead_funnel.report.model import ReportContext, Section
from lead_funnel.report.page import render_page
from lead_funnel.report.sections import SECTIONS


@dataclass(frozen=True)
class ReportResult:
    path: Path
    sections: tuple[str, ...]
    bytes: int
    seconds: float


def build_sections(context: ReportContext) -> list[Section]:
    return [section for build in SECTIONS if (section := build(context)) is not None]


def render_report(serve_path: Path, out: Path) -> ReportResult:
    started = time.perf_counter()
    if not Path(serve_path).exists():
        raise FileNotFoundError(f"{serve_path} does not exist: run `lead-funnel run` first")
    with duckdb.connect(str(serve_path), read_only=True) as con:
        context = ReportContext.open(con, str(serve_path))
        sections = build_sections(context)
        page = render_page(context, sections)
    out.parent.mkdir(parents=True, exist_ok=True)
    temporary = out.with_name(f".{out.name}.tmp")
    temporary.write_text(page, encoding="utf-8")
    os.replace(temporary, out)
    return ReportResult(
        path=out,
        sections=tuple(s.key for s in sections),
        bytes=out.stat().st_size,
        seconds=round(time.perf_counter() - started, 2),
    )
