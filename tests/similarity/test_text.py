import pytest

from escdesk.similarity import text as text_module
from escdesk.similarity.text import _TokenTerms, phrases, spelled_terms, stem, terms


def test_identifiers_are_kept_whole_and_split_at_dots_and_camel_case_humps() -> None:
    found = terms("at org.apache.hadoop.fs.FileSystem.getFileStatus")
    assert "org.apache.hadoop.fs.filesystem.getfilestatus" in found
    assert {"filesystem", "getfilestatus", "system", "status"} <= set(found)


def test_exception_names_meet_their_spelled_out_words() -> None:
    assert {"null", "pointer", "exception"} <= set(terms("NullPointerException"))
    assert {"null", "pointer", "exception"} <= set(terms("a null pointer exception"))


def test_versions_stay_one_term() -> None:
    assert "3.3.1" in terms("Broken since 3.3.1")


def test_stop_words_and_single_digits_are_dropped_but_error_codes_kept() -> None:
    assert terms("it is the 5 of them with 404") == ["404"]


def test_inflections_meet_on_one_stem() -> None:
    assert stem("crashes") == stem("crashed") == stem("crashing") == stem("crash")
    assert stem("uploads") == stem("uploading")


def test_phrases_are_adjacent_pairs() -> None:
    assert phrases(["name", "node", "down"]) == ["name node", "node down"]


def test_a_token_reads_the_same_from_the_cache_as_the_first_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = "Crashes at FSDownload#call since 3.3.1: crashes, the NameNode crashed (404 x_y)"
    monkeypatch.setattr(_TokenTerms, "LIMIT", 3)  # emptied again and again while reading
    monkeypatch.setattr(text_module, "_TOKEN_TERMS", _TokenTerms())
    first, again = terms(text), terms(text)
    assert first == again == [term for term, _ in spelled_terms(text)]
    assert first.count(stem("crashes")) == 3
    assert len(text_module._TOKEN_TERMS) <= 3
