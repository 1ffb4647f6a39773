"""README figures tied to the files in bench/results/: find them, check them, rewrite them.

Two kinds of tie, both invisible on the rendered page:

  an inline marker right after one figure, naming a results file and a JSON Pointer (RFC 6901):

      precision 0.93<!-- syndication.json#/real_sample/precision -->
      46%<!-- validation.json#/grouped/article_bias_nato/clusters/untuned/largest_cluster_share -->

    The figure is the JSON value written with the README's own precision: as many decimals as
    the README shows, a "+" or "−" sign if it shows one, thousands commas if it has them, and
    with a "%" the value is a fraction shown as a percentage (0.457 → 46%).

  a generated block, for a table whose rows depend on the results:

      <!-- begin validation.json -->
      ...Markdown made by readme_block(results) in bench/validation.py...
      <!-- end validation.json -->

    The module is bench/<name>.py for <name>.json (for "pipeline-x.json", bench/pipeline.py).

python bench/run.py rewrites every tie from the results after a rerun, and
tests/test_readme.py fails when a tie and its file disagree.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "results"

INLINE = re.compile(r"(?P<figure>[+\-−]?\d[\d,]*(?:\.\d+)?%?)"
                    r"<!--\s*(?P<file>[\w.\-]+\.json)#(?P<pointer>/[^\s>]*)\s*-->")
BLOCK = re.compile(r"<!-- begin (?P<file>[\w.\-]+\.json) -->\n(?P<body>.*?)\n"
                   r"<!-- end (?P=file) -->", re.S)


@dataclass(frozen=True)
class Tie:
    kind: str  # "figure" or "block"
    file: str
    pointer: str  # "" for a block
    shown: str  # the README's text
    start: int
    end: int  # the span of `shown` in the README


def ties(readme: str) -> list[Tie]:
    found = [Tie("figure", m["file"], m["pointer"], m["figure"], m.start("figure"),
                 m.end("figure")) for m in INLINE.finditer(readme)]
    found += [Tie("block", m["file"], "", m["body"], m.start("body"), m.end("body"))
              for m in BLOCK.finditer(readme)]
    return sorted(found, key=lambda t: t.start)


def load(file: str, results: Path = RESULTS) -> dict:
    path = results / file
    if not path.is_file():
        shown = path.relative_to(BENCH.parent) if path.is_relative_to(BENCH.parent) else path
        raise LookupError(f"{shown} does not exist: run its bench (python bench/run.py)")
    return json.loads(path.read_text(encoding="utf-8"))


def resolve(document, pointer: str):
    """The value at a JSON Pointer ("/a/0/b"; "~1" is "/", "~0" is "~"), in its URI-fragment
    form: "%20" is a space, so a marker holds no whitespace (RFC 6901, section 6)."""
    value = document
    for part in pointer.lstrip("/").split("/"):
        part = unquote(part).replace("~1", "/").replace("~0", "~")
        if isinstance(value, list):
            value = value[int(part)]
        elif isinstance(value, dict) and part in value:
            value = value[part]
        else:
            raise LookupError(f"no '{part}' in {pointer}")
    return value


def render_like(value: float, shown: str) -> str:
    """`value` written the way the README writes `shown`: as many decimals, a sign if it shows
    one, its minus sign ("-" or "−"), and a fraction as a percentage if it ends in "%"."""
    percent = shown.endswith("%")
    digits = shown.rstrip("%")
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    number = float(value) * (100 if percent else 1)
    text = format(number, f"{'+' if digits[0] in '+-−' else ''},.{decimals}f")
    return text.replace("-", "-" if "-" in digits else "−") + ("%" if percent else "")


def render_block(file: str, results: Path = RESULTS) -> str:
    name = file.removesuffix(".json").split("-")[0]
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    # Registered before it runs: a dataclass in the module (bench/load.py has some) looks its
    # module up in sys.modules.
    sys.modules.setdefault(spec.name, module)
    spec.loader.exec_module(module)
    return module.readme_block(load(file, results))


def expected(tie: Tie, results: Path = RESULTS) -> str:
    if tie.kind == "block":
        return render_block(tie.file, results)
    value = resolve(load(tie.file, results), tie.pointer)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise LookupError(f"{tie.file}#{tie.pointer} is {value!r}, not a number")
    return render_like(value, tie.shown)


def line_of(readme: str, position: int) -> int:
    return readme.count("\n", 0, position) + 1


def disagreements(readme: str, results: Path = RESULTS) -> list[str]:
    """One line per tie whose README text differs from its results file (or cannot be read)."""
    problems = []
    for tie in ties(readme):
        where = (f"README line {line_of(readme, tie.start)}: {tie.file}"
                 + (f"#{tie.pointer}" if tie.pointer else ""))
        try:
            want = expected(tie, results)
        except (LookupError, ValueError, KeyError, IndexError) as err:
            problems.append(f"{where}: {err}")
            continue
        if want != tie.shown:
            if tie.kind == "figure":
                problems.append(f"{where}: README says {tie.shown}, the file gives {want}")
            else:
                problems.append(f"{where}: the generated block differs from "
                                f"readme_block(); run python bench/run.py --readme")
    return problems


def refresh(readme: str, results: Path = RESULTS) -> tuple[str, list[str]]:
    """The README with every tie rewritten from its results file, and what changed."""
    changes = []
    out = readme
    for tie in reversed(ties(readme)):  # from the end, so earlier spans stay valid
        try:
            want = expected(tie, results)
        except LookupError as err:
            changes.append(f"kept README line {line_of(readme, tie.start)}: {err}")
            continue
        if want != tie.shown:
            changes.append(f"README line {line_of(readme, tie.start)}: {tie.file}"
                           + (f"#{tie.pointer}: {tie.shown} → {want}" if tie.kind == "figure"
                              else ": table regenerated"))
            out = out[:tie.start] + want + out[tie.end:]
    return out, changes[::-1]
