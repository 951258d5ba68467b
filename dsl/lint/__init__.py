"""Stage 3, checks: the lint rules (one module per rule), configuration, inline
suppressions, and linting files one by one or many at a time."""
