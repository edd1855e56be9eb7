"""Tools beside the product: the synthetic data generator, importers of real data sets and
the benchmarks.

The product (`lead_funnel`, `orchestration`, `data_quality`) imports nothing from here
(tests/test_package_boundaries.py); these tools import the product (the sources yml
reader, the pipeline). `lead-funnel generate`, `import-olist` and `bench` come from
`lead_funnel_tools.cli`, registered in the entry-point group `lead_funnel.commands`.
"""
