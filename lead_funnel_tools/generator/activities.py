"""Marketo activities: engagement that is and is not buying.

* Background: every person browses for a few months (generic pages and blog posts, now and
  then pricing or a case study), downloads some gated content and opens newsletters; one
  person in sixteen has a mail scanner that "opens" every email within a minute of sending
  and never clicks (bot opens). Students and interns browse four times and download twelve times as
  much as anyone else (careers page included); competitors study pricing and comparisons.
* Before a score-lane MQL: a burst of activity in the ten days before the MAP's status change
  (so the engagement precedes the MQL): future buyers show intent (pricing views, often
  repeated within a week, ``/compare`` and ``/vs-`` pages, the ROI calculator, customer
  stories), others download content and read the blog.
* Fast lane: the hand-raise form fill (``Demo Request``, ``Contact Sales``, ``Pricing
  Inquiry``) that opens the cycle, right after a visit of the form's page.
* Qualified leads keep checking pricing and customer stories while sales works them.
* Webinars: registration form and program progression ``Registered`` -> ``Attended`` (with
  minutes) or ``No Show``; buying committees: several contacts of one account in one month.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import numpy.typing as npt

from lead_funnel_tools.generator.block import Block
from lead_funnel_tools.generator.funnel import LANE_FAST, LANE_MANUAL, LANE_SCORE
from lead_funnel_tools.generator.journeys import simulate_journeys
from lead_funnel_tools.generator.landing import Frame, sync_lags
from lead_funnel_tools.generator.logs import Log, concat_index
from lead_funnel_tools.generator.marketo import MarketoPeople, Persons
from lead_funnel_tools.generator.params import CHANNEL_PARAMS
from lead_funnel_tools.generator.people import J_COMPETITOR, J_INTERN, J_STUDENT
from lead_funnel_tools.generator.rng import choice, lognormal, stream
from lead_funnel_tools.generator.vocab import (
    AT_CLICK,
    AT_DELETE,
    AT_FORM,
    AT_MERGE,
    AT_OPEN,
    AT_PROGRESSION,
    AT_VISIT,
    BLOG_PAGES,
    C_EVENTS,
    C_OUTBOUND,
    C_WEBINAR,
    CASE_PAGES,
    COMPARE_PAGES,
    DEVICE_MOBILE,
    DEVICES,
    EMAIL_VARIANTS,
    F_CHECKLIST,
    F_EBOOK,
    F_NEWSLETTER,
    F_WEBINAR,
    F_WHITEPAPER,
    FORM_PAGE,
    FORMS,
    GENERIC_PAGES,
    PAGES,
    PRICING_PAGE,
    QUERY_PARAMETERS,
    REFERRERS,
    ROI_PAGE,
    SEARCH_ENGINES,
    SEARCH_QUERIES,
    SITE,
    USER_AGENTS,
)
from lead_funnel_tools.generator.worktime import DAY, HOUR, MINUTE, NULL_TIME
from lead_funnel_tools.generator.world import ACTIVITY_BLOCK, World
from lead_funnel_tools.generator.writer import codes

IntArray = npt.NDArray[np.int64]
WEEK = 7 * DAY
_MONDAY0 = int(np.datetime64("2000-01-03", "s").astype(np.int64))

# page "kinds" a visit is drawn from: generic, blog, pricing, compare, roi, case, careers
_KIND_PAGES = (
    GENERIC_PAGES,
    BLOG_PAGES,
    (PRICING_PAGE,),
    COMPARE_PAGES,
    (ROI_PAGE,),
    CASE_PAGES,
    (7,),
)
# per profile: normal, student/intern, competitor, buying committee
_KIND_WEIGHTS = np.array([
    [0.46, 0.38, 0.05, 0.02, 0.01, 0.07, 0.01],
    [0.20, 0.55, 0.02, 0.01, 0.00, 0.02, 0.20],
    [0.20, 0.15, 0.30, 0.30, 0.03, 0.02, 0.00],
    [0.25, 0.15, 0.25, 0.12, 0.10, 0.13, 0.00],
])  # fmt: skip
P_NORMAL, P_STUDENT, P_COMPETITOR, P_COMMITTEE = 0, 1, 2, 3
# burst item categories: 0-6 page kinds, 7 content form, 8 email click
_BURST_BUYER = [0.04, 0.08, 0.30, 0.14, 0.09, 0.15, 0.0, 0.12, 0.08]
_BURST_OTHER = [0.18, 0.30, 0.06, 0.01, 0.0, 0.02, 0.01, 0.30, 0.12]
_BURST_STUDENT = [0.05, 0.40, 0.0, 0.0, 0.0, 0.0, 0.10, 0.40, 0.05]
_CONTENT_FORMS = (F_EBOOK, F_WHITEPAPER, F_CHECKLIST, F_NEWSLETTER)
_CONTENT_WEIGHTS = (0.35, 0.3, 0.15, 0.2)
_IPS = tuple(
    f"{(i * 37) % 223 + 1}.{(i * 11) % 256}.{(i * 101) % 256}.{i % 254 + 1}" for i in range(4093)
)
BOT_SHARE = 0.06
OPEN_RATE = 0.18
CLICK_RATE = 0.15


def _logs() -> dict[str, Log]:
    i8 = np.int64
    return {
        "visit": Log(("mk", "t", "page"), (i8, i8, i8)),
        "form": Log(("mk", "t", "form", "program"), (i8, i8, i8, i8)),
        "open": Log(("mk", "t", "week", "bot"), (i8, i8, i8, np.bool_)),
        "click": Log(("mk", "t", "week", "page"), (i8, i8, i8, i8)),
        "progression": Log(("mk", "t", "program", "old", "new"), (i8,) * 5),
        "merge": Log(("mk", "t", "loser"), (i8, i8, i8)),
        "delete": Log(("mk", "t"), (i8, i8)),
    }


def _pages(rng: np.random.Generator, kinds: IntArray) -> IntArray:
    out = np.zeros(len(kinds), dtype=np.int64)
    for k, pool in enumerate(_KIND_PAGES):
        hit = kinds == k
        out[hit] = np.array(pool)[rng.integers(0, len(pool), int(hit.sum()))]
    return out


def _kinds_by_profile(rng: np.random.Generator, profile: IntArray) -> IntArray:
    out = np.zeros(len(profile), dtype=np.int64)
    for p in range(len(_KIND_WEIGHTS)):
        hit = profile == p
        out[hit] = choice(rng, _KIND_WEIGHTS[p], int(hit.sum()))
    return out


def _content_forms(rng: np.random.Generator, n: int) -> IntArray:
    return np.array(_CONTENT_FORMS)[choice(rng, _CONTENT_WEIGHTS, n)]


def _background(
    rng: np.random.Generator, logs: dict[str, Log], mk: IntArray, start: IntArray,
    span_days: np.ndarray, visit_rate: np.ndarray, form_rate: np.ndarray, profile: IntArray,
    program: IntArray,
) -> None:  # fmt: skip
    """Browsing, content downloads and newsletter opens/clicks over each person's active span."""
    months = span_days / 30.0
    n_visits = np.minimum(rng.poisson(visit_rate * months), 150)
    rows, _ = concat_index(n_visits)
    t = start[rows] + (rng.random(len(rows)) * span_days[rows] * DAY).astype(np.int64)
    logs["visit"].add(mk=mk[rows], t=t, page=_pages(rng, _kinds_by_profile(rng, profile[rows])))
    n_forms = np.minimum(rng.poisson(form_rate * months), 40)
    rows, _ = concat_index(n_forms)
    t = start[rows] + (rng.random(len(rows)) * span_days[rows] * DAY).astype(np.int64)
    logs["form"].add(mk=mk[rows], t=t, form=_content_forms(rng, len(rows)), program=program[rows])
    _emails(rng, logs, mk, start, span_days, profile)


