"""Reading a labels CSV people edit, and labels made from marked paragraphs."""

import datetime as dt

import pandas as pd
import pytest

from framing_atlas.errors import AtlasError
from framing_atlas.inputs.labels import labels_from_paragraphs, read_label_file
from framing_atlas.store import IN_THEME, LABEL_COLUMNS, TEXT, TEXT_HASH, THEME, Store, text_hash
from framing_atlas.views.labels import labels_csv

THEMES = ["expansion", "escalation", "information_warfare"]
NOW = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.timezone.utc)
LEAK = "The Harbor Gazette (fictional) said the alliance would admit two more members."


def write(tmp_path, text: str, name: str = "labels.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_every_spelling_of_in_and_out_is_read(tmp_path):
    rows = "\n".join(f"expansion,{word},paragraph {i} about the alliance"
                     for i, word in enumerate(["1", "0", "yes", "No", " in ", "OUT", "true",
                                               "False"]))
    got = read_label_file(write(tmp_path, "theme,in_theme,text\n" + rows + "\n"), THEMES, now=NOW)
    assert got.labels[IN_THEME].tolist() == [1, 0, 1, 0, 1, 0, 1, 0]
    assert list(got.labels.columns) == LABEL_COLUMNS and not got.problems
    assert got.labels[TEXT_HASH].tolist() == [text_hash(f"paragraph {i} about the alliance")
                                              for i in range(8)]
    assert set(got.labels["labelled_at"]) == {"2026-03-01T12:00:00+00:00"}


def test_a_bad_row_is_named_and_skipped_and_the_rest_kept(tmp_path):
    path = write(tmp_path, "theme,in_theme,text,notes\n"
                           "expansion,1,first paragraph,fine\n"
                           "expansion,maybe,second paragraph,\n"
                           ",1,third paragraph,\n"
                           "escalation,0,,no text at all\n"
                           "escalation,0,fifth paragraph,\n")
    got = read_label_file(path, THEMES, now=NOW)
    assert got.labels[TEXT].tolist() == ["first paragraph", "fifth paragraph"]
    messages = [str(p) for p in got.problems]
    assert messages[0] == (f"{path}: row 3: column 'in_theme': expected 1/0, yes/no or in/out, "
                           "got 'maybe'")
    assert messages[1] == f"{path}: row 4: column 'theme': empty theme"
    assert messages[2].startswith(f"{path}: row 5: column 'text': empty text and no text_hash")
    assert got.rows == 5
    assert got.summary() == ("read 5 rows; kept 2 labels (1 in, 1 out); skipped 1: in_theme not "
                             "1/0, yes/no or in/out; skipped 1: empty theme; skipped 1: no text")


def test_unknown_themes_are_named_and_counted(tmp_path):
    path = write(tmp_path, "theme,in_theme,text\nexpansion,1,a\nsanctions,1,b\nsanctions,0,c\n"
                           "Expansion,1,d\n")
    got = read_label_file(path, THEMES)
    assert len(got.labels) == 1
    assert got.unknown_themes == {"sanctions": 2, "Expansion": 1}
    assert "skipped 3 of unknown theme 'sanctions', 'Expansion'" in got.summary()
    assert "row 3: column 'theme': no theme named 'sanctions'" in str(got.problems[0])


def test_a_text_labelled_twice_keeps_the_later_row_and_says_so(tmp_path):
    path = write(tmp_path, "theme,in_theme,text\nexpansion,1,same text\nexpansion,0,same text\n"
                           "escalation,1,same text\n")
    got = read_label_file(path, THEMES)
    assert sorted(zip(got.labels[THEME], got.labels[IN_THEME])) == [("escalation", 1),
                                                                    ("expansion", 0)]
    assert [p.row for p in got.problems] == [2]
    assert "1 overridden by a later row" in got.summary()


def test_text_hash_alone_takes_the_text_from_the_store(tmp_path):
    known = text_hash(LEAK)
    other = "b" * 40
    path = write(tmp_path, f"text_hash,theme,in_theme\n{known},expansion,1\n{other},expansion,0\n"
                           "not-a-hash,expansion,0\n")
    got = read_label_file(path, THEMES, texts={known: LEAK})
    assert got.labels[TEXT].tolist() == [LEAK]
    assert [p.kind for p in got.problems] == ["text_hash of no paragraph in this store",
                                              "malformed text_hash"]
    assert "row 3: column 'text_hash'" in str(got.problems[0])


def test_a_hash_that_contradicts_the_text_is_refused(tmp_path):
    path = write(tmp_path, f"theme,in_theme,text,text_hash\nexpansion,1,{LEAK},{'a' * 40}\n")
    got = read_label_file(path, THEMES)
    assert got.labels.empty and "is not the hash of this row's text" in str(got.problems[0])


def test_malformed_lines_are_counted(tmp_path):
    path = write(tmp_path, 'theme,in_theme,text\nexpansion,1,"never closed\nexpansion,0,fine\n')
    got = read_label_file(path, THEMES)
    assert got.rows == len(got.labels) + len(got.problems)
    assert any(p.unit == "line" and "malformed line" in str(p) for p in got.problems)


@pytest.mark.parametrize("header, message", [
    ("text,in_theme\n", "no column 'theme'"),
    ("theme,text\n", "no column 'in_theme'"),
    ("theme,in_theme,notes\n", "no column 'text' or 'text_hash'"),
    ("", "the file is empty"),
])
def test_missing_columns_fail_with_the_file_named(tmp_path, header, message):
    path = write(tmp_path, header)
    with pytest.raises(AtlasError, match=message) as err:
        read_label_file(path, THEMES)
    assert str(path) in str(err.value)


def test_export_reads_back_the_same_labels_even_formula_like_ones(tmp_path):
    texts = ["=HYPERLINK(\"http://evil.example\") a claimed leak", "plain, with a comma\nand "
             "a second line", "-5 percent, said the minister", "'quoted already"]
    labels = pd.DataFrame({TEXT_HASH: [text_hash(t) for t in texts], THEME: THEMES + ["expansion"],
                           IN_THEME: pd.Series([1, 0, 1, 0], dtype="int8"), TEXT: texts,
                           "labelled_at": ["2026-03-01T10:00:00+00:00"] * 4})
    data = labels_csv(labels)
    assert b'"\'=HYPERLINK' in data  # defused for spreadsheets
    path = tmp_path / "out.csv"
    path.write_bytes(data)
    back = read_label_file(path, THEMES, now=NOW)
    assert not back.problems
    mine = labels.sort_values([THEME, TEXT_HASH]).reset_index(drop=True)
    theirs = back.labels.sort_values([THEME, TEXT_HASH]).reset_index(drop=True)
    assert theirs[[TEXT_HASH, THEME, IN_THEME, TEXT]].equals(mine[[TEXT_HASH, THEME, IN_THEME,
                                                                   TEXT]])


def test_labels_from_marked_paragraphs_save_and_survive(tmp_path):
    paragraphs = pd.DataFrame({TEXT: ["one text", "two text", "one text"]})
    made = labels_from_paragraphs(paragraphs, "escalation", False, now=NOW)
    assert made[TEXT].tolist() == ["one text", "two text"]  # each text once
    assert made[IN_THEME].tolist() == [0, 0] and list(made.columns) == LABEL_COLUMNS
    store = Store(tmp_path / "store")
    assert store.save_labels(made) == 2
    again = labels_from_paragraphs(paragraphs.head(1), "escalation", True, now=NOW)
    store.save_labels(again)
    kept = store.read_labels().set_index(TEXT)[IN_THEME]
    assert kept.to_dict() == {"two text": 0, "one text": 1}  # the later judgement wins
