"""Invariants on ``fct_sla_breaches``: one row per breach (contract section 3).

A breach is *closed* when the event that meets the SLA came after ``due_at`` and *open* when it
has not come and the run's as-of time is past ``due_at`` (contract section 2).
"""

from __future__ import annotations

from data_quality.invariant import QueryContext, Reads, Severity, invariant

BREACHES = "fct_sla_breaches"
KEYS = ("breach_id", "cycle_id")
TIMES = ("sla", "status", "started_at", "due_at", "met_at")


def _breaches(*columns: str) -> Reads:
    return Reads(BREACHES, "marts", tuple(dict.fromkeys((*KEYS, *TIMES, *columns))))


@invariant(
    severity=Severity.BLOCKING,
    mart=BREACHES,
    keys=KEYS,
    evidence=TIMES,
    reads=(_breaches(),),
)
def sla_breaches_are_due_after_they_start(q: QueryContext) -> str:
    """Every breach is due after its clock starts: ``due_at > started_at`` (a breach without
    either time offends: it could not have been judged late).

    Blocking: ``due_at`` is the start plus N working hours (or, for attempt-based policies, the
    later rejection), so a deadline at or before the start means the clock or its inputs are
    wrong and every hours-late figure built on it is too.
    """
    return f"""
    select {", ".join((*KEYS, *TIMES))},
        coalesce(due_at > started_at, false) as holds
    from {q.relation(BREACHES)}
    """


ATTEMPTS = ("attempts_made", "attempts_required")


@invariant(
    severity=Severity.BLOCKING,
    mart=BREACHES,
    keys=KEYS,
    evidence=(*TIMES, *ATTEMPTS),
    reads=(_breaches(*ATTEMPTS),),
)
def closed_sla_breaches_were_met_after_due(q: QueryContext) -> str:
    """A closed breach was met late: its ``met_at`` is set and after ``due_at``; an
    attempt-based one (``attempts_required`` set) was decided at the rejection (``met_at`` =
    ``due_at``) with fewer attempts than required.

    Blocking: "closed" means the meeting event came after the deadline (or, for attempts, that
    too few came before it); a closed breach met on time (or never met) contradicts its own
    status and would be counted against an owner wrongly.
    """
    return f"""
    select {", ".join((*KEYS, *TIMES, *ATTEMPTS))},
        case
            when status = 'closed' and attempts_required is not null then coalesce(
                met_at = due_at and attempts_made < attempts_required, false
            )
            when status = 'closed' then coalesce(met_at > due_at, false)
        end as holds
    from {q.relation(BREACHES)}
    """


@invariant(
    severity=Severity.BLOCKING,
    mart=BREACHES,
    keys=KEYS,
    evidence=(*TIMES, "checked_as_of"),
    reads=(_breaches("as_of"),),
)
def open_sla_breaches_are_unmet_and_overdue(q: QueryContext) -> str:
    """An open breach has no ``met_at`` and was due before the as-of time (the run's as-of
    when the checks are given one, else the breach row's own ``as_of``).

    Blocking: "open" means the event has not come and the deadline has passed as of the run;
    an open breach with a met time, or not yet due, contradicts its status (and the as-of that
    makes runs reproducible).
    """
    return f"""
    select {", ".join((*KEYS, *TIMES))}, checked_as_of,
        case
            when status = 'open' then coalesce(met_at is null and due_at < checked_as_of, false)
        end as holds
    from (
        select *, coalesce({q.as_of_literal()}, cast(as_of as timestamp)) as checked_as_of
        from {q.relation(BREACHES)}
    ) as breaches
    """
