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


# Functions a page hands Streamlit ------------------------------------------------------------
# Streamlit keeps a widget's on_change/on_click/format_func and a download's data function for
# the whole session (a selectbox's format_func in its SelectboxSerde). A lambda or function written in a page refers to the page's namespace, a million-row
# cut at scale: each visitor's session then kept ~100 MB after leaving the page.
KEPT_FOR_THE_SESSION = {"on_change", "on_click", "data", "format_func"}
DOWNLOADS = {"download_button", "download_table"}


def kept_page_functions(source: str, name: str) -> list[str]:
    """`name:line: what` for every lambda, or function defined in `source`, handed to Streamlit
    as a callback or as a download's data."""
    tree = ast.parse(source, filename=name)
    defined = {node.name for node in ast.walk(tree)
               if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))}
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        call = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(
            node.func, "id", "")
        handed = [k.value for k in node.keywords if k.arg in KEPT_FOR_THE_SESSION]
        if call in DOWNLOADS:
            handed += node.args[:2]
        for value in handed:
            if isinstance(value, ast.Lambda) or (isinstance(value, ast.Name)
                                                 and value.id in defined):
                found.append(f"{name}:{value.lineno}: {call}")
    return found


def test_pages_hand_streamlit_no_function_that_holds_their_namespace():
    pages = sorted((ROOT / "pages").glob("*.py"))
    found = [hit for path in pages
             for hit in kept_page_functions(path.read_text(encoding="utf-8"),
                                            str(path.relative_to(ROOT)))]
    assert not found, ("a page hands Streamlit a function it keeps for the session; use the "
                       "helpers in ui.py (download_table, download_shares, deferred, "
                       "keep_color):\n" + "\n".join(found))


def test_the_session_check_catches_lambdas_and_page_functions():
    page = ("def keep(): pass\n"
            "st.radio('a', [1], on_change=keep)\n"
            "st.download_button('b', lambda: rows.to_csv())\n"
            "ui.download_table(lambda: table, key='k', name='n')\n"
            "st.download_button('c', data=ui.deferred(f, x))\n"
            "st.selectbox('d', [1], format_func=lambda v: str(v))\n"
            "st.selectbox('e', [1], format_func=ui.theme_name)\n")
    assert kept_page_functions(page, "p.py") == ["p.py:2: radio", "p.py:3: download_button",
                                                  "p.py:4: download_table", "p.py:6: selectbox"]
