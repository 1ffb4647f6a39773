"""Split articles into paragraphs: the unit that every later stage maps and compares."""

from __future__ import annotations

import bisect
import logging
import re
import unicodedata
from collections.abc import Mapping
from itertools import accumulate
from typing import NamedTuple

import ftfy
import pandas as pd

from framing_atlas.errors import AtlasError, require_columns
from framing_atlas.store import ARTICLE_ID, PARAGRAPH_ID, POSITION, REASON, TEXT

EMPTY = "empty"
BOILERPLATE = "boilerplate"
# Why an article gave no paragraph: the only two reasons there are, since a short
# or one-line article always gives one.
REASONS = {EMPTY: "empty after cleaning", BOILERPLATE: "only boilerplate"}

log = logging.getLogger(__name__)

# A line without final punctuation and at most this many words is a heading,
# subtitle, teaser or linked headline, never body text.
_HEADING_MAX_WORDS = 25
# Feed furniture is short; a longer line that mentions "subscribe" is an article.
_BOILERPLATE_MAX_WORDS = 40
# Under a "Read more" marker, feeds put a caption and the linked headline.
_READ_MORE_FOLLOWERS = 2
# Repeated sentences shorter than this ("Thank you.") may be genuine.
_REPEAT_MIN_WORDS = 8

# --- cleaning ---------------------------------------------------------------

# ftfy is the slowest step, so it runs only where mojibake is possible: UTF-8
# read as Latin-1/Windows-1252 ("donâ€™t") or as Windows-1251 ("РџСЂ"), C1
# controls, or replacement characters.
_MOJIBAKE_HINT = re.compile(
    "[\u0080-\u009f\ufffd]"
    "|[\u00c2-\u00f4][\u00a0-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6"
    "\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
    "|[\u0420\u0421][\u0402-\u040f\u0452-\u045f\u0490\u0491\u00a0-\u00bf\u2013-\u2122]")
_LINE_BREAKS = re.compile("[\r\v\f\x85\u2028\u2029]")
_INVISIBLE = re.compile("[\x00-\x08\x0e-\x1f\x7f\u00ad\u180e\u200b-\u200d\u2060\ufeff]")
_OTHER_SPACES = re.compile("[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
# Scrapers leave a gap of spaces where a caption, heading or embed was cut out
# of the page. Two spaces after a full stop are only a typing habit.
_WIDE_GAP = re.compile(r" {2,}(?=[\"“‘«(]?(\w))")
_TERMINAL = frozenset(".!?…\"”’'")
_SPACES = re.compile(" {2,}")
_BLANK_RUNS = re.compile(r"\n{3,}")
_SEPARATOR = re.compile(r"_{3,}|\*[^\S\n]+\*[^\S\n]+\*")

# --- boilerplate --------------------------------------------------------------

# Whatever else happens, no paragraph may keep one of these.
_FORBIDDEN = re.compile(r"\bread\s*more\b|read full article|©")  # on lowercased text
_READ_MORE_MARKER = re.compile(r"^\W*read\s+more\b", re.IGNORECASE)
_READ_FULL_TAIL = re.compile(r"\bread full article at\b(?:\s+\S+)?\s*$", re.IGNORECASE)
_INLINE_READ_MORE = re.compile(r"\bread more\s*:", re.IGNORECASE)
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"“”]+", re.IGNORECASE)
# What follows a link that ends a "Follow our coverage at <url>" line starts afresh.
_URL_THEN_CAPITAL = re.compile(r"[^\S\n]*(?:https?://|www\.)[^\s<>\"“”]+[^\S\n]+(?=[A-Z])",
                               re.IGNORECASE)
_CAPWORD = r"[A-Z][\w’'.&-]*"
# "© Getty Images / Russian Foreign Ministry": the credit ends before the
# capitalised word that starts the next sentence ("NATO expansionism has").
_INLINE_CREDIT = re.compile(
    rf"©[^/©\n]{{1,60}}?/\s*{_CAPWORD}(?:\s+{_CAPWORD})*?"
    rf"(?=\s+{_CAPWORD}\s+[a-z]|\s*[.,;:!?]|\s*$)")
