from escdesk.similarity.text import phrases, stem, terms


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
