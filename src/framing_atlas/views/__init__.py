"""Views: what a reader sees of a build: filters and the one export path, the URL view, the
store summary (describe) and literal display of untrusted text. Imports the base, inputs,
pipeline and analysis."""
