"""Stage 5, outputs: lint reports for people and machines (text, concise, JSON, GitHub
annotations, SARIF)."""
