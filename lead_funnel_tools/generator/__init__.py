"""Synthetic raw CRM (Salesforce) and MAP (Marketo) data for lead-funnel.

``generate`` writes a realistic, deterministic data set into ``raw_salesforce`` and
``raw_marketo``; ``append_days`` lands more days the way a connector would;
``measure_stage_rates`` measures per-channel funnel rates straight from the raw tables.
"""

from lead_funnel_tools.generator.api import append_days, generate
from lead_funnel_tools.generator.measure import measure_cycles, measure_stage_rates
from lead_funnel_tools.generator.report import GenerationReport

__all__ = [
    "GenerationReport",
    "append_days",
    "generate",
    "measure_cycles",
    "measure_stage_rates",
]
