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


def library_calls(path: Path) -> list[str]:
    """`file:line: name` for every method call in `path` whose name is in LIBRARY_WORK."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in LIBRARY_WORK):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.func.attr}")
    return sorted(found, key=lambda hit: int(hit.split(":")[1]))


def test_pages_hold_no_grouping_or_statistics():
    found = [hit for path in FRONT for hit in library_calls(path)]
    assert not found, ("grouping or statistics in the dashboard's pages; move it into "
                       "src/framing_atlas/analysis/:\n" + "\n".join(found))


def test_the_check_catches_library_work(tmp_path):
    page = tmp_path / "page.py"
    page.write_text("import numpy as np\n"
                    "counts = rows.groupby('outlet').size()\n"
                    "share = np.mean(values)\n"
                    "total = sum([1, 2])\n"
                    "options = sorted(rows['theme'].unique())\n")
    hits = [ast.unparse(node.func) for node in ast.walk(ast.parse(page.read_text()))
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr in LIBRARY_WORK]
    assert sorted(hits) == ["np.mean", "rows.groupby"]
