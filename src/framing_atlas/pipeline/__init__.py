"""Pipeline: one module per build stage (segment, embed, project, cluster, label, themes, axes,
...) and build.py, which runs them into a build. Imports the base and inputs, never analysis,
views or the CLI."""