def _emails(
    rng: np.random.Generator, logs: dict[str, Log], mk: IntArray, start: IntArray,
    span_days: np.ndarray, profile: IntArray,
) -> None:  # fmt: skip
    """Weekly sends; people open some and click a few; bots open all within a minute."""
    first_week = (start - _MONDAY0) // WEEK + 1
    last_week = (start + (span_days * DAY).astype(np.int64) - _MONDAY0) // WEEK
    weeks = np.maximum(last_week - first_week + 1, 0)
    bot = rng.random(len(mk)) < BOT_SHARE
    n_open = np.where(bot, weeks, rng.binomial(weeks, OPEN_RATE))
    rows, rank = concat_index(n_open)
    is_bot = bot[rows]
    week = np.where(
        is_bot,
        first_week[rows] + rank,
        first_week[rows] + rng.integers(0, np.maximum(weeks[rows], 1)),
    )
    send = _MONDAY0 + week * WEEK + DAY + 14 * HOUR
    delay = np.where(
        is_bot,
        rng.integers(1, 60, len(rows)),
        (lognormal(rng, 3.0, 1.2, len(rows)) * HOUR).astype(np.int64),
    )
    t_open = send + delay
    logs["open"].add(mk=mk[rows], t=t_open, week=week, bot=is_bot)
    clicked = ~is_bot & (
        rng.random(len(rows)) < CLICK_RATE * np.where(profile[rows] == P_STUDENT, 1.5, 1.0)
    )
    c = np.flatnonzero(clicked)
    page = _pages(rng, _kinds_by_profile(rng, profile[rows][c]))
    logs["click"].add(
        mk=mk[rows][c], t=t_open[c] + rng.integers(10, 20 * MINUTE, len(c)), week=week[c], page=page
    )


