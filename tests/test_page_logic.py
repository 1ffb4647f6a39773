"""Pages only wire widgets to analysis functions and draw: no grouping or statistics in pages/.

The check parses every page (and ui.py) and fails on a call whose name is library work on a
frame or an array. The list is of operations that summarise, regroup or reshape data; drawing
needs none of them (a page picks options with `unique()`, sizes a figure with `len()`, selects
rows with a mask, formats with `map`/`astype`: all allowed).

- grouping and reshaping: groupby, pivot, pivot_table, crosstab, melt, stack, unstack, merge,
  combine_first, drop_duplicates, value_counts, resample, rolling, expanding, ewm
- aggregation: agg, aggregate, transform, apply on groups, nunique, count_nonzero, sum,
  cumsum, prod, mean, median, std, var, quantile, percentile, describe, corr, cov, histogram,
  bincount
`sum`, `mean` and the like are flagged as method calls (`frame.sum()`, `np.mean(...)`); the
builtin `sum(...)` or `max(...)` over a handful of widget values is not a method call and passes.
"""

import ast
from pathlib import Path

from conftest import ROOT

LIBRARY_WORK = frozenset({
    "groupby", "pivot", "pivot_table", "crosstab", "melt", "stack", "unstack", "merge",
    "combine_first", "drop_duplicates", "value_counts", "resample", "rolling", "expanding",
    "ewm", "agg", "aggregate", "transform", "nunique", "count_nonzero", "sum", "cumsum", "prod",
    "mean", "median", "std", "var", "quantile", "percentile", "describe", "corr", "cov",
    "histogram", "bincount"})
FRONT = sorted((ROOT / "pages").glob("*.py")) + [ROOT / "ui.py"]


def library_calls(source: str, name: str) -> list[str]:
    """`name:line: call` for every method call in `source` whose name is in LIBRARY_WORK."""
    found = [(node.lineno, node.func.attr) for node in ast.walk(ast.parse(source, filename=name))
             if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
             and node.func.attr in LIBRARY_WORK]
    return [f"{name}:{line}: {call}" for line, call in sorted(found)]


def test_pages_hold_no_grouping_or_statistics():
    found = [hit for path in FRONT
             for hit in library_calls(path.read_text(encoding="utf-8"),
                                      str(path.relative_to(ROOT)))]
    assert not found, ("grouping or statistics in the dashboard's pages; move it into "
                       "src/framing_atlas/analysis/:\n" + "\n".join(found))


def test_the_check_catches_library_work_and_passes_drawing():
    # Lines as the timeline and compare pages had them before their work moved to analysis/.
    page = ("import numpy as np\n"
            "overall = table.groupby(['period', 'theme'])[['count']].sum().reset_index()\n"
            "grid = part.pivot(index='outlet', columns='period', values='share')\n"
            "middle = np.median(values)\n"
            "height = 140 + 40 * len(outlets) + sum([1, 2])\n"
            "options = sorted(rows['theme'].unique())\n"
            "shown = rows[rows['outlet'] == left].map(str)\n")
    assert library_calls(page, "page.py") == ["page.py:2: groupby", "page.py:2: sum",
                                              "page.py:3: pivot", "page.py:4: median"]
