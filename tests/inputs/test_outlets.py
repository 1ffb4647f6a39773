import pytest

from conftest import ROOT

from framing_atlas.errors import AtlasError
from framing_atlas.inputs.outlets import (host_of, outlet_for_url, pick_outlet, read_outlet_map,
                                          registrable_domain)

SHIPPED = ROOT / "data" / "outlets.toml"


@pytest.fixture(scope="module")
def shipped() -> dict[str, str]:
    return read_outlet_map(SHIPPED)


@pytest.mark.parametrize("url, outlet", [
    ("https://www.rt.com/news/551234-story/", "RT"),
    ("https://www.bbc.co.uk/news/world-europe-1", "BBC News"),
    ("https://amp.theguardian.com/world/2022/mar/01/x", "The Guardian"),
    ("https://apnews.com/article/abc", "Associated Press"),
    ("http://en.kremlin.ru/events/president/news/1", "Kremlin"),
    ("https://www.president.gov.ua/en/news/1", "President of Ukraine"),
    ("https://edition.cnn.com/2022/03/01/europe/x", "CNN"),
    ("https://abcnews.go.com/International/x", "ABC News"),
])
def test_shipped_map_names_common_outlets(shipped, url, outlet):
    assert outlet_for_url(url, shipped) == outlet


@pytest.mark.parametrize("url, outlet", [
    ("https://news.example.co.uk/a/b", "example.co.uk"),
    ("https://www.harbor-gazette.example/story", "harbor-gazette.example"),
    ("https://m.ridge.example/x", "ridge.example"),
    ("https://blog.city.gov.ua/x", "city.gov.ua"),
    ("https://127.0.0.1:8000/x", "127.0.0.1"),
    ("ridge.example/x", "ridge.example"),
    ("", ""),
    ("not a url at all", ""),
])
def test_unmapped_domain_names_itself(url, outlet):
    assert outlet_for_url(url, {}) == outlet


def test_more_specific_domain_wins_and_subdomains_match_parent():
    mapping = {"kremlin.ru": "Kremlin", "en.kremlin.ru": "Kremlin (English)"}
    assert outlet_for_url("https://en.kremlin.ru/x", mapping) == "Kremlin (English)"
    assert outlet_for_url("https://www.kremlin.ru/x", mapping) == "Kremlin"
    assert outlet_for_url("https://archive.kremlin.ru/x", mapping) == "Kremlin"
    assert outlet_for_url("https://notkremlin.ru/x", mapping) == "notkremlin.ru"


def test_host_and_registrable_domain():
    assert host_of("HTTPS://WWW.Example.ORG./Path") == "example.org"
    assert host_of("https://www.example") == "www.example"  # too short to lose its prefix
    assert registrable_domain("a.b.example.com") == "example.com"
    assert registrable_domain("example.com.au") == "example.com.au"


def test_pick_outlet_prefers_map_then_page_name_then_domain_then_fallback():
    mapping = {"rt.com": "RT"}
    assert pick_outlet(url="https://rt.com/x", named="RT International", mapping=mapping) == "RT"
    assert pick_outlet(url="https://ridge.example/x", named="Ridge  Tribune",
                       mapping=mapping) == "Ridge Tribune"
    assert pick_outlet(url="https://ridge.example/x", named="", mapping=mapping) == "ridge.example"
    assert pick_outlet(url="", named="", mapping=mapping, fallback="Harbor") == "Harbor"
    assert pick_outlet(url="", named="www.rt.com", mapping=mapping) == "RT"
    assert pick_outlet(url="", named="news.ridge.example", mapping=mapping) == "ridge.example"


def test_read_outlet_map_normalises_keys(tmp_path):
    path = tmp_path / "outlets.toml"
    path.write_text('[outlets]\n"WWW.Harbor.example" = "Harbor  Gazette"\n'
                    '"https://ridge.example/" = "Ridge Tribune"\n', encoding="utf-8")
    assert read_outlet_map(path) == {"harbor.example": "Harbor Gazette",
                                     "ridge.example": "Ridge Tribune"}


@pytest.mark.parametrize("content, message", [
    ('"rt.com" = "RT"\n', "[outlets] table"),
    ('[outlets]\n"rt.com" = 3\n', "must be non-empty text"),
    ('[outlets]\n"not a domain" = "X"\n', "is not a domain"),
    ('[outlets\n', "cannot read"),
])
def test_read_outlet_map_says_what_is_wrong(tmp_path, content, message):
    path = tmp_path / "outlets.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(AtlasError) as err:
        read_outlet_map(path)
    assert message in str(err.value) and "outlets.toml" in str(err.value)


def test_missing_outlet_map(tmp_path):
    with pytest.raises(AtlasError, match="not found"):
        read_outlet_map(tmp_path / "nope.toml")