_PHOTO_CREDIT = (r"\((?:(?:[^()]{0,30}\s)?(?:photo|image|picture)s?(?:\s*(?:[/:,©]|by\b|via\b)"
                 r"[^()]{0,120})?|[^()]{0,80}\bvia (?:ap|afp|reuters|getty images)\b[^()]{0,20})\)")
# Instagram embeds leave "A post shared by Name (@handle)" behind (in Russian
# pages "Публикация от Name (@handle)").
_EMBED = re.compile(r"\b(?:A post shared by|Публикация от) [^()\n]{0,60}\(@[\w.]+\)\s*")
# The Guardian's label for an interactive graphic, left between two sentences.
_EMBED_LABEL = re.compile(r"(?<=[.!?”\"’] )Interactive (?=[\"“‘]?[A-Z])")
_CREDIT = re.compile(_PHOTO_CREDIT, re.IGNORECASE)
_CREDIT_AT_START = re.compile(r"^\s*" + _PHOTO_CREDIT + r"\s*", re.IGNORECASE)
# Agency captions start with who and where and end with the date the photo was
# taken: "..., Ukraine, Saturday, Aug. 27, 2022."
_CAPTION_DATE = re.compile(
    r"\b(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day, (?:Jan|Feb|March|April|May|June|July|Aug"
    r"|Sept|Oct|Nov|Dec)\.? \d{1,2}, \d{4}\W*$")
_CAPTION_LOOKBACK = 4  # sentences a caption may run to
_CAPTION_START = re.compile(r"FILE\s+[-–—]\s")  # an archive photo's caption, however long

# Both are matched against the lowercased line, which is much faster than
# IGNORECASE. Line starts:
_BOILERPLATE_START = re.compile(r"\W*(?:" + "|".join([
    # captions and credits
    r"(?:photo(?:graph)?|image|picture|credit|illustration)s?\s*(?::|by\b)",
    r"file\s+[-–—]\s", r"in this (?:[\w-]+ )?(?:photo|image|picture)\b",
    r"this (?:[\w-]+ )?(?:photo|image|picture) (?:provided|released|taken|made|shows)\b",
    r"(?:additional )?(?:reporting|writing|editing) by\b",
    r"(?:e-?mail|send|contact|write to)\b.{0,80}?[\w.+-]+@[\w-]+\.\w",
    # sharing, newsletters, social media
    r"(?:share|tweet|email|print)\s+(?:this|on)\b", r"share\W*$", r"subscribe\b",
    r"(?:newsletter\s+)?sign[\s-]?up\b", r"(?:by signing up|you can unsubscribe)\b",
    r"(?:why not )?(?:follow|find|like|join)\b.{0,80}?\b(?:on|via)\s+"
    r"(?:facebook|twitter|instagram|telegram|tiktok|youtube|linkedin)\b",
    r"follow us\b", r"follow\b.{0,60}\b(?:coverage|stories)\b", r"related\s*:",
    r"advertisement\b\W*(?:continue reading.*|story continues below.*)?$",
    r"(?:story continue[sd] below|continue reading(?: the main story)?)\b",
    r"send (?:us )?your (?:story ideas|questions|stories|tips)\b",
    r"if you have a story (?:suggestion|idea)", r"read about our approach to external linking",
    r"copyright\b", r"(?:https?://|www\.)\S+\W*$",
]) + ")")
# Anywhere in the line:
_BOILERPLATE_ANYWHERE = re.compile("|".join([
    r"\bread\s+more\b", r"read full article", "©", r"photograph:\s", _PHOTO_CREDIT,
    r"click here", r"sign up\b.{0,60}\bnewsletter", r"newsletter\b.{0,60}\bsign up",
    r"(?:to|in) your inbox\b", r"privacy policy\b", r"terms of (?:use|service)\b",
    r"opt[- ]?out at any ?time", r"unsubscribe\b", r"for validation purposes", r"invalid email",
    r"(?:opinions|views) expressed\b.{0,80}\b(?:own|author|necessarily)", r"hide caption\b",
    r"is not responsible for the content of external sites", r"all rights reserved",
    r"contributed(?: reporting)?(?: to this (?:report|story))?(?: from [^.]{1,60})?\W*$",
    r"a post shared by\b",
]))

