"""Salesforce row versions of one block: leads, lead history, tasks, opportunities, contacts.

The lead row is versioned: one version at creation and one after every status change (and at
a soft delete), carrying the state then (status, rejection reason, BANT flags once qualified,
conversion ids once converted). History rows are immutable ``Status`` changes (old -> new) and
``Rejection_Reason__c`` changes at the same instant. Tasks are versioned: scheduled (``Not
Started``), then done (``Completed``) - some are never done. Opportunities get a version per
stage change; their ``StageName`` history is written for nine in ten of them.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from lead_funnel_tools.generator.block import Block
from lead_funnel_tools.generator.funnel import (
    T_ATTEMPT,
    T_FOLLOW_UP,
    T_HAND_RAISER,
    T_PROSPECT,
    T_QUALIFY,
)
from lead_funnel_tools.generator.journeys import simulate_journeys
from lead_funnel_tools.generator.landing import Frame, concat, sync_lags
from lead_funnel_tools.generator.rng import choice, stream
from lead_funnel_tools.generator.vocab import (
    CALL_DISPOSITIONS,
    COUNTRIES,
    DEPARTMENTS,
    FIRST_NAMES,
    INDUSTRIES,
    LAST_NAMES,
    LEAD_SOURCE_TEXTS,
    OPP_STAGES,
    PERSONA_DEPARTMENT,
    REASONS,
    S_CONVERTED,
    S_OPEN,
    STATUSES,
    TASK_STATUSES,
    TASK_SUBJECTS,
    TASK_SUBTYPES,
    TASK_TYPES,
    TITLES,
)
from lead_funnel_tools.generator.worktime import DAY, HOUR, MINUTE, NULL_TIME
from lead_funnel_tools.generator.world import World
from lead_funnel_tools.generator.writer import codes, nullable

IntArray = npt.NDArray[np.int64]
HISTORY_VALUES = STATUSES + REASONS
HISTORY_FIELDS = ("Status", "Rejection_Reason__c", "StageName", "Amount")
STAGE_NAMES = tuple(s[0] for s in OPP_STAGES)

LEAD_EXPRS = {
    "id": "sfid('00Q', lead_num)",
    "owner_id": "sfid('005', owner_num)",
    "converted_account_id": "sfid('001', converted_account_num)",
    "converted_contact_id": "sfid('003', converted_contact_num)",
    "converted_opportunity_id": "sfid('006', converted_opportunity_num)",
    "master_record_id": "sfid('00Q', master_record_num)",
}
HISTORY_EXPRS = {
    "id": "sfid('017', history_num)",
    "lead_id": "sfid('00Q', lead_num)",
    "created_by_id": "sfid('005', user_num)",
}
TASK_EXPRS = {
    "id": "sfid('00T', task_num)",
    "who_id": "sfid('00Q', lead_num)",
    "owner_id": "sfid('005', user_num)",
}
OPP_EXPRS = {
    "id": "sfid('006', opp_num)",
    "account_id": "sfid('001', account_num)",
    "owner_id": "sfid('005', user_num)",
    "campaign_id": "sfid('701', campaign_num)",
    "name": "company_name || ' - New Business'",
}
OPP_HISTORY_EXPRS = {
    "id": "sfid('018', history_num)",
    "opportunity_id": "sfid('006', opp_num)",
    "created_by_id": "sfid('005', user_num)",
}
CONTACT_EXPRS = {
    "id": "sfid('003', contact_num)",
    "account_id": "sfid('001', account_num)",
    "owner_id": "sfid('005', user_num)",
}
MEMBER_EXPRS = {
    "id": "sfid('00v', member_num)",
    "campaign_id": "sfid('701', campaign_num)",
    "lead_id": "sfid('00Q', lead_num)",
}


def _group_starts(key: IntArray) -> np.ndarray:
    return np.r_[True, key[1:] != key[:-1]] if len(key) else np.zeros(0, dtype=bool)


def _ffill_index(valid: np.ndarray, starts: np.ndarray) -> IntArray:
    """Index of the last row at or before each row that is valid or starts its group."""
    idx = np.where(valid | starts, np.arange(len(valid)), 0)
    return np.maximum.accumulate(idx) if len(idx) else idx


def _lead_static(world: World, block: Block, rows: IntArray) -> Frame:
    """Lead columns that do not change with status, for lead codes ``rows``."""
    p = block.people
    idx = pa.array(rows)
    industry = p.industry[rows]
    employees = p.employees[rows]
    return {
        "owner_num": p.owner[rows] + 1,
        "created_date": p.created[rows],
        "lead_source": codes(p.source[rows], LEAD_SOURCE_TEXTS),
        "email": block.email.take(idx),
        "first_name": codes(p.first[rows], FIRST_NAMES),
        "last_name": codes(p.last[rows], LAST_NAMES),
        "title": codes(p.title[rows], [t[0] for t in TITLES]),
        "company": block.company_name.take(idx),
        "industry": codes(industry, [i[0] for i in INDUSTRIES]),
        "number_of_employees": nullable(employees, employees < 0),
        "annual_revenue": p.revenue[rows],
        "country": codes(p.country[rows], [c[0] for c in COUNTRIES]),
    }


def lead_versions(world: World, block: Block) -> Frame:
    """Every version of every lead row of the block (sorted by lead, then time)."""
    p, st, bad = block.people, block.funnel.status, block.bad
    n = len(p)
    lead = np.concatenate([np.arange(n), st["lead"], bad.deleted])
    t = np.concatenate([p.created, st["t"], bad.deleted_at])
    kind = np.concatenate([np.zeros(n), np.ones(len(st["lead"])), np.full(len(bad.deleted), 2)])
    src = np.concatenate([np.zeros(n), np.arange(len(st["lead"])), np.zeros(len(bad.deleted))])
    order = np.lexsort((kind, t, lead))
    lead, t, kind, src = (
        lead[order],
        t[order],
        kind[order].astype(np.int64),
        src[order].astype(np.int64),
    )
    starts = _group_starts(lead)
    is_event = kind == 1
    ev_status = np.where(is_event, st["status"][src] if len(src) else 0, S_OPEN)
    status = ev_status[_ffill_index(is_event, starts)]
    ev_reason = np.where(is_event, st["reason"][src] if len(src) else -1, -1)
    reason_idx = _ffill_index(ev_reason >= 0, starts)
    reason = np.where(ev_reason[reason_idx] >= 0, ev_reason[reason_idx], -1)
    ev_bant = np.where(is_event, st["bant"][src] if len(src) else -1, -1)
    bant_idx = _ffill_index(ev_bant >= 0, starts)
    bant = np.where(ev_bant[bant_idx] >= 0, ev_bant[bant_idx], -1)
    conv_ev = is_event & (ev_status == S_CONVERTED)
    conv_idx = _ffill_index(conv_ev, starts)
    converted = conv_ev[conv_idx]
    converted_at = np.where(converted, t[conv_idx], NULL_TIME)
    del_idx = _ffill_index(kind == 2, starts)
    deleted = kind[del_idx] == 2
    opp = block.opp_of_lead[lead]
    has_opp = converted & (opp >= 0)
    account = p.company[lead] + 1
    frame = _lead_static(world, block, lead)
    no_bant = bant < 0
    bits = np.maximum(bant, 0)
    frame.update({
        "lead_num": block.lead_num(lead),
        "last_modified_date": t,
        "status": codes(status, STATUSES),
        "is_converted": converted,
        "converted_date": converted_at,
        "converted_account_num": nullable(account, ~has_opp),
        "converted_contact_num": nullable(block.id_base + opp, ~has_opp),
        "converted_opportunity_num": nullable(block.id_base + opp, ~has_opp),
        "rejection_reason_c": codes(reason, REASONS),
        "bant_budget_c": nullable((bits & 1) > 0, no_bant),
        "bant_authority_c": nullable((bits & 2) > 0, no_bant),
        "bant_need_c": nullable((bits & 4) > 0, no_bant),
        "bant_timeline_c": nullable((bits & 8) > 0, no_bant),
        "master_record_num": nullable(np.zeros(len(lead), dtype=np.int64), np.ones(len(lead), bool)),
        "is_deleted": deleted,
        "__key": block.lead_num(lead),
        "__t": t,
    })  # fmt: skip
    future = np.isin(lead, block.bad.future_modified)
    frame["__future"] = future
    rng = stream(block.spec.seed, "block", block.spec.index, "lag", "lead")
    frame["__lag"] = sync_lags(rng, len(lead))
    return concat([frame, _merge_losers(world, block)])


def _merge_losers(world: World, block: Block) -> Frame:
    """Duplicate leads later merged into a survivor: created, then deleted with a master id."""
    bad = block.bad
    k = len(bad.sf_merge_winner)
    if k == 0:
        return {}
    winners = np.repeat(bad.sf_merge_winner, 2)
    version = np.tile([0, 1], k)
    t = np.where(version == 0, np.repeat(bad.sf_merge_created, 2), np.repeat(bad.sf_merge_at, 2))
    num = block.extra_base + np.repeat(np.arange(k), 2)
    merged = version == 1
    frame = _lead_static(world, block, winners)
    frame["created_date"] = np.repeat(bad.sf_merge_created, 2)
    m = len(winners)
    none = np.ones(m, dtype=bool)
    zeros = np.zeros(m, dtype=np.int64)
    frame.update({
        "lead_num": num,
        "last_modified_date": t,
        "status": codes(np.full(m, S_OPEN), STATUSES),
        "is_converted": np.zeros(m, dtype=bool),
        "converted_date": np.full(m, NULL_TIME, dtype=np.int64),
        "converted_account_num": nullable(zeros, none),
        "converted_contact_num": nullable(zeros, none),
        "converted_opportunity_num": nullable(zeros, none),
        "rejection_reason_c": codes(np.full(m, -1), REASONS),
        "bant_budget_c": nullable(np.zeros(m, bool), none),
        "bant_authority_c": nullable(np.zeros(m, bool), none),
        "bant_need_c": nullable(np.zeros(m, bool), none),
        "bant_timeline_c": nullable(np.zeros(m, bool), none),
        "master_record_num": nullable(block.lead_num(winners), ~merged),
        "is_deleted": merged,
        "__key": num,
        "__t": t,
        "__future": np.zeros(m, dtype=bool),
    })  # fmt: skip
    rng = stream(block.spec.seed, "block", block.spec.index, "lag", "lead_merge")
    frame["__lag"] = sync_lags(rng, m, 0.0)
    return frame


def lead_history(world: World, block: Block) -> Frame:
    """``Status`` and ``Rejection_Reason__c`` history rows (immutable)."""
    st = block.funnel.status
    lead, t, status, reason = st["lead"], st["t"], st["status"], st["reason"]
    m = len(lead)
    starts = _group_starts(lead)
    old_status = np.where(starts, S_OPEN, np.r_[S_OPEN, status[:-1]])
    has_reason = reason >= 0
    reason_idx = _ffill_index(has_reason, starts)
    prev_reason_idx = np.r_[0, reason_idx[:-1]]
    prev_valid = ~starts & has_reason[prev_reason_idx]
    old_reason = np.where(prev_valid, reason[prev_reason_idx], -1)
    rows_r = np.flatnonzero(has_reason)
    base = block.id_base
    t_out = t.copy()
    ooo = np.isin(lead, block.bad.out_of_order) & starts
    rng = stream(block.spec.seed, "block", block.spec.index, "history")
    created = block.people.created[lead]
    t_out[ooo] = created[ooo] - rng.integers(HOUR, 3 * DAY, int(ooo.sum()))
    status_rows = {
        "history_num": base + np.arange(m),
        "lead_num": block.lead_num(lead),
        "created_date": t_out,
        "user_num": st["user"] + 1,
        "field": np.zeros(m, dtype=np.int64),
        "old_value": old_status,
        "new_value": status,
        "__t": t,
    }
    reason_rows = {
        "history_num": block.extra_base + rows_r,
        "lead_num": block.lead_num(lead[rows_r]),
        "created_date": t[rows_r],
        "user_num": st["user"][rows_r] + 1,
        "field": np.ones(len(rows_r), dtype=np.int64),
        "old_value": np.where(old_reason[rows_r] >= 0, old_reason[rows_r] + len(STATUSES), -1),
        "new_value": reason[rows_r] + len(STATUSES),
        "__t": t[rows_r],
    }
    frame = concat([status_rows, reason_rows])
    frame["field"] = codes(frame["field"], HISTORY_FIELDS)
    frame["old_value"] = codes(frame["old_value"], HISTORY_VALUES)
    frame["new_value"] = codes(frame["new_value"], HISTORY_VALUES)
    frame["is_deleted"] = np.zeros(len(frame["__t"]), dtype=bool)
    lag_rng = stream(block.spec.seed, "block", block.spec.index, "lag", "history")
    frame["__lag"] = sync_lags(lag_rng, len(frame["__t"]))
    return frame


_SUBJECT_BY_KIND = {
    T_PROSPECT: 0,
    T_HAND_RAISER: 5,
    2: 0,
    T_QUALIFY: 3,
    T_ATTEMPT: 0,
    T_FOLLOW_UP: 1,
}


def task_versions(world: World, block: Block) -> Frame:
    """Tasks: a ``Not Started`` version when scheduled, a ``Completed`` one when done."""
    tk = block.funnel.touches
    m = len(tk["lead"])
    rng = stream(block.spec.seed, "block", block.spec.index, "tasks")
    ttype = choice(rng, [0.5, 0.35, 0.15], m)
    subject = (
        np.vectorize(_SUBJECT_BY_KIND.get, otypes=[np.int64])(tk["kind"])
        if m
        else np.zeros(0, np.int64)
    )
    subject = np.where((ttype == 1) & (subject == 0), 1, np.where(ttype == 2, 2, subject))
    subject = np.where((ttype == 1) & (tk["kind"] == T_HAND_RAISER), 4, subject)
    attempt = np.isin(tk["kind"], (T_ATTEMPT, T_PROSPECT))
    disposition = np.where(
        attempt,
        choice(rng, [0.0, 0.45, 0.5, 0.05, 0.0], m),
        choice(rng, [0.55, 0.2, 0.1, 0.0, 0.15], m),
    )
    disposition = np.where(ttype == 0, disposition, -1)
    done = tk["completed"]
    deleted = np.zeros(m, dtype=bool)
    if block.bad.count:
        deleted[rng.choice(m, size=min(m, max(1, block.bad.count // 3)), replace=False)] = True
    created = np.where(done, np.minimum(tk["created"], tk["t"]), tk["created"])
    due = np.where(done, tk["t"], tk["created"] + 2 * DAY)
    num = block.id_base + np.arange(m)
    # versions: scheduled (all), done (completed ones), deleted (a few, after the last)
    v_task = np.concatenate([np.arange(m), np.flatnonzero(done), np.flatnonzero(deleted)])
    v_kind = np.concatenate(
        [np.zeros(m), np.ones(int(done.sum())), np.full(int(deleted.sum()), 2)]
    ).astype(np.int64)
    order = np.lexsort((v_kind, v_task))
    v_task, v_kind = v_task[order], v_kind[order]
    last_t = np.where(done, tk["t"], created)
    t = np.select(
        [v_kind == 0, v_kind == 1], [created[v_task], tk["t"][v_task]], last_t[v_task] + 3 * DAY
    )
    completed_v = (v_kind >= 1) & done[v_task]
    frame: Frame = {
        "task_num": num[v_task],
        "lead_num": block.lead_num(tk["lead"][v_task]),
        "user_num": tk["user"][v_task] + 1,
        "type": codes(ttype[v_task], TASK_TYPES),
        "task_subtype": codes(np.minimum(ttype[v_task], 2), TASK_SUBTYPES),
        "subject": codes(subject[v_task], TASK_SUBJECTS),
        "status": codes(completed_v.astype(np.int64), TASK_STATUSES),
        "activity_date": due[v_task],
        "completed_date_time": np.where(completed_v, tk["t"][v_task], NULL_TIME),
        "created_date": created[v_task],
        "call_disposition": codes(disposition[v_task], CALL_DISPOSITIONS),
        "is_deleted": v_kind == 2,
        "__key": num[v_task],
        "__t": t,
    }
    lag_rng = stream(block.spec.seed, "block", block.spec.index, "lag", "task")
    frame["__lag"] = sync_lags(lag_rng, len(v_task))
    return frame


def opportunity_versions(world: World, block: Block) -> tuple[Frame, Frame]:
    """Opportunity versions (one per stage) and their field history rows."""
    op = block.funnel.opps
    k = len(op["lead"])
    if k == 0:
        return {}, {}
    rng = stream(block.spec.seed, "block", block.spec.index, "opps")
    p = block.people
    lead = op["lead"]
    stage_t = np.stack(
        [op["created"], op["discovery"], op["proposal"], op["negotiation"], op["close"]], axis=1
    )
    final = np.where(op["won"], 4, 5)
    stage = np.broadcast_to(np.arange(5), (k, 5)).copy()
    stage[:, 4] = final
    reached = stage_t > 0
    reached[:, 0] = True
    opp_i, col = np.nonzero(reached)
    t = stage_t[opp_i, col]
    st = stage[opp_i, col]
    closed = col == 4
    amount_final = op["amount"]
    changes = rng.random(k) < 0.2
    amount_start = np.where(
        changes, np.round(amount_final * rng.uniform(0.8, 1.25, k), -2), amount_final
    )
    amount = np.where((col >= 2) | ~changes[opp_i], amount_final[opp_i], amount_start[opp_i])
    expected_close = op["created"] + 90 * DAY
    no_history = rng.random(k) < 0.1
    ooo = np.zeros(k, dtype=bool)
    lost = np.flatnonzero(~op["won"])
    if block.bad.count and len(lost):
        pick = rng.choice(lost, size=min(len(lost), max(1, block.bad.count // 2)), replace=False)
        ooo[pick] = True
        no_history[pick] = True
    close_date = np.where(closed, t, expected_close[opp_i])
    close_date = np.where(
        closed & ooo[opp_i], op["created"][opp_i] - rng.integers(1, 10, len(t)) * DAY, close_date
    )
    probs = np.array([s[1] for s in OPP_STAGES])
    forecast = tuple(s[2] for s in OPP_STAGES)
    num = block.id_base + np.arange(k)
    frame: Frame = {
        "opp_num": num[opp_i],
        "account_num": p.company[lead][opp_i] + 1,
        "user_num": op["owner"][opp_i] + 1,
        "campaign_num": world.calendar.number[p.campaign[lead]][opp_i],
        "company_name": block.company_name.take(pa.array(lead[opp_i])),
        "stage_name": codes(st, STAGE_NAMES),
        "amount": amount,
        "probability": probs[st],
        "forecast_category": codes(st, forecast),
        "is_closed": closed,
        "is_won": closed & (st == 4),
        "close_date": close_date,
        "created_date": op["created"][opp_i],
        "lead_source": codes(p.source[lead][opp_i], LEAD_SOURCE_TEXTS),
        "type": codes(np.zeros(len(t), np.int64), ("New Business",)),
        "is_deleted": np.zeros(len(t), dtype=bool),
        "__key": num[opp_i],
        "__t": t,
    }
    frame["__lag"] = sync_lags(
        stream(block.spec.seed, "block", block.spec.index, "lag", "opp"), len(t)
    )
    # history: every stage change after creation (not for no-history opportunities)
    h = np.flatnonzero((col > 0) & ~no_history[opp_i])
    prev_stage = np.r_[0, st[:-1]]
    hist: Frame = {
        "history_num": block.id_base + h,
        "opp_num": num[opp_i[h]],
        "created_date": t[h],
        "user_num": op["owner"][opp_i[h]] + 1,
        "field": codes(np.full(len(h), 2), HISTORY_FIELDS),
        "old_value": codes(prev_stage[h], STAGE_NAMES),
        "new_value": codes(st[h], STAGE_NAMES),
        "is_deleted": np.zeros(len(h), dtype=bool),
        "__t": t[h],
    }
    amt = np.flatnonzero(changes & ~no_history & (stage_t[:, 2] > 0))
    amount_hist: Frame = {
        "history_num": block.extra_base + amt,
        "opp_num": num[amt],
        "created_date": stage_t[amt, 2] + MINUTE,
        "user_num": op["owner"][amt] + 1,
        "field": codes(np.full(len(amt), 3), HISTORY_FIELDS),
        "old_value": pa.array(
            np.char.mod("%.1f", amount_start[amt]).astype(str) if len(amt) else np.zeros(0, str),
            pa.string(),
        ),
        "new_value": pa.array(
            np.char.mod("%.1f", amount_final[amt]).astype(str) if len(amt) else np.zeros(0, str),
            pa.string(),
        ),
        "is_deleted": np.zeros(len(amt), dtype=bool),
        "__t": stage_t[amt, 2] + MINUTE,
    }
    hist = concat([hist, amount_hist])
    if hist:
        hist["__lag"] = sync_lags(
            stream(block.spec.seed, "block", block.spec.index, "lag", "opph"), len(hist["__t"])
        )
    return frame, hist


def contact_rows(world: World, block: Block) -> Frame:
    """Contacts created when leads converted (same person, the company's account)."""
    op = block.funnel.opps
    k = len(op["lead"])
    if k == 0:
        return {}
    p = block.people
    lead = op["lead"]
    persona = [TITLES[i][2] for i in range(len(TITLES))]
    dept = np.array([PERSONA_DEPARTMENT[x] for x in persona])[p.title[lead]]
    frame: Frame = {
        "contact_num": block.id_base + np.arange(k),
        "account_num": p.company[lead] + 1,
        "user_num": op["owner"] + 1,
        "email": block.email.take(pa.array(lead)),
        "first_name": codes(p.first[lead], FIRST_NAMES),
        "last_name": codes(p.last[lead], LAST_NAMES),
        "title": codes(p.title[lead], [t[0] for t in TITLES]),
        "department": codes(dept, DEPARTMENTS),
        "lead_source": codes(p.source[lead], LEAD_SOURCE_TEXTS),
        "created_date": op["created"],
        "is_deleted": np.zeros(k, dtype=bool),
        "__key": block.id_base + np.arange(k),
        "__t": op["created"],
    }
    frame["__lag"] = sync_lags(
        stream(block.spec.seed, "block", block.spec.index, "lag", "contact"), k
    )
    return frame


def campaign_member_versions(world: World, block: Block) -> Frame:
    """One membership per lead in its campaign; webinar members change at the live date."""
    p = block.people
    n = len(p)
    webinar = (p.event_at > 0) & (p.channel == 4)
    rows = np.concatenate([np.arange(n), np.flatnonzero(webinar)])
    version = np.concatenate([np.zeros(n), np.ones(int(webinar.sum()))]).astype(np.int64)
    order = np.lexsort((version, rows))
    rows, version = rows[order], version[order]
    statuses = ("Responded", "Registered", "Attended", "No Show", "Sent")
    first = np.where(
        p.channel == 4, 1, np.where(p.channel == 5, 2, np.where(p.channel == 10, 4, 0))
    )
    later = np.where(p.webinar_attended, 2, 3)
    status = np.where(version == 0, first[rows], later[rows])
    responded = status != 4
    t = np.where(
        version == 0, p.created[rows], np.maximum(p.event_at[rows], p.created[rows]) + HOUR
    )
    num = block.id_base + rows
    frame: Frame = {
        "member_num": num,
        "campaign_num": world.calendar.number[p.campaign[rows]],
        "lead_num": block.lead_num(rows),
        "status": codes(status, statuses),
        "has_responded": responded,
        "first_responded_date": np.where(responded, p.created[rows], NULL_TIME),
        "created_date": p.created[rows],
        "is_deleted": np.zeros(len(rows), dtype=bool),
        "__key": num,
        "__t": t,
    }
    frame["__lag"] = sync_lags(
        stream(block.spec.seed, "block", block.spec.index, "lag", "member"), len(rows)
    )
    return concat([frame, _journey_members(world, block)])


def _journey_members(world: World, block: Block) -> Frame:
    """Responses to other campaigns along the lead's journey (not nurture emails: Marketo)."""
    j = simulate_journeys(world, block)
    rows = np.flatnonzero(~j.via_marketo)
    statuses = ("Responded", "Registered", "Attended", "No Show", "Sent")
    status = np.where(j.channel[rows] == 4, 2, 0)
    num = block.extra_base + rows
    frame: Frame = {
        "member_num": num,
        "campaign_num": world.calendar.number[j.campaign[rows]],
        "lead_num": block.lead_num(j.lead[rows]),
        "status": codes(status, statuses),
        "has_responded": np.ones(len(rows), dtype=bool),
        "first_responded_date": j.t[rows],
        "created_date": j.t[rows],
        "is_deleted": np.zeros(len(rows), dtype=bool),
        "__key": num,
        "__t": j.t[rows],
    }
    frame["__lag"] = sync_lags(
        stream(block.spec.seed, "block", block.spec.index, "lag", "journey_member"), len(rows)
    )
    return frame
