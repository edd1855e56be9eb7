"""Long steps keep talking: the latest status repeats while nothing else is reported."""

from __future__ import annotations

import time

import pytest

from lead_funnel import progress


def test_a_heartbeat_repeats_the_latest_status_only_when_the_step_is_quiet(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(progress.PROGRESS_ENV, "1")
    with progress.Heartbeat("dbt", "parsing", every=0.3) as beat:
        time.sleep(0.75)  # quiet: two repeats
        beat.update("3 of 10 nodes done", force=True)
        beat.update("4 of 10 nodes done")  # just reported: not repeated yet
        time.sleep(0.6)  # quiet again: the latest status repeats
    lines = [line.split("] ", 1)[1] for line in capsys.readouterr().err.splitlines()]
    statuses = [line.split(" (")[0].split(maxsplit=1)[1] for line in lines]
    first_update = statuses.index("3 of 10 nodes done")
    assert statuses[0] == "parsing" and lines[0] == "dbt      parsing"
    assert first_update >= 2 and set(statuses[:first_update]) == {"parsing"}  # repeated
    assert all(line.endswith("s in this step)") for line in lines[1:])
    # the update right after a report stays quiet; the quiet stretch repeats it
    assert statuses[first_update + 1 :] and set(statuses[first_update + 1 :]) == {
        "4 of 10 nodes done"
    }


def test_no_progress_unless_asked(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv(progress.PROGRESS_ENV, raising=False)
    with progress.Heartbeat("dbt", "parsing", every=0.05):
        time.sleep(0.2)
    assert capsys.readouterr().err == ""