# --- sentences ----------------------------------------------------------------

_ENDS_SENTENCE = re.compile(r"[.!?…][\"”’'»)\]]*$")
_BOUNDARY = re.compile(r"([.!?…]+)([\"”’'»)\]]*)\s+(?=[\"“‘'«(\[–—-]*\s?([\w©]))")
# Titles and months, which are followed by a capitalised name or a number.
# "Inc." or "etc." usually end a sentence when a capital follows, so they split.
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof st sen rep gov gen col lt sgt capt cmdr adm maj rev hon pres mt ft "
    "vs approx fig no nos jan feb mar apr jun jul aug sep sept oct nov dec".split())
_DOTTED = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]$")  # U.S, U.K, a.m (final dot excluded)
_OPENERS = "\"“‘'«(["


def clean_text(text: str) -> str:
    """Fix broken encodings and normalise whitespace, keeping markup literally.

    Newlines become "\\n", runs of spaces one space, blank-line runs one blank
    line; zero-width characters go. A gap of spaces before a capital letter
    (three or more, or two after an unfinished sentence) becomes a line break:
    scrapers leave one where they cut out a caption or heading. Tags such as
    <script> are left as they are: untrusted text is escaped where it is shown,
    not edited here.
    """
    if _MOJIBAKE_HINT.search(text):
        text = ftfy.fix_text(text, uncurl_quotes=False, unescape_html=False)
    else:
        text = unicodedata.normalize("NFC", text)
    # Each pass scans the whole text, so cheap substring tests skip most of them.
    text = _LINE_BREAKS.sub("\n", text.replace("\r\n", "\n"))
    text = _OTHER_SPACES.sub(" ", _INVISIBLE.sub("", text))
    if "  " in text:
        text = _SPACES.sub(" ", _WIDE_GAP.sub(_wide_gap, text))
    text = "\n".join(line.strip() for line in text.split("\n"))
    if "\n\n\n" in text:
        text = _BLANK_RUNS.sub("\n\n", text)
    return text.strip()


def _wide_gap(match: re.Match) -> str:
    start, following = match.start(), match.group(1)
    before = match.string[start - 1] if start else ""
    cut = (following.isupper() or following.isdigit()) and (
        len(match.group()) >= 3 or before not in _TERMINAL)
    return "\n" if cut else " "


def is_boilerplate(line: str) -> bool:
    """True for a line that is feed furniture rather than article text.

    Read-more links, "Read Full Article at", photo captions and credits,
    share/subscribe/follow lines, "Advertisement", bare URLs. Lines longer than
    a few sentences are never boilerplate as a whole: their sentences are
    checked one by one instead.
    """
    line = line.strip()
    if not line or line.count(" ") >= _BOILERPLATE_MAX_WORDS:
        return False
    lowered = line.lower()
    return (_BOILERPLATE_START.match(lowered) is not None
            or _BOILERPLATE_ANYWHERE.search(lowered) is not None)


def split_sentences(text: str) -> list[str]:
    """Sentences of `text`, not split after abbreviations, initials or inside numbers."""
    sentences = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        following = match.group(3)
        # A copyright line glued to the text ("... trial". © 2022 BBC.) starts a sentence.
        if not (following.isupper() or following.isdigit() or following == "©"):
            continue
        if match.group(1) == "." and not match.group(2):
            before = text[max(start, match.start() - 24):match.start()].split()
            word = before[-1].lstrip(_OPENERS) if before else ""
            if (word.lower() in _ABBREVIATIONS or _DOTTED.search(word)
                    or (len(word) == 1 and word.isupper())):
                continue
        sentences.append(text[start:match.end(2)])
        start = match.end()
    rest = text[start:].strip()
    if rest:
        sentences.append(rest)
    return sentences


