"""Headless Debian chromium: render a page as a person's browser would, and read it back."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
)
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def run_chromium(page: Path, profile: Path, *args: str, timeout: float = 180) -> tuple[str, float]:
    """stdout and wall-clock seconds of one headless chromium call on the page."""
    started = time.perf_counter()
    completed = subprocess.run(
        [
            chromium() or "chromium",
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            *args,
            page.resolve().as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    return completed.stdout, time.perf_counter() - started


@dataclass
class DrawnChart:
    classes: set[str] = field(default_factory=set)
    bar_texts: list[str] = field(default_factory=list)


class RenderedPage(HTMLParser):
    """What the rendered DOM holds: per chart div the SVG classes drawn and the bar labels,
    the embedded chart specs, and the headline tiles."""

    def __init__(self) -> None:
        super().__init__()
        self.charts: dict[str, DrawnChart] = {}
        self.specs: dict[str, dict] = {}
        self.tiles: dict[str, str] = {}
        self.section_ids: list[str] = []
        self.external_sources: list[str] = []
        self._stack: list[tuple[str, str | None, set[str]]] = []
        self._spec_key: str | None = None
        self._spec_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        classes = set(values.get("class", "").split())
        chart = self._stack[-1][1] if self._stack else None
        element_id = values.get("id", "")
        if element_id.startswith("chart-"):
            chart = element_id.removeprefix("chart-")
            self.charts.setdefault(chart, DrawnChart())
        if chart is not None:
            self.charts[chart].classes |= classes
        if tag == "section" and element_id:
            self.section_ids.append(element_id)
        if "tile" in classes and "data-metric" in values:
            self.tiles[values["data-metric"]] = values.get("data-value", "")
        if tag == "script" and "chart-spec" in classes:
            self._spec_key, self._spec_text = values["data-chart"], []
        for name in ("src", "href"):
            if values.get(name, "").startswith(("http://", "https://", "//")):
                self.external_sources.append(values[name])
        if tag not in VOID_TAGS:
            self._stack.append((tag, chart, classes))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID_TAGS:
            self._stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._spec_key is not None:
            self.specs[self._spec_key] = json.loads("".join(self._spec_text))
            self._spec_key = None
        while self._stack:
            if self._stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._spec_key is not None:
            self._spec_text.append(data)
            return
        if self._stack:
            tag, chart, classes = self._stack[-1]
            if chart is not None and tag == "text" and "bartext" in classes:
                self.charts[chart].bar_texts.append(data)


def parse_rendered(dom: str) -> RenderedPage:
    page = RenderedPage()
    page.feed(dom)
    page.close()
    return page