def _profile(junk: IntArray) -> IntArray:
    return np.where(
        np.isin(junk, (J_STUDENT, J_INTERN)),
        P_STUDENT,
        np.where(junk == J_COMPETITOR, P_COMPETITOR, P_NORMAL),
    )


def _bursts(
    rng: np.random.Generator,
    logs: dict[str, Log],
    mk: IntArray,
    t_end: IntArray,
    floor: IntArray,
    count: IntArray,
    mix: IntArray,
    program: IntArray,
) -> None:
    """``count`` actions per row in the ten days before ``t_end`` (the last one right before).

    ``mix`` picks the kind of actions: 0 a future buyer, 1 anyone else, 2 a student/intern.
    """
    rows, rank = concat_index(count)
    span = np.maximum(
        t_end[rows] - np.maximum(floor[rows], t_end[rows] - 10 * DAY) - 2 * MINUTE, MINUTE
    )
    t = t_end[rows] - MINUTE - (rng.random(len(rows)) * span).astype(np.int64)
    last = rank == count[rows] - 1
    t = np.where(last, t_end[rows] - rng.integers(MINUTE, 30 * MINUTE, len(rows)), t)
    cat = np.zeros(len(rows), dtype=np.int64)
    kind = mix[rows]
    for code, weights in enumerate((_BURST_BUYER, _BURST_OTHER, _BURST_STUDENT)):
        hit = kind == code
        cat[hit] = choice(rng, weights, int(hit.sum()))
    visit = cat < 7
    logs["visit"].add(mk=mk[rows][visit], t=t[visit], page=_pages(rng, cat[visit]))
    form = cat == 7
    logs["form"].add(
        mk=mk[rows][form],
        t=t[form],
        form=_content_forms(rng, int(form.sum())),
        program=program[rows][form],
    )
    click = np.flatnonzero(cat == 8)
    week = (t[click] - _MONDAY0) // WEEK
    logs["open"].add(
        mk=mk[rows][click],
        t=t[click] - rng.integers(MINUTE, 10 * MINUTE, len(click)),
        week=week,
        bot=False,
    )
    page = _pages(rng, np.array([2, 5, 1])[rng.integers(0, 3, len(click))])
    logs["click"].add(mk=mk[rows][click], t=t[click], week=week, page=page)


