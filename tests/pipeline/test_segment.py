"""Tests for the segmentation stage: fictional fixtures first, then the shared seed and corpus."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from conftest import SHARED, needs_real_data
from framing_atlas.errors import AtlasError
from framing_atlas.pipeline.segment import (BOILERPLATE, EMPTY, clean_text, is_boilerplate,
                                            no_paragraph_note, segment, segment_articles,
                                            split_paragraphs, split_sentences)

SEEDS = SHARED / "seeds"
UKRAINE = SHARED / "data" / "ukraine_war_media_2022" / "articles.csv.gz"
DISINFO = SHARED / "data" / "disinfo_narratives" / "articles.csv.gz"
SEED_FILES = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
needs_seed = pytest.mark.skipif(not SEED_FILES, reason="../shared/seeds not present")
needs_ukraine = pytest.mark.skipif(not UKRAINE.is_file(),
                                   reason="../shared/data/ukraine_war_media_2022 not present")

# Fictional town, fictional paper.
BRIDGE = ("The council of Port Averly voted on Tuesday to reopen the old harbour bridge, "
          "ending a dispute that had divided the town for three years.")
COSTS = ("Opponents said the repairs would cost far more than the budget allowed. "
         "Supporters replied that the bridge was the only direct route to the hospital.")
REPORT = ("The mayor, Ms. Ilse Varga, promised a public report on the costs before the end "
          "of the year, and said residents could comment on it for six weeks.")

FORBIDDEN = re.compile(r"read more|read full article|© getty images", re.IGNORECASE)


def words(text: str) -> int:
    return len(text.split())


def ends_like_sentence(text: str) -> bool:
    return re.search(r"[.!?…][\"”’')\]]*$", text) is not None


def one_line_page(sentences: int = 40) -> str:
    """A page of fictional sentences of varied length on one line, as some scrapers store them."""
    fillers = ["the harbour", "the ferry timetable", "the fish market on the north quay",
               "the council's own engineers", "a petition signed by several hundred residents"]
    parts = []
    for i in range(sentences):
        tail = " and ".join(fillers[: 1 + i % len(fillers)])
        parts.append(f"Speaker {i} said the decision on the bridge would change {tail}.")
    return " ".join(parts)


# --- clean_text -------------------------------------------------------------------

def test_clean_text_fixes_mojibake():
    assert clean_text("They donâ€™t agree.") == "They don’t agree."


def test_clean_text_normalises_whitespace_and_newlines():
    assert clean_text("a \t b\u00a0c\r\nnext\rline\n\n\n\nend ") == "a b c\nnext\nline\n\nend"


def test_clean_text_strips_zero_width_characters():
    assert clean_text("Ky\u200biv\ufeff and Od\u200desa") == "Kyiv and Odesa"


def test_clean_text_keeps_markup_literally():
    text = "Comment: <script>alert(1)</script> and <b>bold</b> and **note** &amp; more"
    assert clean_text(text) == text


def test_clean_text_turns_scraper_gaps_into_line_breaks():
    assert clean_text(f"{BRIDGE}   A crane on the quay. Photograph: Lena Ort   {COSTS}") \
        == f"{BRIDGE}\nA crane on the quay. Photograph: Lena Ort\n{COSTS}"
    # Two spaces after a full stop are a typing habit, not a gap.
    assert clean_text("It rained.  Then it stopped.") == "It rained. Then it stopped."


# --- split_sentences ----------------------------------------------------------------

def test_split_sentences_respects_abbreviations_initials_and_decimals():
    text = ('Mr. Smith met Dr. Jones in St. Petersburg on Jan. 5. The U.S. envoy, J. R. Miller, '
            'said growth was 3.5 percent. "It works." She left! Did they stay? Yes.')
    assert split_sentences(text) == [
        "Mr. Smith met Dr. Jones in St. Petersburg on Jan. 5.",
        "The U.S. envoy, J. R. Miller, said growth was 3.5 percent.",
        '"It works."', "She left!", "Did they stay?", "Yes."]


def test_split_sentences_does_not_split_before_lowercase():
    assert split_sentences('"Why?" he asked. It was late.') == ['"Why?" he asked.', "It was late."]


# --- is_boilerplate ------------------------------------------------------------------

BOILERPLATE_LINES = [
    "Read more", "Read more:", "Read more: Harbour fees rise again", "READ MORE: Harbour fees rise",
    "Read More about the bridge vote", "Harbour fees rise again Read more",
    "Harbour council in crisis Read Full Article at",
    "A crane on the quay. © Getty Images / Lena Ort", "© Averly Press",
    "Photo: Lena Ort", "Image: Harbour Office", "Credit: Port Averly Gazette",
    "The old bridge in 1950 (Photo by Lena Ort)", "A crane on the quay. Photograph: Lena Ort",
    "Share this article", "Subscribe to the Averly Gazette", "Sign up for our newsletter",
    "Follow us on Twitter", "Click here to watch the vote", "Advertisement",
    "https://example.org/bridge-vote", "www.example.org/bridge",
]


@pytest.mark.parametrize("line", BOILERPLATE_LINES)
def test_is_boilerplate_recognises_each_kind(line):
    assert is_boilerplate(line)


@pytest.mark.parametrize("line", [
    BRIDGE, COSTS,
    "The channel has more than 2,000 subscribers, most of them fishermen from the north quay.",
    "The ministry allowed volunteers to sign up with the coastguard for the first time.",
    "Investigators said they would follow the money wherever it led.",
    "Readers wanted more detail about the costs.",
])
def test_is_boilerplate_leaves_article_text_alone(line):
    assert not is_boilerplate(line)


def test_long_line_is_never_boilerplate_as_a_whole():
    assert not is_boilerplate(one_line_page(10) + " Read more about the vote here.")


# --- split_paragraphs ----------------------------------------------------------------

def test_blank_lines_separate_paragraphs_and_lines_inside_a_block_are_joined():
    first, second = COSTS.split(". ", 1)
    text = f"{BRIDGE}\n\n{first}.\n{second}\n\n{REPORT}"
    assert split_paragraphs(text) == [BRIDGE, COSTS, REPORT]


def test_single_newlines_make_one_paragraph_per_line():
    assert split_paragraphs(f"{BRIDGE}\n{COSTS}\n{REPORT}") == [BRIDGE, COSTS, REPORT]


def test_hard_wrapped_lines_are_joined_back():
    text = ("The council of Port Averly voted on Tuesday to reopen the old\n"
            "harbour bridge, ending a dispute that had divided the town for\n"
            "three years. Opponents said the repairs would cost far more than\n"
            "the budget allowed, and supporters replied that the bridge was\n"
            "the only direct route to the hospital.")
    assert split_paragraphs(text) == [" ".join(text.split())]


@pytest.mark.parametrize("line", BOILERPLATE_LINES)
@pytest.mark.parametrize("separator", ["\n\n", "\n"])
def test_boilerplate_lines_are_removed(line, separator):
    text = separator.join([BRIDGE, line, COSTS])
    assert split_paragraphs(text) == [BRIDGE, COSTS]


def test_read_more_block_drops_caption_and_linked_headline():
    text = (f"{BRIDGE}\n\nRead more\nA crane on the quay. © Averly Press / Lena Ort\n"
            f"Harbour fees rise again\n\n{COSTS}")
    assert split_paragraphs(text) == [BRIDGE, COSTS]


def test_urls_inside_a_line_are_removed():
    text = ("The full plan was published at https://example.org/plan.pdf on Monday, "
            "the council said in a statement to residents.")
    assert split_paragraphs(text) == [
        "The full plan was published at on Monday, the council said in a statement to residents."]


def test_trailing_read_full_article_is_cut_from_a_long_line():
    body = one_line_page(4)
    assert split_paragraphs(f"{body} Read Full Article at") == [body]


def test_copyright_line_glued_to_the_text_keeps_the_sentence_before_it():
    text = f'{BRIDGE} Critics called it a "show vote". © 2022 Averly Press. Send us your questions'
    assert split_paragraphs(text) == [f'{BRIDGE} Critics called it a "show vote".']


def test_agency_photo_caption_is_removed_with_its_credit():
    caption = ("A ferry leaves the north quay in Port Averly, Saturday, Aug. 27, 2022. "
               "The council voted to reopen the bridge.")
    text = f"{BRIDGE} {caption} (AP Photo/Lena Ort) {COSTS}"
    assert split_paragraphs(text) == [f"{BRIDGE} {COSTS}"]


def test_short_heading_is_dropped():
    assert split_paragraphs(f"Bridge vote\n\n{BRIDGE}\n\nWhat comes next?\n\n{COSTS}") \
        == [BRIDGE, COSTS]


def test_subtitle_without_final_punctuation_is_dropped():
    subtitle = "A dispute that divided a small harbour town for three long years comes to an end"
    assert split_paragraphs(f"{subtitle}\n\n{BRIDGE}") == [BRIDGE]


def test_repeated_title_is_dropped():
    title = "Port Averly reopens its bridge."
    assert split_paragraphs(f"{title}\n\n{title}\n\n{BRIDGE}") == [BRIDGE]


def test_short_sentence_is_merged_into_the_next_paragraph():
    assert split_paragraphs(f"{BRIDGE}\n\nThe vote was close.\n\n{COSTS}") \
        == [BRIDGE, f"The vote was close. {COSTS}"]


def test_short_last_sentence_is_merged_into_the_previous_paragraph():
    assert split_paragraphs(f"{BRIDGE}\n\n{COSTS}\n\nWork starts soon.") \
        == [BRIDGE, f"{COSTS} Work starts soon."]


# An article is never dropped for being short or one line (issue 9, item 3).
@pytest.mark.parametrize("text", [
    "NATO will place missiles in Port Averly.",  # a one-line claim of about 40 characters
    "Harbour bridge of Port Averly will never reopen, say engineers",  # heading-like, no stop
    "The vote was close.",  # a sentence below min_chars
    "Bridge vote",  # two words are still the article
])
def test_short_or_one_line_article_is_one_paragraph(text):
    assert split_paragraphs(text) == [text]


def test_short_article_keeps_its_whole_text_without_boilerplate():
    text = ("Bridge vote\n\nBridge vote\n\nThe vote was close.\n\n"
            "© Getty Images / Averly Press\n\nRead more: Harbour fees rise again")
    assert split_paragraphs(text) == ["Bridge vote The vote was close."]


def test_short_quote_under_a_credit_is_kept_without_the_credit():
    quote = "“We will not worry about the bridge until the money runs out,” Varga said."
    assert split_paragraphs(f"{quote} - Lena Ort contributed to this report") == [quote]
    # In a longer article the same line is furniture, as before.
    assert split_paragraphs(f"{BRIDGE}\n\n{quote} - Lena Ort contributed to this report"
                            f"\n\n{COSTS}") == [BRIDGE, COSTS]


@pytest.mark.parametrize("text", ["Read more: Harbour fees rise again",
                                  "© Getty Images / Averly Press",
                                  "Subscribe to our newsletter\n\nShare this article"])
def test_boilerplate_only_article_gives_nothing(text):
    assert split_paragraphs(text) == []


def test_one_line_page_is_split_into_passages_at_sentence_boundaries():
    page = one_line_page(40)
    passages = split_paragraphs(page)
    assert len(passages) > 3
    assert " ".join(passages) == page  # nothing lost, nothing reordered
    for passage in passages:
        assert 50 <= words(passage) <= 150
        assert ends_like_sentence(passage)
        assert passage.startswith("Speaker ")


def test_passages_never_end_at_an_abbreviation():
    sentences = [f"Mr. Varga told Dr. Ort on Jan. {day} that the U.S. firm had offered 3.5 million "
                 f"for the bridge, and J. Smith of St. Anne's agreed." for day in range(1, 13)]
    passages = split_paragraphs(" ".join(sentences))
    assert len(passages) >= 2
    assert all(passage.endswith("agreed.") for passage in passages)


def test_long_paragraph_is_split_near_target_words():
    paragraph = " ".join(f"Sentence {i} of the long paragraph tells one more part of the long "
                         f"story about the harbour bridge and the vote." for i in range(12))
    passages = split_paragraphs(paragraph, target_words=100, max_words=150)
    # 252 words: three passages of 84 are nearer the target than two of 126.
    assert [words(p) for p in passages] == [84, 84, 84]
    assert " ".join(passages) == paragraph


def test_single_very_long_sentence_stays_whole():
    sentence = "The council said " + ", ".join(["the bridge will reopen"] * 60) + "."
    assert split_paragraphs(sentence) == [sentence]


def test_script_and_markup_survive_literally():
    text = ("Readers found <script>alert(1)</script> in the comments under the story, "
            "and the <b>editors</b> left it there.")
    assert split_paragraphs(text) == [text]


def test_mojibake_is_fixed_in_paragraphs():
    paragraphs = split_paragraphs(f"They donâ€™t agree. {BRIDGE}")
    assert paragraphs == [f"They don’t agree. {BRIDGE}"]


@pytest.mark.parametrize("text", [float("nan"), None, 42, "", "   \n\n \t "])
def test_missing_or_empty_text_gives_no_paragraphs(text):
    assert split_paragraphs(text) == []


def test_inline_boilerplate_in_a_one_line_page_is_removed():
    page = (f"{BRIDGE} Read more about the bridge here. {COSTS} READ MORE: Harbour fees rise "
            f"again The mayor spoke next. A crane on the quay. © Getty Images / Averly Press "
            f"Workers began the repairs on Monday. {REPORT} Read more")
    paragraphs = split_paragraphs(page)
    assert paragraphs
    assert not any(FORBIDDEN.search(p) for p in paragraphs)
    assert BRIDGE in paragraphs[0] and REPORT in paragraphs[-1]
    assert "Workers began the repairs on Monday." in " ".join(paragraphs)


def test_invalid_options_raise_atlas_error():
    with pytest.raises(AtlasError, match="max_words must be ≥ target_words"):
        split_paragraphs(BRIDGE, target_words=100, max_words=50)


# --- segment ----------------------------------------------------------------------------

def articles() -> pd.DataFrame:
    return pd.DataFrame({
        "article_id": ["b", "a", "c", "d"],
        "outlet": ["Averly Gazette", "Harbour Post", "Quay Daily", "Quay Daily"],
        "text": [f"{BRIDGE}\n\n{COSTS}", f"{REPORT}\n\nRead more\n\n{BRIDGE}",
                 float("nan"), "   "],
    })


def test_segment_ids_positions_and_order():
    paragraphs = segment(articles())
    assert list(paragraphs.columns) == ["paragraph_id", "article_id", "position", "text"]
    assert paragraphs["paragraph_id"].tolist() == ["a:0", "a:1", "b:0", "b:1"]
    assert paragraphs["article_id"].tolist() == ["a", "a", "b", "b"]
    assert paragraphs["position"].tolist() == [0, 1, 0, 1]
    assert paragraphs["text"].tolist() == [REPORT, BRIDGE, BRIDGE, COSTS]
    assert paragraphs.index.equals(pd.RangeIndex(4))


def test_segment_dtypes():
    for frame in (segment(articles()), segment(articles().iloc[2:])):
        assert pd.api.types.is_string_dtype(frame["paragraph_id"])
        assert pd.api.types.is_string_dtype(frame["article_id"])
        assert frame["position"].dtype == "int64"
        assert pd.api.types.is_string_dtype(frame["text"])


def test_segment_with_no_paragraphs_has_the_columns():
    paragraphs = segment(articles().iloc[2:])
    assert paragraphs.empty
    assert list(paragraphs.columns) == ["paragraph_id", "article_id", "position", "text"]


def test_segment_is_deterministic_and_independent_of_row_order():
    frame = articles()
    first = segment(frame)
    pd.testing.assert_frame_equal(first, segment(frame))
    shuffled = frame.sample(frac=1, random_state=7).reset_index(drop=True)
    pd.testing.assert_frame_equal(first, segment(shuffled))


def test_segment_turns_ids_into_strings():
    paragraphs = segment(pd.DataFrame({"article_id": [7], "text": [BRIDGE]}))
    assert paragraphs["paragraph_id"].tolist() == ["7:0"]
    assert paragraphs["article_id"].tolist() == ["7"]


def test_segment_names_missing_columns():
    with pytest.raises(AtlasError, match="needs column"):
        segment(pd.DataFrame({"article_id": ["a"], "body": [BRIDGE]}))


def test_segment_rejects_duplicate_article_ids():
    frame = pd.DataFrame({"article_id": ["a", "a"], "text": [BRIDGE, COSTS]})
    with pytest.raises(AtlasError, match="appears more than once") as err:
        segment(frame)
    assert "row 1" in str(err.value) and "article_id" in str(err.value)


def test_segment_articles_names_each_article_that_gave_none_and_why():
    frame = pd.DataFrame({
        "article_id": ["claim", "zero", "nan", "furniture", "credit", "long"],
        "text": ["NATO will place missiles in Port Averly.", "\u200b\u200b", float("nan"),
                 "Read more: Harbour fees rise again", "© Getty Images / Averly Press",
                 f"{BRIDGE}\n\n{COSTS}"]})
    paragraphs, unsegmented = segment_articles(frame)
    assert sorted(set(paragraphs["article_id"])) == ["claim", "long"]
    pd.testing.assert_frame_equal(paragraphs, segment(frame))
    assert unsegmented.to_dict("list") == {
        "article_id": ["credit", "furniture", "nan", "zero"],
        "reason": [BOILERPLATE, BOILERPLATE, EMPTY, EMPTY]}
    assert pd.api.types.is_string_dtype(unsegmented["article_id"])


def test_segment_articles_with_every_article_segmented_has_an_empty_report():
    _, unsegmented = segment_articles(articles().iloc[:2])
    assert unsegmented.empty and list(unsegmented.columns) == ["article_id", "reason"]


@pytest.mark.parametrize("reasons, note", [
    ({EMPTY: 2, BOILERPLATE: 1},
     "3 articles gave no paragraph: 2 empty after cleaning, 1 only boilerplate"),
    ({BOILERPLATE: 1}, "1 article gave no paragraph: 1 only boilerplate"),
    ({}, "every article gave at least one paragraph"),
])
def test_no_paragraph_note(reasons, note):
    assert no_paragraph_note(reasons) == note


def test_segment_rejects_missing_article_ids():
    frame = pd.DataFrame({"article_id": ["a", None], "text": [BRIDGE, COSTS]})
    with pytest.raises(AtlasError, match="article_id is missing"):
        segment(frame)


# --- the shared seed article -----------------------------------------------------

def seed_text() -> str:
    return SEED_FILES[0].read_text(encoding="utf-8")


@needs_seed
def test_seed_article_gives_its_body_paragraphs_only():
    text = seed_text()
    lines = [" ".join(line.split()) for line in text.splitlines()]
    # Body: the long lines that end like a sentence. Everything else is title,
    # teaser, subtitle, heading, caption or link.
    body = [line for line in lines if len(line) >= 200 and ends_like_sentence(line)]
    others = [line for line in lines if line and line not in body]
    paragraphs = split_paragraphs(text)

    assert 10 <= len(paragraphs) <= 14
    assert paragraphs == body
    assert paragraphs[0].startswith("Russia has laid down")
    assert any(p.startswith("We must not only") for p in paragraphs)  # the long quote stays
    for paragraph in paragraphs:
        assert len(paragraph) >= 60
        assert not FORBIDDEN.search(paragraph)
        # Short headings may recur as phrases in the body, but never open a paragraph.
        assert not any(paragraph.startswith(other[:40]) for other in others)
        assert not any(other[:40] in paragraph for other in others if len(other) >= 40)


@needs_seed
def test_seed_article_on_one_line_keeps_no_boilerplate():
    paragraphs = split_paragraphs(" ".join(seed_text().split()))
    assert len(paragraphs) >= 5
    assert not any(FORBIDDEN.search(p) for p in paragraphs)
    assert all(words(p) <= 150 for p in paragraphs)


# --- the real corpus --------------------------------------------------------------

@needs_ukraine
def test_ukraine_corpus_sample():
    corpus = pd.read_csv(UKRAINE).sample(200, random_state=0)
    sample = pd.DataFrame({"article_id": corpus.index.astype(str), "text": corpus["text"]})
    paragraphs = segment(sample)

    assert not paragraphs["text"].str.contains(FORBIDDEN).any()
    counts = paragraphs["text"].str.split().str.len()
    assert counts.between(30, 200).mean() >= 0.95
    long_enough = set(sample.loc[sample["text"].fillna("").str.len() >= 300, "article_id"])
    assert long_enough <= set(paragraphs["article_id"])


@needs_real_data
def test_every_disinfo_passage_that_is_not_empty_or_boilerplate_gives_a_paragraph():
    # Passages of one sentence or one line (36-160 characters) used to vanish as
    # headings or as shorter than min_chars.
    corpus = pd.read_csv(DISINFO)
    sample = pd.DataFrame({"article_id": corpus.index.astype(str), "text": corpus["text"]})
    paragraphs, unsegmented = segment_articles(sample)
    assert unsegmented.empty, unsegmented.to_dict("list")
    assert set(paragraphs["article_id"]) == set(sample["article_id"])
    assert not paragraphs["text"].str.contains(FORBIDDEN).any()
    short = sample[sample["text"].str.len() < 160]
    assert len(short) >= 40
    kept = paragraphs.groupby("article_id")["text"].agg(" ".join)
    for article_id, text in zip(short["article_id"], short["text"]):
        assert kept[article_id] == " ".join(text.split())


def test_words_that_merely_contain_read_more_are_kept():
    text = ("Health officials warned that the virus could spread more quickly in crowded shelters "
            "this winter. They asked volunteers to bread more carefully, a joke that ran through "
            "the camp for days.\n\nRead more: Another story entirely")
    paragraphs = split_paragraphs(text)
    assert len(paragraphs) == 1
    assert "spread more quickly" in paragraphs[0] and "bread more" in paragraphs[0]
    assert "Another story" not in paragraphs[0]
