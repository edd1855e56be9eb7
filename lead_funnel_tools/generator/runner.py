"""Landing a world into the raw schemas: block by block, then the shared tables.

``land`` writes everything that syncs in ``(e_prev, e_now]``: ``generate`` calls it from the
beginning of time to the window end, ``append_days`` from the old end to the new one. Each
block is simulated, emitted and written before the next starts (bounded memory); facts that
span blocks (campaign lead counts, first conversions and wins per company) are folded as we
go and the shared tables are written last.
"""

from __future__ import annotations

import queue
import threading
import time
from collections import defaultdict

import duckdb
import numpy as np

from lead_funnel_tools.generator.activities import simulate_activities
from lead_funnel_tools.generator.bad_input import future_offset, hashed_pick
from lead_funnel_tools.generator.block import Block, simulate_block
from lead_funnel_tools.generator.crm import (
    CONTACT_EXPRS,
    HISTORY_EXPRS,
    LEAD_EXPRS,
    MEMBER_EXPRS,
    OPP_EXPRS,
    OPP_HISTORY_EXPRS,
    TASK_EXPRS,
    campaign_member_versions,
    contact_rows,
    lead_history,
    lead_versions,
    opportunity_versions,
    task_versions,
)
from lead_funnel_tools.generator.emit import emit_events, emit_versions
from lead_funnel_tools.generator.landing import Frame, concat
from lead_funnel_tools.generator.marketo import (
    MKTO_LEAD_EXPRS,
    committee_contacts,
    marketo_lead_versions,
    marketo_people,
)
from lead_funnel_tools.generator.report import Progress
from lead_funnel_tools.generator.shared_tables import (
    ACCOUNT_EXPRS,
    CAMPAIGN_EXPRS,
    PROGRAM_EXPRS,
    ROLE_EXPRS,
    USER_EXPRS,
    WorldFacts,
    account_versions,
    activity_type_rows,
    add_block_facts,
    campaign_versions,
    membership_versions,
    new_facts,
    role_rows,
    user_rows,
)
from lead_funnel_tools.generator.world import World
from lead_funnel_tools.generator.writer import insert

LAST_CPU: dict[str, float] = {}  # writer-thread CPU seconds per table of the last run
SF = "raw_salesforce."
MK = "raw_marketo."


class Rates:
    """Per-row rates of the row-level bad-input kinds, from the world's ``bad_rate``."""

    def __init__(self, bad_rate: float) -> None:
        r = bad_rate
        self.lead_dup, self.lead_null = r / 10, r / 30
        self.history_dup, self.history_null = r / 30, r / 50
        self.task_dup, self.task_null, self.task_future = r / 20, r / 100, r / 60
        self.opp_dup = r * 2
        self.activity_dup, self.activity_null, self.activity_future = r / 200, r / 200, r / 150
        self.mkto_dup = r / 10