def _cycle_activity(
    rng: np.random.Generator, logs: dict[str, Log], block: Block, campaign_program: IntArray
) -> None:
    """Activity tied to handoff cycles of leads with a Marketo twin."""
    cy = block.funnel.cycles
    p = block.people
    lead = cy["lead"]
    twin = p.has_twin[lead]
    mk = block.mkto_base + lead
    program = campaign_program[p.campaign[lead]]
    # fast lane: the form page, then the hand-raise form that opens the cycle
    fast = np.flatnonzero(twin & (cy["lane"] == LANE_FAST))
    form = cy["form"][fast]
    page = np.array(FORM_PAGE)[form]
    t = cy["t"][fast]
    logs["visit"].add(mk=mk[fast], t=t - rng.integers(MINUTE, 5 * MINUTE, len(fast)), page=page)
    logs["form"].add(mk=mk[fast], t=t, form=form, program=program[fast])
    # score lane (and manual MQLs outside events): engagement before the MQL
    ch = p.channel[lead]
    burst = twin & (
        (cy["lane"] == LANE_SCORE)
        | ((cy["lane"] == LANE_MANUAL) & ~np.isin(ch, (C_EVENTS, C_OUTBOUND)))
    )
    rows = np.flatnonzero(burst)
    buyer = cy["sal"][rows]
    profile = _profile(p.junk[lead[rows]])
    mix = np.where(profile == P_STUDENT, 2, np.where(buyer, 0, 1))
    count = np.where(buyer, 3 + rng.poisson(3.0, len(rows)), 3 + rng.poisson(2.0, len(rows)))
    count = np.where(cy["lane"][rows] == LANE_MANUAL, 2, count)
    floor = np.maximum(p.created[lead[rows]], block.spec.t_from) + MINUTE
    _bursts(rng, logs, mk[rows], cy["t"][rows], floor, count, mix, program[rows])
    # qualified leads keep checking pricing / ROI / customer stories
    sql = np.flatnonzero(twin & cy["sql"])
    n_after = rng.integers(1, 4, len(sql))
    r, _ = concat_index(n_after)
    start = cy["decision_t"][sql][r]
    t = start + (rng.random(len(r)) * 12 * DAY).astype(np.int64)
    kinds = np.array([2, 4, 5, 3])[rng.integers(0, 4, len(r))]
    logs["visit"].add(mk=mk[sql][r], t=t, page=_pages(rng, kinds))


def _webinars(
    rng: np.random.Generator, logs: dict[str, Log], block: Block, program: IntArray
) -> None:
    """Registration form and progression statuses of webinar registrants."""
    p = block.people
    rows = np.flatnonzero(p.has_twin & (p.channel == C_WEBINAR) & (p.event_at > 0))
    mk = block.mkto_base + rows
    prog = program[p.campaign[rows]]
    t0 = p.created[rows]
    logs["form"].add(mk=mk, t=t0 + 20, form=F_WEBINAR, program=prog)
    logs["progression"].add(mk=mk, t=t0 + 40, program=p.campaign[rows], old=0, new=1)
    attended = p.webinar_attended[rows]
    t1 = np.maximum(p.event_at[rows], t0) + HOUR
    logs["progression"].add(
        mk=mk, t=t1, program=p.campaign[rows], old=1, new=np.where(attended, 2, 3)
    )


def _nurture_clicks(logs: dict[str, Log], world: World, block: Block) -> None:
    """The progression to ``Clicked`` (success) of each nurture-email journey touch."""
    j = simulate_journeys(world, block)
    rows = np.flatnonzero(j.via_marketo)
    logs["progression"].add(
        mk=block.mkto_base + j.lead[rows], t=j.t[rows], program=j.campaign[rows], old=0, new=4
    )


def _persons_background(rng: np.random.Generator, logs: dict[str, Log], persons: Persons, program: IntArray,
                        rate: float, committee: bool = False) -> None:  # fmt: skip
    n = len(persons)
    if n == 0:
        return
    p = persons.people
    rows = persons.rows
    engagement = np.array([c.engagement for c in CHANNEL_PARAMS])[p.channel[rows]]
    profile = np.full(n, P_COMMITTEE) if committee else _profile(p.junk[rows])
    span = np.minimum(lognormal(rng, 120.0, 0.7, n), 400.0)
    visit_rate = rate * 1.5 * engagement * np.where(profile == P_STUDENT, 4.0, 1.0)
    form_rate = rate * 0.10 * np.where(profile == P_STUDENT, 12.0, 1.0)
    start = np.maximum(persons.created, 0)
    if committee:
        start = persons.episode_t
        span = np.full(n, 25.0)
        visit_rate = np.full(n, 5.0)
        form_rate = np.full(n, 1.0)
    _background(rng, logs, persons.mk_id, start, span, visit_rate, form_rate, profile,
                program[p.campaign[rows]])  # fmt: skip


