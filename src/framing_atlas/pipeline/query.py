"""Keyword queries in the boolean syntax of Media Cloud (Lucene): terms, "phrases", a * ending,
AND, OR and brackets (AND binds tighter than OR). A theme may have one; its detector uses
whether a paragraph matches as one more feature beside the paragraph's vector.

Matching is by whole words and ignores case, except that a term of two or three capitals (RT)
matches only in capitals. Every term is matched over the whole column at once, so a query over
a million paragraphs costs one regular-expression pass per term.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence, Union

import numpy as np
import pandas as pd

from framing_atlas.errors import AtlasError

TOKEN = re.compile(r'\(|\)|"[^"]*"|[^\s()"]+')


@dataclass(frozen=True)
class Term:
    pattern: str
    case_sensitive: bool


@dataclass(frozen=True)
class Node:
    op: str  # "AND" or "OR"
    parts: tuple["Query", ...]


Query = Union[Term, Node]


def parse_query(text: str) -> Query:
    """The query's tree; raises AtlasError saying where it is malformed."""
    tokens = TOKEN.findall(text)
    if not tokens:
        raise AtlasError("the query is empty")
    position = 0

    def expect_more(after: str) -> None:
        if position >= len(tokens):
            raise AtlasError(f"the query ends after {after!r}: a term is missing")

    def chain(op: str, parse_part) -> Query:
        """Parts joined by `op` (OR of AND-chains, AND of atoms): one part stays itself."""
        nonlocal position
        parts = [parse_part()]
        while position < len(tokens) and tokens[position] == op:
            position += 1
            expect_more(op)
            parts.append(parse_part())
        return parts[0] if len(parts) == 1 else Node(op, tuple(parts))

    def parse_or() -> Query:
        return chain("OR", parse_and)

    def parse_and() -> Query:
        return chain("AND", parse_atom)

    def parse_atom() -> Query:
        nonlocal position
        token = tokens[position]
        position += 1
        if token == "(":
            expect_more("(")
            inner = parse_or()
            if position >= len(tokens) or tokens[position] != ")":
                raise AtlasError("the query has a '(' without its ')'")
            position += 1
            return inner
        if token in (")", "AND", "OR"):
            raise AtlasError(f"the query has {token!r} where a term should be (term "
                             f"{position} of {len(tokens)})")
        return term(token)

    tree = parse_or()
    if position != len(tokens):
        raise AtlasError(f"the query has {tokens[position]!r} where AND, OR or the end should be "
                         "(two terms need AND or OR between them)")
    return tree


def term(token: str) -> Term:
    words = token.strip('"').split()
    if not words or any(w == "*" for w in words):
        raise AtlasError(f"the query has an empty term: {token!r}")
    parts = [re.escape(w[:-1]) + r"\w*" if w.endswith("*") else re.escape(w) for w in words]
    return Term(r"\b" + r"\s+".join(parts) + r"\b", bool(re.fullmatch(r"[A-Z]{2,3}", token)))


def query_hits(texts: Sequence[str] | pd.Series, query: Query | str) -> np.ndarray:
    """Whether each text matches the query (booleans, one per text)."""
    tree = parse_query(query) if isinstance(query, str) else query
    series = pd.Series(texts, dtype=object).astype(str).reset_index(drop=True)
    return _evaluate(tree, series)


def _evaluate(tree: Query, texts: pd.Series) -> np.ndarray:
    if isinstance(tree, Term):
        return texts.str.contains(tree.pattern, case=tree.case_sensitive, regex=True).to_numpy(bool)
    results = [_evaluate(part, texts) for part in tree.parts]
    return np.logical_and.reduce(results) if tree.op == "AND" else np.logical_or.reduce(results)
