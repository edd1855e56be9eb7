"""The lead lifecycle: entry, handoff cycles, sales decisions, qualification, conversion.

For every lead of a block, simulated without looking at any window end (the data a run
writes is whatever of this timeline has landed by then, see ``landing``):

1. Before any handoff: outbound leads are prospected by their SDR (touches, then
   ``Working - Contacted``); inbound leads may be parked in ``Nurture`` by the MAP or worked by
   an SDR. About one never-progressed lead in ten has no status change at all.
2. Entry (cycle 1) with a per-channel probability moved by fit: the *fast lane* is a
   hand-raise form (demo request / contact sales / pricing inquiry; the MAP then sets
   ``MQL`` most of the time), the *score lane* an ``MQL`` change by the integration user
   after enough engagement, the *manual lane* an ``MQL`` set by a person (marketing after a
   trade show or a webinar, the SDR for an outbound reply).
3. The SDR's sales decision after a review delay in their working hours: ``Sales Accepted``
   (more likely for high fit), or ``Rejected`` / ``Disqualified`` with a reason from the
   taxonomy that fits the lead (students, competitors, territory, size, channel-typical
   reasons; ~3 % without a reason), or ``Recycled``.
4. Accepted leads are touched and either qualify (``Sales Qualified`` with BANT flags), go
   silent (``Rejected`` / ``No response`` after usually six or more attempts), are recycled
   or disqualified. SQLs convert (``Converted``: an opportunity) or fall back to nurture.
   Some cycles skip a stage (MQL straight to ``Sales Qualified`` or ``Converted``).
5. Recycled and not-now rejected leads re-engage weeks or months later: cycle 2, 3.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from lead_funnel_tools.generator import params as P
from lead_funnel_tools.generator.logs import Log, cycle_log, opportunity_log, status_log, touch_log
from lead_funnel_tools.generator.people import (
    J_COMPETITOR,
    J_CONSULTANT,
    J_CUSTOMER,
    J_INTERN,
    J_INVALID,
    J_NONE,
    J_PERSONAL,
    J_SMALL,
    J_STUDENT,
    J_TERRITORY,
    People,
)
from lead_funnel_tools.generator.rng import (
    calibrate,
    choice,
    choice_rows,
    lognormal,
    stream,
    systematic,
)
from lead_funnel_tools.generator.sales import opportunities
from lead_funnel_tools.generator.sequences import last_per_row, spaced
from lead_funnel_tools.generator.users import Org
from lead_funnel_tools.generator.vocab import (
    C_DEMO,
    C_EVENTS,
    C_OUTBOUND,
    C_WEBINAR,
    CHANNELS,
    F_DEMO,
    R_COMPETITOR,
    R_CUSTOMER,
    R_IN_PIPELINE,
    R_INVALID,
    R_NO_FIT,
    R_NO_RESPONSE,
    R_NOT_EVALUATING,
    R_SIZE,
    R_STUDENT,
    R_TERRITORY,
    ROLE_MARKETING,
    S_CONVERTED,
    S_DISQUALIFIED,
    S_MQL,
    S_NURTURE,
    S_RECYCLED,
    S_REJECTED,
    S_SAL,
    S_SQL,
    S_WORKING,
)
from lead_funnel_tools.generator.worktime import DAY, HOUR, MINUTE, add_working_hours, off_hours

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

LANE_FAST, LANE_SCORE, LANE_MANUAL = 0, 1, 2
O_REJECTED, O_RECYCLED, O_DISQUALIFIED, O_WON, O_LOST = 1, 2, 3, 4, 5
# touch context codes (task subjects)
T_PROSPECT, T_HAND_RAISER, T_PRE_DECISION, T_QUALIFY, T_ATTEMPT, T_FOLLOW_UP = 0, 1, 2, 3, 4, 5
N_GROUPS = len(CHANNELS) + 2  # channels + webinar no-show / attended for lead->MQL
G_WEBINAR_NO_SHOW, G_WEBINAR_ATTENDED = len(CHANNELS), len(CHANNELS) + 1

# per junk trait: (reason, share disqualified rather than rejected); -1: channel's reasons
_JUNK_REASON = {
    J_STUDENT: (R_STUDENT, 0.6),
    J_INTERN: (R_STUDENT, 0.6),
    J_CONSULTANT: (R_STUDENT, 0.4),
    J_COMPETITOR: (R_COMPETITOR, 0.9),
    J_TERRITORY: (R_TERRITORY, 0.8),
    J_INVALID: (R_INVALID, 0.5),
    J_SMALL: (R_SIZE, 0.2),
    J_CUSTOMER: (R_CUSTOMER, 0.1),
}
_HARD_JUNK = (J_STUDENT, J_INTERN, J_CONSULTANT, J_COMPETITOR, J_TERRITORY, J_INVALID, J_CUSTOMER)


@dataclass
class Funnel:
    """Everything the lifecycle produced for one block (arrays keyed like the logs)."""

    status: dict[str, np.ndarray]
    touches: dict[str, np.ndarray]
    cycles: dict[str, np.ndarray]
    opps: dict[str, np.ndarray]


@dataclass
class _Ctx:
    rng: np.random.Generator
    people: People
    org: Org
    status: Log
    touches: Log
    cycles: Log
    opps: Log
    conversions: Log
    carry: dict[str, np.ndarray]


@dataclass
class _Pass:
    """The cycles of one pass (cycle number) and their outcome arrays, filled in place."""

    number: int
    leads: IntArray
    tz: IntArray
    fast: BoolArray
    decision: IntArray
    close: IntArray
    outcome: IntArray
    reason: IntArray
    skip_sal: BoolArray


def _group(people: People, rows: IntArray) -> IntArray:
    group = people.channel[rows].copy()
    web = group == C_WEBINAR
    group[web] = np.where(people.webinar_attended[rows][web], G_WEBINAR_ATTENDED, G_WEBINAR_NO_SHOW)
    return group


def _targets(field: str) -> np.ndarray:
    base = P.channel_array(field)
    return np.r_[base, base[C_WEBINAR], base[C_WEBINAR]]


def _mql_offsets(people: People) -> np.ndarray:
    junk = people.junk
    engaged = np.isin(junk, (J_STUDENT, J_INTERN)) * 0.4
    cold = np.isin(junk, (J_PERSONAL, J_TERRITORY, J_SMALL)) * -0.3 + (junk == J_COMPETITOR) * -1.0
    return P.BETA_MQL * people.fit_z + engaged + cold


def _sal_offsets(people: People, leads: IntArray) -> np.ndarray:
    junk = people.junk[leads]
    hard = np.isin(junk, _HARD_JUNK) * P.JUNK_SAL_PENALTY
    soft = np.isin(junk, (J_SMALL, J_PERSONAL)) * -1.2
    return P.BETA_SAL * people.fit_z[leads] + hard + soft


def _first_entry(ctx: _Ctx) -> tuple[IntArray, IntArray, IntArray]:
    """Which leads reach a first handoff, when, and through which lane."""
    rng, people = ctx.rng, ctx.people
    n = len(people)
    everyone = np.arange(n)
    group = _group(people, everyone)
    target = _targets("p_mql")
    target[G_WEBINAR_NO_SHOW], target[G_WEBINAR_ATTENDED] = P.WEBINAR_P_MQL
    p = calibrate(_mql_offsets(people), group, target)
    will = systematic(rng, p, group, order_key=people.created) | (people.channel == C_DEMO)
    lanes = np.array([P.CHANNEL_PARAMS[c].lanes for c in range(len(CHANNELS))])[people.channel]
    lanes[people.webinar_attended] = (0.10, 0.60, 0.30)
    lane = choice_rows(rng, lanes)
    delay_days = P.channel_array("mql_delay_days")[people.channel]
    t = people.created + (lognormal(rng, np.maximum(delay_days, 0.05), 0.8, n) * DAY).astype(
        np.int64
    )
    t = np.maximum(t, people.created + HOUR)
    fast = lane == LANE_FAST
    t = np.where(
        fast,
        people.created
        + (lognormal(rng, np.maximum(delay_days, 0.05) * 0.7, 0.9, n) * DAY).astype(np.int64),
        t,
    )
    demo = people.channel == C_DEMO
    t[demo] = people.created[demo] + rng.integers(30, 180, int(demo.sum()))
    after_event = (people.event_at > 0) & np.isin(people.channel, (C_WEBINAR, C_EVENTS))
    t_event = np.maximum(people.event_at, people.created) + (
        lognormal(rng, 1.0, 0.7, n) * DAY
    ).astype(np.int64)
    t = np.where(after_event & ~fast, t_event, t)
    return np.flatnonzero(will), t, lane


def _outbound_prospecting(ctx: _Ctx, will: BoolArray, t_mql: IntArray, lane: IntArray) -> IntArray:
    """SDR sequences on outbound leads; a reply makes a manual MQL. Returns updated MQL times."""
    rng, people = ctx.rng, ctx.people
    rows = np.flatnonzero(people.channel == C_OUTBOUND)
    if len(rows) == 0:
        return t_mql
    tz = people.owner_tz[rows]
    first = add_working_hours(people.created[rows], lognormal(rng, 6.0, 0.7, len(rows)), tz)
    count = np.minimum(3 + rng.poisson(2.0, len(rows)), 9)
    reply_at = rng.integers(2, 5, len(rows))
    manual = will[rows] & (lane[rows] == LANE_MANUAL)
    count = np.where(manual, np.minimum(count, reply_at), count)
    r, _, t = spaced(rng, first, count, 14.0, tz)
    t = off_hours(rng, t, 0.05)
    owner = people.owner[rows]
    ctx.touches.add(lead=rows[r], t=t, created=t - rng.integers(10 * MINUTE, 20 * HOUR, len(r)),
                    kind=T_PROSPECT, completed=True, user=owner[r])  # fmt: skip
    ctx.status.add(lead=rows, t=first + MINUTE, status=S_WORKING, user=owner, reason=-1, bant=-1,
                   seq=1)  # fmt: skip
    last = last_per_row(count, t)
    out = t_mql.copy()
    out[rows] = np.where(
        manual,
        add_working_hours(last, lognormal(rng, 2.0, 0.6, len(rows)), tz),
        np.maximum(
            t_mql[rows], last + (lognormal(rng, 10.0, 0.7, len(rows)) * DAY).astype(np.int64)
        ),
    )
    return out


def _pre_cycle(ctx: _Ctx, will: BoolArray, t_mql: IntArray) -> None:
    """Nurture / working statuses before the first handoff (or for leads that never get one)."""
    rng, people = ctx.rng, ctx.people
    n = len(people)
    inbound = people.channel != C_OUTBOUND
    bound = np.where(will, t_mql, people.created + 60 * DAY)
    room = bound - people.created
    u = rng.random(n)
    nurture_share = P.channel_array("nurture_share")[people.channel]
    never = inbound & ~will
    nurture = np.where(never, (u >= 0.10) & (u < 0.65), (u < nurture_share) & (room > DAY))
    working = np.where(never, u >= 0.55, (rng.random(n) < 0.1) & (room > 2 * DAY))
    working &= inbound & (people.channel != C_DEMO)
    nurture &= inbound & (people.channel != C_DEMO)
    t_work = people.created + (room * rng.uniform(0.05, 0.3, n)).astype(np.int64)
    t_work = add_working_hours(t_work, 0.0, people.owner_tz)
    t_nurture = people.created + (room * rng.uniform(0.35, 0.8, n)).astype(np.int64)
    integration = ctx.org.integration_user
    rows = np.flatnonzero(working)
    ctx.status.add(lead=rows, t=np.minimum(t_work[rows], bound[rows] - 2 * MINUTE),
                   status=S_WORKING, user=people.owner[rows], reason=-1, bant=-1, seq=2)  # fmt: skip
    rows = np.flatnonzero(nurture)
    ctx.status.add(lead=rows, t=np.minimum(t_nurture[rows], bound[rows] - MINUTE),
                   status=S_NURTURE, user=integration, reason=-1, bant=-1, seq=3)  # fmt: skip


def _reasons(ctx: _Ctx, leads: IntArray) -> tuple[IntArray, BoolArray, BoolArray]:
    """For not-accepted handoffs: (reason code, disqualified?, recycled?) per cycle."""
    rng, people = ctx.rng, ctx.people
    m = len(leads)
    junk = people.junk[leads]
    channel = people.channel[leads]
    generic = choice_rows(rng, P.reason_matrix()[channel])
    reason = generic.copy()
    disq_share = np.full(m, 0.08)
    for trait, (code, share) in _JUNK_REASON.items():
        hit = junk == trait
        reason[hit] = code
        disq_share[hit] = share
    specific = np.isin(junk, list(_JUNK_REASON))
    recycled = ~specific & (rng.random(m) < P.channel_array("recycle_share")[channel])
    disqualified = ~recycled & (rng.random(m) < disq_share)
    return reason, disqualified, recycled


def _drop_reasons(ctx: _Ctx, reason: IntArray) -> IntArray:
    """About 3 % of rejections and disqualifications are saved without a reason."""
    return np.where(ctx.rng.random(len(reason)) < P.MISSING_REASON_SHARE, -1, reason)


def _close(
    ctx: _Ctx, leads: IntArray, t: IntArray, status: int, reason: IntArray, seq: int
) -> None:
    users = ctx.people.owner[leads]
    ctx.status.add(lead=leads, t=t, status=status, user=users, reason=reason, bant=-1, seq=seq)


def _cycle(
    ctx: _Ctx, number: int, leads: IntArray, t_mql: IntArray, lane: IntArray
) -> tuple[IntArray, IntArray, IntArray]:
    """One handoff cycle for ``leads`` opening at ``t_mql``; returns (close time, outcome, reason)."""
    rng, people, org = ctx.rng, ctx.people, ctx.org
    m = len(leads)
    base = number * 100
    tz = people.owner_tz[leads]
    owner = people.owner[leads]
    channel = people.channel[leads]
    review = org.review_median_wh[owner]
    touch_median = org.touch_median_wh[owner]
    integration = org.integration_user

    # --- entry
    form = np.where(channel == C_DEMO, F_DEMO, choice(rng, [0.45, 0.3, 0.25], m))
    fast = lane == LANE_FAST
    manual = lane == LANE_MANUAL
    marketing = org.of_role(ROLE_MARKETING)
    manual_user = np.where(
        np.isin(channel, (C_EVENTS, C_WEBINAR)),
        marketing[rng.integers(0, len(marketing), m)],
        owner,
    )
    manual_tz = org.tz[manual_user]
    t_mql = np.where(manual, add_working_hours(t_mql, 0.0, manual_tz), t_mql)
    mql_user = np.where(manual, manual_user, integration)
    with_status = ~fast | (rng.random(m) < 0.75)
    t_status = np.where(fast, t_mql + rng.integers(MINUTE, 10 * MINUTE, m), t_mql)
    rows = np.flatnonzero(with_status)
    ctx.status.add(lead=leads[rows], t=t_status[rows], status=S_MQL, user=mql_user[rows],
                   reason=-1, bant=-1, seq=base + 1)  # fmt: skip

    # --- sales review (fast lane: the hand raiser is called first)
    speed = np.where(fast, 0.15, 1.0)
    first_touch_fast = add_working_hours(t_mql, lognormal(rng, touch_median * 0.25, 0.8, m), tz)
    decision = np.where(
        fast,
        add_working_hours(first_touch_fast, lognormal(rng, 0.8, 0.6, m), tz),
        add_working_hours(np.maximum(t_mql, t_status), lognormal(rng, review * speed, 0.9, m), tz),
    )
    decision = off_hours(rng, decision, org.off_hours_share[owner])
    rows = np.flatnonzero(fast)
    ctx.touches.add(lead=leads[rows], t=first_touch_fast[rows], created=t_mql[rows] + MINUTE,
                    kind=T_HAND_RAISER, completed=True, user=owner[rows])  # fmt: skip
    pre = ~fast & (rng.random(m) < 0.25)
    rows = np.flatnonzero(pre)
    t_pre = t_mql[rows] + (
        (decision[rows] - t_mql[rows]) * rng.uniform(0.2, 0.8, len(rows))
    ).astype(np.int64)
    ctx.touches.add(lead=leads[rows], t=t_pre, created=t_mql[rows] + MINUTE, kind=T_PRE_DECISION,
                    completed=True, user=owner[rows])  # fmt: skip

    group = channel
    p_sal = calibrate(_sal_offsets(people, leads), group, P.channel_array("p_sal"))
    accepted = systematic(rng, p_sal, group, ctx.carry["sal"], t_mql)
    close = np.zeros(m, dtype=np.int64)
    outcome = np.zeros(m, dtype=np.int64)
    reason_out = np.full(m, -1, dtype=np.int64)

    # --- not accepted
    rej = np.flatnonzero(~accepted)
    reason, disq, recyc = _reasons(ctx, leads[rej])
    reason = _drop_reasons(ctx, reason)
    status = np.where(recyc, S_RECYCLED, np.where(disq, S_DISQUALIFIED, S_REJECTED))
    reason = np.where(recyc, -1, reason)
    _close(ctx, leads[rej], decision[rej], status, reason, base + 2)
    close[rej] = decision[rej]
    outcome[rej] = np.where(recyc, O_RECYCLED, np.where(disq, O_DISQUALIFIED, O_REJECTED))
    reason_out[rej] = reason

    # --- accepted: qualification
    acc = np.flatnonzero(accepted)
    cyc = _Pass(number, leads, tz, fast, decision, close, outcome, reason_out,
                np.zeros(m, dtype=bool))  # fmt: skip
    sql, t_q = _qualify(ctx, cyc, acc, touch_median)
    conv = _convert(ctx, cyc, sql, t_q)
    rows = acc[~cyc.skip_sal[acc]]
    ctx.status.add(lead=leads[rows], t=decision[rows], status=S_SAL, user=owner[rows], reason=-1,
                   bant=-1, seq=base + 2)  # fmt: skip
    sal_reached = accepted
    sql_reached = np.zeros(m, dtype=bool)
    sql_reached[sql] = True
    opp = np.zeros(m, dtype=bool)
    opp[conv] = True
    won_flag = np.zeros(m, dtype=bool)
    ctx.cycles.add(lead=leads, number=number, lane=lane, t=t_mql, form=form, sal=sal_reached,
                   sql=sql_reached, opp=opp, won=won_flag, close=close, outcome=outcome,
                   decision_t=decision)  # fmt: skip
    return close, outcome, reason_out


def _qualify(
    ctx: _Ctx, cyc: _Pass, acc: IntArray, touch_median: np.ndarray
) -> tuple[IntArray, IntArray]:
    """Touches after acceptance; SQL or a no-response / recycle / disqualify ending.

    Returns the SQL cycles (indices into the pass) and their SQL times.
    """
    rng, people = ctx.rng, ctx.people
    number, leads, decision, tz, fast = cyc.number, cyc.leads, cyc.decision, cyc.tz, cyc.fast
    close, outcome, reason_out, skip_sal = cyc.close, cyc.outcome, cyc.reason, cyc.skip_sal
    base = number * 100
    k = len(acc)
    lead_acc = leads[acc]
    owner = people.owner[lead_acc]
    tz_acc = tz[acc]
    ch = people.channel[lead_acc]
    offsets = P.BETA_SQL * people.fit_z[lead_acc] - 1.0 * (people.junk[lead_acc] != J_NONE)
    p_sql = calibrate(offsets, ch, P.channel_array("p_sql"))
    is_sql = systematic(rng, p_sql, ch, ctx.carry["sql"], decision[acc])
    first = add_working_hours(
        decision[acc],
        lognormal(rng, touch_median[acc] * np.where(fast[acc], 0.6, 1.0), 0.8, k),
        tz_acc,
    )
    u = rng.random(k)
    no_response = ~is_sql & (u < 0.45)
    recycle = ~is_sql & (u >= 0.45) & (u < 0.75)
    other = ~is_sql & (u >= 0.85)
    attempts = np.where(
        rng.random(k) < 0.85, 6 + np.minimum(rng.poisson(1.2, k), 4), rng.integers(2, 6, k)
    )
    count = np.where(
        is_sql, 1 + rng.poisson(1.5, k), np.where(no_response, attempts, 1 + rng.integers(0, 3, k))
    )
    r, _, t = spaced(rng, first, count, 12.0, tz_acc)
    t = off_hours(rng, t, 0.05)
    kind = np.where(no_response[r], T_ATTEMPT, T_QUALIFY)
    ctx.touches.add(lead=lead_acc[r], t=t, created=np.maximum(decision[acc][r], t - rng.integers(10 * MINUTE, 20 * HOUR, len(r))),
                    kind=kind, completed=True, user=owner[r])  # fmt: skip
    last = last_per_row(count, t)
    end = add_working_hours(last, lognormal(rng, np.where(is_sql, 4.0, 8.0), 0.6, k), tz_acc)
    # endings other than SQL
    ends = np.flatnonzero(~is_sql)
    status = np.where(
        no_response[ends] | other[ends],
        S_REJECTED,
        np.where(recycle[ends], S_RECYCLED, S_DISQUALIFIED),
    )
    small = people.fit_z[lead_acc[ends]] < 0
    reason = np.where(no_response[ends], R_NO_RESPONSE,
                      np.where(other[ends], np.where(rng.random(len(ends)) < 0.5, R_IN_PIPELINE, R_NOT_EVALUATING),
                               np.where(small, R_SIZE, R_NO_FIT)))  # fmt: skip
    reason = np.where(recycle[ends], -1, _drop_reasons(ctx, reason))
    _close(ctx, lead_acc[ends], end[ends], status, reason, base + 3)
    close[acc[ends]] = end[ends]
    outcome[acc[ends]] = np.where(
        status == S_RECYCLED, O_RECYCLED, np.where(status == S_REJECTED, O_REJECTED, O_DISQUALIFIED)
    )
    reason_out[acc[ends]] = reason
    # scheduled follow-ups nobody did after a silent lead was rejected
    nd = ends[rng.random(len(ends)) < 0.2]
    ctx.touches.add(lead=lead_acc[nd], t=0, created=end[nd] + HOUR, kind=T_FOLLOW_UP, completed=False,
                    user=owner[nd])  # fmt: skip
    # SQLs
    sql_rows = np.flatnonzero(is_sql)
    sql = acc[sql_rows]
    t_q = end[sql_rows]
    skip_sal[sql] = rng.random(len(sql)) < P.SKIP_SAL_SHARE
    return sql, t_q


def _bant(rng: np.random.Generator, n: int, converting: BoolArray) -> IntArray:
    """Four BANT flags as bits (budget=1, authority=2, need=4, timeline=8)."""
    p = np.where(converting, 0.87, 0.6)
    bits = rng.random((n, 4)) < p[:, None]
    return (bits * np.array([1, 2, 4, 8])).sum(axis=1).astype(np.int64)


def _convert(ctx: _Ctx, cyc: _Pass, sql: IntArray, t_q: IntArray) -> IntArray:
    """SQL -> opportunity (``Converted``) or back to nurture; returns the converted cycles."""
    rng, people = ctx.rng, ctx.people
    number, leads, close, outcome = cyc.number, cyc.leads, cyc.close, cyc.outcome
    reason_out, skip_sal = cyc.reason, cyc.skip_sal
    base = number * 100
    lead_sql = leads[sql]
    k = len(sql)
    ch = people.channel[lead_sql]
    owner = people.owner[lead_sql]
    tz = people.owner_tz[lead_sql]
    p_opp = calibrate(P.BETA_OPP * people.fit_z[lead_sql], ch, P.channel_array("p_opp"))
    converts = systematic(rng, p_opp, ch, ctx.carry["opp"], t_q)
    skip_both = converts & (rng.random(k) < P.SKIP_TO_CONVERTED_SHARE)
    skip_sal[sql[skip_both]] = True
    rows = np.flatnonzero(~skip_both)
    bant = _bant(rng, k, converts)
    ctx.status.add(lead=lead_sql[rows], t=t_q[rows], status=S_SQL, user=owner[rows], reason=-1,
                   bant=bant[rows], seq=base + 4)  # fmt: skip
    t_conv = add_working_hours(t_q, lognormal(rng, 12.0, 0.7, k), tz)
    conv_rows = np.flatnonzero(converts)
    conv = sql[conv_rows]
    bant_conv = np.where(skip_both[conv_rows], bant[conv_rows], -1)
    ctx.status.add(lead=lead_sql[conv_rows], t=t_conv[conv_rows], status=S_CONVERTED,
                   user=owner[conv_rows], reason=-1, bant=bant_conv, seq=base + 5)  # fmt: skip
    # falls back
    fb = np.flatnonzero(~converts)
    u = rng.random(len(fb))
    status = np.where(u < 0.6, S_RECYCLED, np.where(u < 0.8, S_REJECTED, S_DISQUALIFIED))
    reason = np.where(
        u < 0.6,
        -1,
        np.where(
            u < 0.8, np.where(rng.random(len(fb)) < 0.5, R_NOT_EVALUATING, R_IN_PIPELINE), R_NO_FIT
        ),
    )
    reason = np.where(status == S_RECYCLED, -1, _drop_reasons(ctx, reason))
    t_fb = t_q[fb] + (lognormal(rng, 10.0, 0.6, len(fb)) * DAY).astype(np.int64)
    _close(ctx, lead_sql[fb], t_fb, status, reason, base + 5)
    close[sql[fb]] = t_fb
    outcome[sql[fb]] = np.where(
        status == S_RECYCLED, O_RECYCLED, np.where(status == S_REJECTED, O_REJECTED, O_DISQUALIFIED)
    )
    reason_out[sql[fb]] = reason
    ctx.conversions.add(lead=leads[conv], number=number, t=t_conv[conv_rows])
    return conv


def _reengage(
    ctx: _Ctx, leads: IntArray, close: IntArray, outcome: IntArray, reason: IntArray, number: int
) -> tuple[IntArray, IntArray, IntArray]:
    """Which closed cycles come back for another handoff, and when."""
    rng, people = ctx.rng, ctx.people
    m = len(leads)
    p = np.select(
        [outcome == O_RECYCLED, (outcome == O_REJECTED) & np.isin(reason, (R_NOT_EVALUATING, R_NO_RESPONSE, -1)),
         outcome == O_REJECTED, outcome == O_DISQUALIFIED],
        [0.42, 0.30, 0.05, 0.02], 0.0,
    )  # fmt: skip
    p = np.where(np.isin(people.junk[leads], _HARD_JUNK), p * 0.2, p)
    back = rng.random(m) < p
    gap = (14 + lognormal(rng, 70.0, 0.6, m)) * DAY
    t_next = close + gap.astype(np.int64)
    rows = np.flatnonzero(back & (rng.random(m) < 0.5))
    t_n = close[rows] + ((t_next[rows] - close[rows]) * rng.uniform(0.05, 0.4, len(rows))).astype(
        np.int64
    )
    ctx.status.add(lead=leads[rows], t=t_n, status=S_NURTURE, user=ctx.org.integration_user,
                   reason=-1, bant=-1, seq=number * 100 + 90)  # fmt: skip
    ch = people.channel[leads]
    lane_w = np.where((ch == C_OUTBOUND)[:, None], [0.2, 0.5, 0.3], [0.3, 0.7, 0.0])
    lane = choice_rows(rng, lane_w)
    sel = np.flatnonzero(back)
    return leads[sel], t_next[sel], lane[sel]


def _close_opportunities(ctx: _Ctx, cycles: dict[str, np.ndarray]) -> None:
    """Simulate every opportunity of the block at once and close their cycles."""
    conv = ctx.conversions.arrays()
    won, t_close = opportunities(ctx.rng, ctx.org, ctx.people, conv["lead"], conv["number"],
                                 conv["t"], ctx.opps, ctx.carry["won"])  # fmt: skip
    opp_rows = np.flatnonzero(cycles["opp"])
    by_lead = np.full(len(ctx.people), -1, dtype=np.int64)
    by_lead[conv["lead"]] = np.arange(len(conv["lead"]))
    k = by_lead[cycles["lead"][opp_rows]]
    cycles["won"][opp_rows] = won[k]
    cycles["close"][opp_rows] = t_close[k]
    cycles["outcome"][opp_rows] = np.where(won[k], O_WON, O_LOST)


def _conversion_log() -> Log:
    return Log(("lead", "number", "t"), (np.int64, np.int64, np.int64))


def simulate_funnel(seed: int, block: int, people: People, org: Org) -> Funnel:
    """Run the whole lifecycle of a block's leads."""
    rng = stream(seed, "block", block, "funnel")
    carry = {name: rng.random(N_GROUPS) for name in ("sal", "sql", "opp", "won")}
    ctx = _Ctx(rng, people, org, status_log(), touch_log(), cycle_log(), opportunity_log(),
               _conversion_log(), carry)  # fmt: skip
    first, t_mql, lane = _first_entry(ctx)
    will = np.zeros(len(people), dtype=bool)
    will[first] = True
    t_mql = _outbound_prospecting(ctx, will, t_mql, lane)
    _pre_cycle(ctx, will, t_mql)
    leads, t, ln = first, t_mql[first], lane[first]
    for number in range(1, P.MAX_CYCLES + 1):
        if len(leads) == 0:
            break
        order = np.argsort(leads, kind="stable")
        leads, t, ln = leads[order], t[order], ln[order]
        close, outcome, reason = _cycle(ctx, number, leads, t, ln)
        if number < P.MAX_CYCLES:
            leads, t, ln = _reengage(ctx, leads, close, outcome, reason, number)
    cycles = ctx.cycles.arrays()
    _close_opportunities(ctx, cycles)
    return Funnel(ctx.status.arrays(), ctx.touches.arrays(), cycles, ctx.opps.arrays())


def order_status(status: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Status changes sorted per lead in logical order with strictly increasing times."""
    order = np.lexsort((status["seq"], status["lead"]))
    out = {k: v[order] for k, v in status.items()}
    lead, t = out["lead"], out["t"]
    n = len(lead)
    if n == 0:
        return out
    starts = np.flatnonzero(np.r_[True, lead[1:] != lead[:-1]])
    rank = np.arange(n) - np.repeat(starts, np.diff(np.r_[starts, n]))
    key = (lead << 34) + (t - rank)
    out["t"] = (np.maximum.accumulate(key) - (lead << 34)) + rank
    return out