def split_paragraphs(text: str, *, min_chars: int = 60, target_words: int = 100,
                     max_words: int = 150) -> list[str]:
    """Body paragraphs of one article, without headings, captions and feed furniture.

    Lines are grouped into paragraphs at blank lines (or one per line when the
    text has no blank lines). Boilerplate lines and sentences are removed, short
    fragments ending like a sentence are merged into the next paragraph and other
    short fragments (headings) dropped. A paragraph over `max_words` is cut at
    sentence boundaries into passages of about `target_words`. An article that
    would give nothing this way (one short line, a claim, a headline) gives its
    whole text without boilerplate instead: only an empty or boilerplate-only
    article gives no paragraph.
    """
    _check_options(min_chars=min_chars, target_words=target_words, max_words=max_words)
    return _split(text, min_chars=min_chars, target_words=target_words, max_words=max_words)[0]


class Segmentation(NamedTuple):
    """What segment_articles returns: two frames, so the stage still hands on plain frames."""

    paragraphs: pd.DataFrame  # paragraph_id, article_id, position, text
    unsegmented: pd.DataFrame  # article_id, reason: each article that gave no paragraph


def segment(articles: pd.DataFrame, *, min_chars: int = 60, target_words: int = 100,
            max_words: int = 150) -> pd.DataFrame:
    """Needs article_id, text; returns one row per paragraph: paragraph_id, article_id, position, text."""
    return segment_articles(articles, min_chars=min_chars, target_words=target_words,
                            max_words=max_words).paragraphs


def segment_articles(articles: pd.DataFrame, *, min_chars: int = 60, target_words: int = 100,
                     max_words: int = 150) -> Segmentation:
    """Needs article_id, text; returns the paragraphs (as `segment`) and the articles without.

    `unsegmented` has one row per such article: article_id and reason (EMPTY or
    BOILERPLATE, explained in REASONS), in article_id order.
    """
    require_columns(articles, [ARTICLE_ID, TEXT], stage="segment")
    _check_options(min_chars=min_chars, target_words=target_words, max_words=max_words)
    missing = articles[ARTICLE_ID].isna()
    if missing.any():
        raise AtlasError("article_id is missing", row=_row(articles, missing), field=ARTICLE_ID)
    ids = articles[ARTICLE_ID].astype(str)
    repeated = ids.duplicated()
    if repeated.any():
        raise AtlasError(f"article_id '{ids[repeated].iloc[0]}' appears more than once",
                         row=_row(articles, repeated), field=ARTICLE_ID)

    # Sorting first makes the output independent of the input's row order.
    by_id = sorted(zip(ids.tolist(), articles[TEXT].tolist()), key=lambda pair: pair[0])
    columns: dict[str, list] = {PARAGRAPH_ID: [], ARTICLE_ID: [], POSITION: [], TEXT: []}
    unsegmented: dict[str, list] = {ARTICLE_ID: [], REASON: []}
    for article_id, text in by_id:
        paragraphs, reason = _split(text, min_chars=min_chars, target_words=target_words,
                                    max_words=max_words)
        if reason is not None:
            unsegmented[ARTICLE_ID].append(article_id)
            unsegmented[REASON].append(reason)
        for position, paragraph in enumerate(paragraphs):
            columns[PARAGRAPH_ID].append(f"{article_id}:{position}")
            columns[ARTICLE_ID].append(article_id)
            columns[POSITION].append(position)
            columns[TEXT].append(paragraph)
    log.info("segmented %d articles into %d paragraphs; %d articles gave none",
             len(by_id), len(columns[TEXT]), len(unsegmented[ARTICLE_ID]))
    return Segmentation(
        pd.DataFrame(columns).astype(
            {PARAGRAPH_ID: "str", ARTICLE_ID: "str", POSITION: "int64", TEXT: "str"}),
        pd.DataFrame(unsegmented).astype({ARTICLE_ID: "str", REASON: "str"}))