def simulate_activities(world: World, block: Block, mp: MarketoPeople) -> dict[str, Frame]:
    """All activity rows of a block as frames per Marketo activity table."""
    rng = stream(block.spec.seed, "block", block.spec.index, "activities")
    logs = _logs()
    program = world.calendar.number
    _persons_background(rng, logs, mp.twins, program, 1.0)
    _persons_background(rng, logs, mp.only, program, 0.5)
    _persons_background(rng, logs, mp.committee, program, 1.0, committee=True)
    _cycle_activity(rng, logs, block, program)
    _webinars(rng, logs, block, program)
    _nurture_clicks(logs, world, block)
    _merges_and_deletes(rng, logs, mp)
    return _frames(world, block, logs, mp)


def _merges_and_deletes(rng: np.random.Generator, logs: dict[str, Log], mp: MarketoPeople) -> None:
    losers = mp.losers
    k = len(losers)
    if k:
        n_act = rng.integers(1, 5, k)
        rows, _ = concat_index(n_act)
        span = np.maximum(mp.merge_at[rows] - losers.created[rows] - HOUR, HOUR)
        t = losers.created[rows] + (rng.random(len(rows)) * span).astype(np.int64)
        logs["visit"].add(
            mk=losers.mk_id[rows],
            t=t,
            page=np.array(BLOG_PAGES)[rng.integers(0, len(BLOG_PAGES), len(rows))],
        )
        logs["form"].add(mk=losers.mk_id, t=losers.created + 30, form=F_NEWSLETTER, program=-1)
        logs["merge"].add(mk=mp.merge_winner_id, t=mp.merge_at, loser=losers.mk_id)
    twins = mp.twins
    gone = np.flatnonzero(twins.deleted_at != NULL_TIME)
    logs["delete"].add(mk=twins.mk_id[gone], t=twins.deleted_at[gone])


def _email_names(weeks: IntArray) -> tuple[IntArray, list[str], int]:
    """Email asset names for the weeks present (``Newsletter - 2025-W05`` ...)."""
    if len(weeks) == 0:
        return np.zeros(0, dtype=np.int64), [], 0
    lo, hi = int(weeks.min()), int(weeks.max())
    names = []
    for w in range(lo, hi + 1):
        day = dt.date(2000, 1, 3) + dt.timedelta(weeks=w)
        year, number, _ = day.isocalendar()
        names.append(f"{EMAIL_VARIANTS[w % len(EMAIL_VARIANTS)]} - {year}-W{number:02d}")
    return weeks - lo, names, lo


def _common(mk: IntArray, t: IntArray, type_id: int, lag_rng: np.random.Generator) -> Frame:
    order = np.argsort(t, kind="stable")
    return {
        "lead_id": mk[order],
        "activity_date": t[order],
        "activity_type_id": np.full(len(t), type_id, dtype=np.int64),
        "__t": t[order],
        "__lag": sync_lags(lag_rng, len(t)),
        "__order": order,
    }


