from datetime import timedelta
from pathlib import Path

import pytest

from escdesk.domain.errors import InvalidInput, NotFound
from escdesk.similarity import SimilarityIndex
from escdesk.similarity.storage import CURRENT, LOCK, current_meta
from tests.similarity.factories import T0, helpdesk_index, ticket

QUERIES = [
    ticket("Invalid credentials after resetting password", at=T0 + timedelta(days=30)),
    ticket("Webhook endpoint gets no calls, timeout", at=T0 + timedelta(days=30)),
    ticket("Photo upload makes the app crash", at=T0 + timedelta(days=5)),
]


def generation(directory: Path) -> Path:
    meta = current_meta(directory)
    assert meta is not None
    return directory / meta["generation"]


@pytest.mark.parametrize("mmap", [False, True])
def test_a_saved_index_loads_back_with_identical_results(tmp_path: Path, mmap: bool) -> None:
    index = helpdesk_index()
    index.save(tmp_path / "index")
    loaded = SimilarityIndex.load(tmp_path / "index", mmap=mmap)
    for query in QUERIES:
        for earlier_only in (False, True):
            assert loaded.similar(query, 5, earlier_only) == index.similar(query, 5, earlier_only)
    assert loaded.similar("H-4", 3) == index.similar("H-4", 3)


def test_a_loaded_index_keeps_growing(tmp_path: Path) -> None:
    helpdesk_index().save(tmp_path / "index")
    loaded = SimilarityIndex.load(tmp_path / "index", mmap=True)
    loaded.add([ticket("Dark mode makes tables unreadable", external_id="D")])
    assert loaded.similar(ticket("Tables unreadable in dark mode"), k=1)[0].id == "D"
    loaded.save(tmp_path / "index")
    assert len(SimilarityIndex.load(tmp_path / "index")) == 9


def test_saving_over_an_index_keeps_one_generation_and_nothing_temporary(tmp_path: Path) -> None:
    index = helpdesk_index()
    index.save(tmp_path / "index")
    first = generation(tmp_path / "index")
    index.save(tmp_path / "index")
    second = generation(tmp_path / "index")
    assert [p.name for p in tmp_path.iterdir()] == ["index"]
    assert sorted(p.name for p in (tmp_path / "index").iterdir()) == sorted(
        [LOCK, CURRENT, second.name]
    )
    assert first != second and not first.exists()


def test_a_crash_before_the_swap_leaves_the_previous_index_live(tmp_path: Path) -> None:
    index = helpdesk_index()
    index.save(tmp_path / "index")
    half = tmp_path / "index" / "g-half-written"  # what a save killed mid-way leaves behind
    half.mkdir()
    (half / "ids.json").write_text("[", encoding="utf-8")
    assert len(SimilarityIndex.load(tmp_path / "index")) == 8
    index.save(tmp_path / "index")
    assert not half.exists()  # the next save clears it


def test_a_missing_index_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(NotFound):
        SimilarityIndex.load(tmp_path / "nowhere")


def test_a_damaged_index_names_the_problem_and_the_fix(tmp_path: Path) -> None:
    helpdesk_index().save(tmp_path / "index")
    (generation(tmp_path / "index") / "ids.json").write_text("[", encoding="utf-8")
    with pytest.raises(InvalidInput) as error:
        SimilarityIndex.load(tmp_path / "index")
    assert error.value.field == "index"
    assert "Rebuild" in error.value.fix