def no_paragraph_note(reasons: Mapping[str, int]) -> str:
    """In words: '3 articles gave no paragraph: 2 empty after cleaning, 1 only boilerplate'."""
    total = sum(reasons.values())
    if not total:
        return "every article gave at least one paragraph"
    order = list(REASONS) + sorted(set(reasons) - set(REASONS))
    parts = [f"{reasons[reason]} {REASONS.get(reason, 'other')}"
             for reason in order if reasons.get(reason)]
    return f"{total} article{'s' if total != 1 else ''} gave no paragraph: {', '.join(parts)}"


def _split(text: object, *, min_chars: int, target_words: int,
           max_words: int) -> tuple[list[str], str | None]:
    """The paragraphs of one article, and why there are none (EMPTY, BOILERPLATE) if so; the
    callers have checked the options once (not once per article)."""
    if not isinstance(text, str):
        return [], EMPTY
    text = clean_text(text)
    if not text:
        return [], EMPTY
    lines = _group_lines(_kept_lines(text))
    seen: set[str] = set()
    sentences = [_body_sentences(candidate, seen) for candidate in _drop_repeats(lines)]
    passages = [passage
                for paragraph in _settle_fragments(sentences, min_chars=min_chars)
                for passage in _pack(paragraph, target_words=target_words,
                                     max_words=max_words, min_chars=min_chars)]
    if passages:
        return passages, None
    # Headings, fragments and a short quote under a credit are dropped as the
    # furniture of a longer article; when they are all there is (a one-line
    # claim, a headline, a video's caption), they are the article.
    seen = set()
    whole = [sentence for line in dict.fromkeys(_group_lines(_kept_lines(text, salvage=True)))
             for sentence in _body_sentences(line, seen, fragments=True)]
    if not whole:
        return [], BOILERPLATE
    return _pack(whole, target_words=target_words, max_words=max_words, min_chars=min_chars), None


def _check_options(*, min_chars: int, target_words: int, max_words: int) -> None:
    if min_chars < 0:
        raise AtlasError(f"min_chars must be ≥ 0, got {min_chars}")
    if target_words < 1:
        raise AtlasError(f"target_words must be ≥ 1, got {target_words}")
    if max_words < target_words:
        raise AtlasError(f"max_words must be ≥ target_words, got {max_words} < {target_words}")


def _row(articles: pd.DataFrame, mask: pd.Series) -> object:
    return articles.index[mask.to_numpy()][0]


def _kept_lines(text: str, *, salvage: bool = False) -> list[tuple[int, str]]:
    """(paragraph number, line) for each line that is not boilerplate.

    A line judged furniture as a whole (a credit after a short quote) is dropped,
    or with `salvage` reduced to its sentences that are not boilerplate.
    """
    blank_lines = "\n\n" in text
    if "___" in text or "* *" in text:
        text = _SEPARATOR.sub("\n\n" if blank_lines else "\n", text)
    if "http" in text or "www." in text:
        text = _URL_THEN_CAPITAL.sub("\n", text)
    if blank_lines:
        numbered = [(number, line.strip()) for number, block in enumerate(text.split("\n\n"))
                    for line in block.split("\n")]
    else:
        numbered = [(number, line.strip()) for number, line in enumerate(text.split("\n"))]
        if _hard_wrapped([line for _, line in numbered]):
            numbered = [(0, line) for _, line in numbered]
    kept: list[tuple[int, str]] = []
    followers = 0
    for number, line in numbered:
        if not line:
            continue
        if followers and not _ENDS_SENTENCE.search(line) \
                and line.count(" ") < _HEADING_MAX_WORDS:
            followers -= 1
            continue
        followers = 0
        # Judge the line as it came: stripping its credit first would leave a
        # caption looking like a sentence.
        if _is_furniture(line):
            if _READ_MORE_MARKER.match(line):
                followers = _READ_MORE_FOLLOWERS
            if not salvage:
                continue
            line = _text_sentences(_strip_inline(line))
        else:
            line = _strip_inline(line)
            if line and _is_furniture(line):
                line = _text_sentences(line) if salvage else ""
        if not line:
            continue
        if not blank_lines and kept and _continues(kept[-1][1], line):
            number = kept[-1][0]
        kept.append((number, line))
    return kept


