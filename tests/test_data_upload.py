"""The Data page's upload with odd dates and a malformed line: reported, never a traceback."""

from streamlit.testing.v1 import AppTest

from conftest import ROOT, wait_for_job


def test_upload_with_far_dates_a_broken_line_and_day_first_dates(atlas_store, monkeypatch,
                                                                   tmp_path):
    monkeypatch.setenv("FRAMING_ATLAS_STORE", str(tmp_path / "mine"))
    monkeypatch.chdir(ROOT)
    body = ("The alliance summit ended with a statement on the eastern flank and on air defence "
            "for the partners who asked for it.")
    csv = ("outlet,published,title,url,text\n"
           f"Harbor Gazette (fictional),02/03/2026,Summit,https://harbor.example/1,\"{body}\"\n"
           f"Harbor Gazette (fictional),3022-01-01,Far,https://harbor.example/2,\"{body}\"\n"
           f"Harbor Gazette (fictional),May,Month,https://harbor.example/3,\"{body}\"\n"
           f"Harbor Gazette (fictional),2026-02-02,\"Broken,https://harbor.example/4,x\n"
           f"Harbor Gazette (fictional),2026,Year,https://harbor.example/5,\"{body} Again.\"\n")
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    app.switch_page("pages/data.py")
    app.run()
    app.file_uploader(key="upload").set_value(("mine.csv", csv.encode(), "text/csv")).run()
    app.selectbox(key="date_order").set_value("dayfirst").run()
    app.button(key="ingest").click().run()
    assert not app.exception and not app.error, [e.value for e in app.exception or app.error]
    shown = "\n".join(t.value for t in app.text)
    assert "row 3: column 'published': not a date (outside the years 1678-2261)" in shown
    assert "row 4: column 'published': not a date (no year): 'May'" in shown
    assert "line 5: malformed line" in shown
    assert "note: mine.csv: row 6: column 'published': kept as 2026-01-01" in shown
    assert "mine.csv: dates like 02/03/2026 read as day/month (as asked)" in shown
    assert "kept: 2" in shown


def test_upload_a_nexis_uni_word_export_and_a_text_article(atlas_store, monkeypatch, tmp_path):
    # issue 14: exports and text files are read for what they hold; problems name the document.
    from exports import stories, uni_paragraphs, write_docx

    monkeypatch.setenv("FRAMING_ATLAS_STORE", str(tmp_path / "mine"))
    monkeypatch.chdir(ROOT)
    items = stories(4)
    export = write_docx(uni_paragraphs(items, skip_date=(2,)), tmp_path / "download.DOCX")
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    app.switch_page("pages/data.py")
    app.run()
    app.file_uploader(key="upload").set_value(
        ("download.DOCX", export.read_bytes(),
         "application/vnd.openxmlformats-officedocument.wordprocessingml.document")).run()
    app.button(key="ingest").click().run()
    assert not app.exception and not app.error, [e.value for e in app.exception or app.error]
    shown = "\n".join(t.value for t in app.text)
    assert f"skipped: download.DOCX: document 2 of 4: no date line: '{items[1].title}'" in shown
    assert "kept: 3" in shown
    wait_for_job(tmp_path / "mine")  # its build, in the background, before the next upload

    app.file_uploader(key="upload").set_value(
        ("2022-03-07-ferry.md", b"# Ferry stops running\n\nThe ferry between Lindenfall and "
         b"Osterwick stopped running on Monday, and commuters drove the long way round.\n",
         "text/markdown")).run()
    app.text_input(key="default_outlet").set_value("Lindenfall Observer (fictional)").run()
    app.button(key="ingest").click().run()
    assert not app.exception and not app.error, [e.value for e in app.exception or app.error]
    shown = "\n".join(t.value for t in app.text)
    assert "kept: 1 (1 new" in shown
    import pandas as pd

    stored = pd.read_parquet(tmp_path / "mine" / "articles.parquet").set_index("title")
    assert stored.loc["Ferry stops running", "outlet"] == "Lindenfall Observer (fictional)"
    assert stored.loc["Ferry stops running", "published"] == pd.Timestamp("2022-03-07")
    assert stored.loc[items[0].title, "byline"] == items[0].byline