def _frames(
    world: World, block: Block, logs: dict[str, Log], mp: MarketoPeople
) -> dict[str, Frame]:
    lag_rng = stream(block.spec.seed, "block", block.spec.index, "lag", "activities")
    frames: dict[str, Frame] = {}
    a = {k: v.arrays() for k, v in logs.items()}
    site_pages = [p for p, _ in PAGES]
    rng = stream(block.spec.seed, "block", block.spec.index, "activity_attrs")

    v = a["visit"]
    f = _common(v["mk"], v["t"], AT_VISIT, lag_rng)
    page = v["page"][f["__order"]]
    n = len(page)
    ref = choice(rng, [0.35, 0.3, 0.05, 0.1, 0.03, 0.15, 0.02], n)
    engine = np.array([i if SEARCH_ENGINES[i] else -1 for i in range(len(SEARCH_ENGINES))])[ref]
    f.update({
        "primary_attribute_value_id": page + 1,
        "primary_attribute_value": codes(page, ["www.example-saas.com" + x for x in site_pages]),
        "webpage_url": codes(page, [SITE + x for x in site_pages]),
        "query_parameters": codes(np.where(rng.random(n) < 0.3, rng.integers(1, 5, n), -1), QUERY_PARAMETERS),
        "referrer_url": codes(np.where(ref == 0, -1, ref), REFERRERS),
        "search_engine": codes(engine, SEARCH_ENGINES),
        "search_query": codes(np.where(engine >= 0, rng.integers(1, len(SEARCH_QUERIES), n), -1), SEARCH_QUERIES),
        "client_ip_address": codes(f["lead_id"] % len(_IPS), _IPS),
        "user_agent": codes(f["lead_id"] % len(USER_AGENTS), USER_AGENTS),
    })  # fmt: skip
    frames["activity_visit_webpage"] = f

    v = a["form"]
    f = _common(v["mk"], v["t"], AT_FORM, lag_rng)
    form = v["form"][f["__order"]]
    prog = v["program"][f["__order"]]
    fields = [f'{{"formName":"{name}","consent":true}}' for name in FORMS]
    f.update({
        "campaign_id": np.where(prog >= 0, prog, 0),
        "primary_attribute_value_id": form + 1,
        "primary_attribute_value": codes(form, FORMS),
        "webpage_id": np.array(FORM_PAGE)[form] + 1,
        "form_fields": codes(form, fields),
        "query_parameters": codes(np.full(len(form), -1), QUERY_PARAMETERS),
        "referrer_url": codes(np.full(len(form), 5), REFERRERS),
    })  # fmt: skip
    frames["activity_fill_out_form"] = f

    for table, key, type_id in (
        ("activity_open_email", "open", AT_OPEN),
        ("activity_click_email", "click", AT_CLICK),
    ):
        v = a[key]
        f = _common(v["mk"], v["t"], type_id, lag_rng)
        week = v["week"][f["__order"]]
        name_code, names, _ = _email_names(week)
        variant = week % len(EMAIL_VARIANTS)
        device = (f["lead_id"] * 31 + week) % len(DEVICES)
        if key == "open":
            device = np.where(v["bot"][f["__order"]], 0, device)
        f.update({
            "campaign_id": 5000 + variant,
            "primary_attribute_value_id": variant * 100_000 + week,
            "primary_attribute_value": codes(name_code, names),
            "email_template_id": variant * 100_000 + week,
            "device": codes(device, DEVICES),
            "is_mobile_device": np.array(DEVICE_MOBILE)[device],
        })  # fmt: skip
        if key == "click":
            f["link"] = codes(v["page"][f["__order"]], [SITE + x for x in site_pages])
        frames[table] = f

    v = a["progression"]
    f = _common(v["mk"], v["t"], AT_PROGRESSION, lag_rng)
    camp = v["program"][f["__order"]]
    statuses = ("Not in Program", "Registered", "Attended", "No Show", "Clicked")
    new = v["new"][f["__order"]]
    f.update({
        "campaign_id": world.calendar.number[camp] if len(camp) else camp,
        "primary_attribute_value_id": world.calendar.number[camp] if len(camp) else camp,
        "primary_attribute_value": codes(camp, [c.name for c in world.calendar.campaigns]),
        "old_status": codes(v["old"][f["__order"]], statuses),
        "new_status": codes(new, statuses),
        "success": np.isin(new, (2, 4)),
        "reason": codes(np.zeros(len(new), np.int64), ("Changed by Smart Campaign",)),
    })  # fmt: skip
    frames["activity_change_status_in_progression"] = f

    v = a["merge"]
    f = _common(v["mk"], v["t"], AT_MERGE, lag_rng)
    loser = v["loser"][f["__order"]]
    f.update(
        {
            "primary_attribute_value_id": f["lead_id"],
            "merge_ids": loser.astype(str).astype(object)
            if len(loser)
            else np.zeros(0, dtype=object),
            "master_updated": np.ones(len(loser), dtype=bool),
        }
    )
    frames["activity_merge_leads"] = f

    v = a["delete"]
    f = _common(v["mk"], v["t"], AT_DELETE, lag_rng)
    f["primary_attribute_value_id"] = f["lead_id"]
    frames["activity_delete_lead"] = f

    base = (block.spec.index + 1) * ACTIVITY_BLOCK
    offset = 0
    for f in frames.values():
        m = len(f["__t"])
        f["id"] = base + offset + np.arange(m, dtype=np.int64)
        offset += m
        del f["__order"]
    return frames