def _text_sentences(line: str) -> str:
    """The sentences of a furniture line that are not boilerplate, joined."""
    return " ".join(sentence for sentence in split_sentences(line)
                    if not (is_boilerplate(sentence) or _FORBIDDEN.search(sentence.lower())))


def _is_furniture(line: str) -> bool:
    """is_boilerplate, unless the line also holds a few sentences of text to keep."""
    if not is_boilerplate(line):
        return False
    text_words = sum(sentence.count(" ") + 1 for sentence in split_sentences(line)
                     if not (is_boilerplate(sentence) or _FORBIDDEN.search(sentence.lower())))
    return text_words < _HEADING_MAX_WORDS


def _hard_wrapped(lines: list[str]) -> bool:
    """True when most lines stop mid-sentence and go on in the next line (fixed-width text)."""
    open_ends = [(line, following) for line, following in zip(lines, lines[1:])
                 if line and not _ENDS_SENTENCE.search(line)]
    wrapped = sum(_continues(line, following) for line, following in open_ends)
    return len(open_ends) >= 3 and wrapped * 2 >= len(open_ends)


def _continues(line: str, following: str) -> bool:
    """True when `following` carries on the sentence that `line` left open."""
    if not following or _ENDS_SENTENCE.search(line):
        return False
    first = following[0]
    return first.islower() or first in ",;:)]"


def _strip_inline(line: str) -> str:
    """The line without trailing teaser links, URLs, inline credits and read-more markers."""
    # Substring tests first: most lines carry none of these, and regexes are slow.
    lowered = line.lower()
    before = line
    if "read full article" in lowered:
        line = _READ_FULL_TAIL.sub("", line)
    if "http" in lowered or "www." in lowered:
        line = _URL.sub("", line)
    if "©" in line:
        line = _INLINE_CREDIT.sub("", line)
    if "read more" in lowered and not _READ_MORE_MARKER.match(line):
        line = _INLINE_READ_MORE.sub(" ", line)
    if "post shared by" in lowered or "публикация от" in lowered:
        line = _EMBED.sub("", line)
    if "Interactive" in line:
        line = _EMBED_LABEL.sub("", line)
    return line if line == before else _SPACES.sub(" ", line).strip()


def _group_lines(lines: list[tuple[int, str]]) -> list[str]:
    groups: list[str] = []
    previous = None
    for number, line in lines:
        if number == previous:
            groups[-1] += " " + line
        else:
            groups.append(line)
        previous = number
    return groups


def _drop_repeats(candidates: list[str]) -> list[str]:
    """Without repeated lines: all copies of a short one (a title), later copies of a long one."""
    counts: dict[str, int] = {}
    for candidate in candidates:
        counts[candidate] = counts.get(candidate, 0) + 1
    seen: set[str] = set()
    kept = []
    for candidate in candidates:
        if counts[candidate] > 1 and (candidate in seen
                                      or candidate.count(" ") < _HEADING_MAX_WORDS):
            continue
        seen.add(candidate)
        kept.append(candidate)
    return kept


