"""The invariants, one module per mart: each function's docstring is the rule's documentation."""
