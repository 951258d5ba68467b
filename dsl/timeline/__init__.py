"""Stage 4, the timeline: the routine as it runs (repeats and sides expanded), and the
compiled JSON document that players read, with its versioned contract."""
