"""Which language each text is in, offline: py3langid's bundled model, no download, no randomness.

py3langid (a maintained fork of langid.py) ships its model inside the package, knows about 140
languages, gives calibrated probabilities, and answers the same for the same text every time;
langdetect, the usual alternative, is random unless seeded globally.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence

import pandas as pd

from framing_atlas.errors import AtlasError, require_columns
from framing_atlas.store import LANGUAGE, TEXT

log = logging.getLogger(__name__)

UNDETERMINED = "und"  # ISO 639-2 code for "cannot tell"
# Fewer letters than this is too little to tell a language by ("OK", "2022", a name).
MIN_LETTERS = 20
MIN_CONFIDENCE = 0.8
# The first few thousand characters decide as well as the whole article, and much faster.
_SAMPLE_CHARS = 4000


@functools.lru_cache(maxsize=4)
def _identifier(languages: tuple[str, ...] | None):
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    if languages:
        try:
            identifier.set_languages(list(languages))
        except ValueError as err:
            raise AtlasError(f"unknown language code in {list(languages)}: {err}; use ISO "
                             f"639-1 codes such as en, de, uk") from None
    return identifier


def detect_languages(texts: list[str], *, min_letters: int = MIN_LETTERS,
                     min_confidence: float = MIN_CONFIDENCE,
                     languages: Sequence[str] | None = None) -> list[str]:
    """ISO 639-1 code of each text ("en", "uk"...), or "und" when too short or unsure.

    `languages` restricts the choice (e.g. ["en", "de", "ru"]), which helps on short texts.
    """
    if not 0.0 <= min_confidence <= 1.0:
        raise AtlasError(f"min_confidence must be between 0 and 1, got {min_confidence}")
    identifier = _identifier(tuple(sorted(set(languages))) if languages else None)
    codes = []
    for text in texts:
        sample = (text or "")[:_SAMPLE_CHARS]
        if sum(ch.isalpha() for ch in sample) < min_letters:
            codes.append(UNDETERMINED)
            continue
        code, confidence = identifier.classify(sample)
        codes.append(code if confidence >= min_confidence else UNDETERMINED)
    return codes


def add_language(paragraphs: pd.DataFrame, *, min_letters: int = MIN_LETTERS,
                 min_confidence: float = MIN_CONFIDENCE,
                 languages: Sequence[str] | None = None) -> pd.DataFrame:
    """Needs text; adds `language` (ISO 639-1, "und" when unsure). Works on articles too."""
    require_columns(paragraphs, [TEXT], stage="language")
    codes = detect_languages(paragraphs[TEXT].fillna("").astype(str).tolist(),
                             min_letters=min_letters, min_confidence=min_confidence,
                             languages=languages)
    log.info("languages: %s", pd.Series(codes).value_counts().head(8).to_dict())
    return paragraphs.assign(**{LANGUAGE: codes})
