"""Stage 0, the source: finding routine files, reading them with a size cap, writing files
safely (``files``), and the text read once and normalised, with its lines and positions
(``text.Source``). Everything after this stage works on text that has been read here."""
