import pandas as pd
import pytest

from framing_atlas.errors import AtlasError
from framing_atlas.pipeline.language import add_language, detect_languages

# One short fictional sentence per language, about the same harbour.
SENTENCES = {
    "en": "The harbour committee approved a new ferry timetable on Monday evening.",
    "de": "Der Hafenausschuss hat am Montagabend einen neuen Fahrplan für die Fähre beschlossen.",
    "it": "Il comitato del porto ha approvato lunedì sera un nuovo orario dei traghetti.",
    "fr": "Le comité du port a approuvé lundi soir un nouvel horaire pour les ferries.",
    "pl": "Komitet portowy zatwierdził w poniedziałek wieczorem nowy rozkład rejsów promowych.",
    "uk": "Портовий комітет у понеділок увечері затвердив новий розклад поромів.",
    "ru": "Портовый комитет в понедельник вечером утвердил новое расписание паромов.",
}


def test_short_sentences_in_seven_languages():
    assert detect_languages(list(SENTENCES.values())) == list(SENTENCES)


@pytest.mark.parametrize("text", ["", "OK", "2022-03-01 12:00", "NATO", "   \n  ", "!!!"])
def test_too_little_to_tell(text):
    assert detect_languages([text]) == ["und"]


def test_unsure_is_und():
    mixed = "Hafen port porto порт harbour Fähre traghetti ferries паром prom"
    assert detect_languages([mixed], min_confidence=0.99) == ["und"]


def test_same_answer_every_time():
    texts = list(SENTENCES.values()) * 3
    assert detect_languages(texts) == detect_languages(texts)


def test_restricting_the_languages():
    assert detect_languages([SENTENCES["uk"]], languages=["ru", "en"]) == ["ru"]
    with pytest.raises(AtlasError, match="unknown language code"):
        detect_languages(["text"], languages=["xx"])


def test_add_language_stage():
    articles = pd.DataFrame({"article_id": ["a", "b"], "text": [SENTENCES["de"], None]})
    assert add_language(articles)["language"].tolist() == ["de", "und"]
    with pytest.raises(AtlasError, match="needs column"):
        add_language(pd.DataFrame({"body": ["x"]}))


def test_bad_confidence():
    with pytest.raises(AtlasError, match="min_confidence"):
        detect_languages(["text"], min_confidence=2)
