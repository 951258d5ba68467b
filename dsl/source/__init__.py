"""Stage 0, the source: finding routine files, reading them with a size cap, writing files
safely. Everything after this stage works on text that has been read here."""
