"""Writing routines back as text: the canonical layout (``stretch fmt``) and syntax
highlighting for Pygments."""