def _body_sentences(candidate: str, seen: set[str], *, fragments: bool = False) -> list[str]:
    """The sentences of one paragraph that are neither boilerplate nor photo captions.

    Fragments of one or two words without final punctuation are dropped too,
    unless `fragments` is true.
    """
    kept: list[str] = []
    caption_at = None  # where the last dated caption sentence stood in `kept`
    for sentence in split_sentences(candidate):
        credit = _CREDIT_AT_START.match(sentence)
        if credit:
            # The credit closes a caption: its dated first sentence and the
            # background sentences the agency appends to it.
            if caption_at is not None and len(kept) - caption_at <= _CAPTION_LOOKBACK:
                del kept[caption_at:]
            elif kept:
                kept.pop()
            caption_at = None
            sentence = sentence[credit.end():]
        if "(" in sentence:
            sentence = _SPACES.sub(" ", _CREDIT.sub("", sentence))
        sentence = sentence.strip()
        if _is_caption_lead(sentence) or _CAPTION_START.match(sentence):
            caption_at = len(kept)
            continue
        if (not sentence or is_boilerplate(sentence) or _FORBIDDEN.search(sentence.lower())
                or (not fragments and sentence.count(" ") < 2
                    and not _ENDS_SENTENCE.search(sentence))):
            continue
        # Agency copy repeats the same caption under every photo.
        if sentence.count(" ") >= _REPEAT_MIN_WORDS - 1:
            if sentence in seen:
                continue
            seen.add(sentence)
        kept.append(sentence)
    return kept


def _is_caption_lead(sentence: str) -> bool:
    # The date closes the sentence, so only its tail needs looking at.
    return _CAPTION_DATE.search(sentence, max(0, len(sentence) - 48)) is not None


def _settle_fragments(paragraphs: list[list[str]], *, min_chars: int) -> list[list[str]]:
    """Merge short sentence fragments into the next paragraph; drop headings."""
    settled: list[list[str]] = []
    pending: list[str] = []
    for sentences in paragraphs:
        if not sentences:
            continue
        text = " ".join(sentences)
        if len(text) >= min_chars:
            if len(sentences) == 1 and _is_heading(text):
                continue
            settled.append(pending + sentences)
            pending = []
        elif text.endswith(":") or (_ENDS_SENTENCE.search(text) and not text.endswith("?")):
            pending += sentences
        # Anything else this short is a heading ("Enemy at the gates?").
    if pending:
        if settled:
            settled[-1] += pending
        elif len(" ".join(pending)) >= min_chars:
            settled.append(pending)
    return settled


def _is_heading(text: str) -> bool:
    return (not _ENDS_SENTENCE.search(text) and not text.endswith((":", ";", ","))
            and text.count(" ") < _HEADING_MAX_WORDS)


def _pack(sentences: list[str], *, target_words: int, max_words: int,
          min_chars: int) -> list[str]:
    """Passages of whole sentences of about `target_words`, balanced in length."""
    counts = [len(sentence.split()) for sentence in sentences]
    total = sum(counts)
    if total <= max_words or len(sentences) == 1:
        return [" ".join(sentences)]
    parts = min(len(sentences), max(round(total / target_words), -(-total // max_words)))
    ends = list(accumulate(counts))
    cuts = [0]
    for part in range(1, parts):
        goal = total * part / parts
        cut = bisect.bisect_left(ends, goal)  # ends[cut] >= goal: cut after sentence `cut`
        if cut > 0 and goal - ends[cut - 1] < ends[cut] - goal:
            cut -= 1
        cut = min(max(cut + 1, cuts[-1] + 1), len(sentences) - (parts - part))
        cuts.append(cut)
    cuts.append(len(sentences))
    passages: list[str] = []
    for start, end in zip(cuts, cuts[1:]):
        chunk = sentences[start:end]
        if sum(counts[start:end]) > max_words and len(chunk) > 1:
            passages += _pack(chunk, target_words=target_words, max_words=max_words,
                              min_chars=min_chars)
        elif passages and len(" ".join(chunk)) < min_chars:
            passages[-1] += " " + " ".join(chunk)
        else:
            passages.append(" ".join(chunk))
    if len(passages) > 1 and len(passages[0]) < min_chars:
        first = passages.pop(0)
        passages[0] = first + " " + passages[0]
    return passages
