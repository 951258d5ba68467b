"""Editor support: a language server (``stretch lsp``) over the checker and formatter.

The server (``dsl.lsp.server``) is the only module here that imports pygls; everything it
shows comes from small pure modules that tests and benchmarks can call directly:
``engine`` (diagnostics, formatting, the target vocabulary), ``positions`` (source spans to
protocol positions), ``hover``, ``completion`` and ``symbols``.
"""
