"""Stage 1, syntax: the grammar, the indentation-aware lexer, the parser that turns text into
the model, and syntax errors in plain words (P codes)."""
