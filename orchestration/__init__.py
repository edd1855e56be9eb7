"""Dagster orchestration of lead-funnel: `orchestration.definitions.defs` is the one Definitions."""
