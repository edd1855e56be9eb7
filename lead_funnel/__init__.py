"""lead-funnel: staged lead histories, scoring and SLA breaches from raw CRM and MAP tables."""

__version__ = "0.1.0"
