"""Analysis: what the pages ask of a build (shares with intervals, divergence, log-odds, axis
summaries, timelines, outlet groups, cluster names). Imports the base, inputs and pipeline."""