class Writer:
    """Inserts frames in a background thread, in submission order, and counts rows per table.

    The simulation of the next block (NumPy) runs while DuckDB writes the previous one, so
    both cores work; the queue is bounded so at most a couple of blocks are held in memory.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, queue_size: int = 48) -> None:
        self.con = con
        self.counts: dict[str, int] = defaultdict(int)
        self.cpu: dict[str, float] = defaultdict(float)
        self._queue: queue.Queue[tuple[str, Frame | str, dict[str, str] | None] | None] = (
            queue.Queue(maxsize=queue_size)
        )
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            if self._error is not None:
                continue
            table, frame, exprs = item
            began = time.thread_time()
            try:
                if table == "__sql__":
                    self.con.execute(str(frame))
                else:
                    self.counts[table] += insert(self.con, table, frame, exprs)  # type: ignore[arg-type]
            except BaseException as error:  # re-raised in the caller's thread by close()
                self._error = error
            self.cpu[table] += time.thread_time() - began

    def __call__(self, table: str, frame: Frame, exprs: dict[str, str] | None = None) -> None:
        if self._error is not None:
            raise self._error
        if frame:
            self._queue.put((table, frame, exprs))

    def sql(self, statement: str) -> None:
        """Run a statement in the writer thread, in order with the inserts."""
        self._queue.put(("__sql__", statement, None))

    def close(self) -> None:
        """Wait for every queued write; raise the first error any of them had."""
        self._queue.put(None)
        self._thread.join()
        if self._error is not None:
            raise self._error


def _future_lead_times(frame: Frame, e_now: int) -> Frame:
    if not frame or "__future" not in frame:
        return frame
    future = np.asarray(frame["__future"])
    if future.any():
        values = np.asarray(frame["last_modified_date"]).copy()
        keys = np.asarray(frame["__key"])[future]
        values[future] = e_now + future_offset(keys, 11)
        frame["last_modified_date"] = values
    return frame


def _future_task_times(frame: Frame, e_now: int, rate: float) -> Frame:
    if not frame:
        return frame
    done = np.asarray(frame["completed_date_time"]) > 0
    pick = hashed_pick(np.asarray(frame["__key"]), rate, 13) & done
    if pick.any():
        values = np.asarray(frame["completed_date_time"]).copy()
        values[pick] = e_now + future_offset(np.asarray(frame["__key"])[pick], 13)
        frame["completed_date_time"] = values
    return frame


def write_block(write: Writer, world: World, block: Block, e_prev: int, e_now: int) -> None:
    """Emit and write every row of one block synced in ``(e_prev, e_now]``."""
    rates = Rates(world.spec.bad_rate)
    leads = emit_versions(lead_versions(world, block), e_prev, e_now, id_column="lead_num",
                          resync_rate=rates.lead_dup, null_rate=rates.lead_null, salt=1)  # fmt: skip
    write(SF + "lead", _future_lead_times(leads, e_now), LEAD_EXPRS)
    write(SF + "lead_history", emit_events(lead_history(world, block), e_prev, e_now,
          id_column="history_num", resync_rate=rates.history_dup, null_rate=rates.history_null,
          salt=2), HISTORY_EXPRS)  # fmt: skip
    tasks = emit_versions(task_versions(world, block), e_prev, e_now, id_column="task_num",
                          resync_rate=rates.task_dup, null_rate=rates.task_null, salt=3)  # fmt: skip
    write(SF + "task", _future_task_times(tasks, e_now, rates.task_future), TASK_EXPRS)
    opps, opp_history = opportunity_versions(world, block)
    write(SF + "opportunity", emit_versions(opps, e_prev, e_now, id_column="opp_num",
          resync_rate=rates.opp_dup, salt=4), OPP_EXPRS)  # fmt: skip
    write(SF + "opportunity_field_history", emit_events(opp_history, e_prev, e_now,
          id_column="history_num", resync_rate=rates.history_dup, salt=5), OPP_HISTORY_EXPRS)  # fmt: skip
    mp = marketo_people(world, block)
    contacts = concat([contact_rows(world, block), committee_contacts(world, block, mp)])
    write(SF + "contact", emit_versions(contacts, e_prev, e_now, id_column="contact_num",
          resync_rate=0.0, salt=6), CONTACT_EXPRS)  # fmt: skip
    write(SF + "campaign_member", emit_versions(campaign_member_versions(world, block), e_prev,
          e_now, id_column="member_num", resync_rate=0.0, salt=7), MEMBER_EXPRS)  # fmt: skip
    write(MK + "lead", emit_versions(marketo_lead_versions(world, block, mp), e_prev, e_now,
          id_column="id", resync_rate=rates.mkto_dup, salt=8), MKTO_LEAD_EXPRS)  # fmt: skip
    write(MK + "program_membership", emit_versions(membership_versions(world, block, mp), e_prev,
          e_now, id_column="lead_id", resync_rate=0.0, salt=9))  # fmt: skip
    for i, (table, frame) in enumerate(simulate_activities(world, block, mp).items()):
        visit = table == "activity_visit_webpage"
        emitted = emit_events(
            frame, e_prev, e_now, id_column="id", resync_rate=rates.activity_dup,
            null_rate=rates.activity_null if visit else 0.0,
            future_rate=rates.activity_future if visit else 0.0,
            future_column="activity_date" if visit else None, salt=20 + i,
        )  # fmt: skip
        write(MK + table, emitted)


def write_shared(write: Writer, world: World, facts: WorldFacts, e_prev: int, e_now: int) -> None:
    """Emit and write the rows shared by all blocks."""

    def versions(frame: Frame, key: str) -> Frame:
        return emit_versions(frame, e_prev, e_now, id_column=key, resync_rate=0.0)

    write(SF + "user_role", versions(role_rows(world), "role_num"), ROLE_EXPRS)
    write(SF + "user", versions(user_rows(world), "user_num"), USER_EXPRS)
    campaigns, programs = campaign_versions(world, facts)
    write(SF + "campaign", versions(campaigns, "campaign_num"), CAMPAIGN_EXPRS)
    write(MK + "program", versions(programs, "id"), PROGRAM_EXPRS)
    write(SF + "account", versions(account_versions(world, facts), "account_num"), ACCOUNT_EXPRS)
    write(MK + "activity_type", versions(activity_type_rows(world), "id"))


def land(
    con: duckdb.DuckDBPyConnection,
    world: World,
    e_prev: int,
    e_now: int,
    progress: Progress,
    commit_each_block: bool = True,
) -> dict[str, int]:
    """Write everything of the world that syncs in ``(e_prev, e_now]``; rows per table."""
    write = Writer(con)
    try:
        facts = new_facts(world)
        for spec in world.spec.blocks:
            block = simulate_block(world, spec)
            add_block_facts(facts, block)
            if commit_each_block:
                write.sql("BEGIN TRANSACTION")
            write_block(write, world, block, e_prev, e_now)
            if commit_each_block:
                write.sql("COMMIT")
            del block
            progress.step(f"block {spec.index + 1}")
        write_shared(write, world, facts, e_prev, e_now)
    finally:
        write.close()
    progress.step("shared tables")
    LAST_CPU.clear()
    LAST_CPU.update(write.cpu)
    return dict(write.counts)
