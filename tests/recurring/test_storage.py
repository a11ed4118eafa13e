from datetime import timedelta
from pathlib import Path

import pytest

from escdesk.domain.errors import InvalidInput, NotFound
from escdesk.recurring import SimilarityIndex
from tests.recurring.factories import T0, helpdesk_index, ticket

QUERIES = [
    ticket("Invalid credentials after resetting password", at=T0 + timedelta(days=30)),
    ticket("Webhook endpoint gets no calls, timeout", at=T0 + timedelta(days=30)),
    ticket("Photo upload makes the app crash", at=T0 + timedelta(days=5)),
]


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


def test_saving_over_an_index_leaves_no_temporary_directories(tmp_path: Path) -> None:
    index = helpdesk_index()
    index.save(tmp_path / "index")
    index.save(tmp_path / "index")
    assert [p.name for p in tmp_path.iterdir()] == ["index"]


def test_a_missing_index_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(NotFound):
        SimilarityIndex.load(tmp_path / "nowhere")


def test_a_damaged_index_names_the_problem_and_the_fix(tmp_path: Path) -> None:
    helpdesk_index().save(tmp_path / "index")
    (tmp_path / "index" / "ids.json").write_text("[", encoding="utf-8")
    with pytest.raises(InvalidInput) as error:
        SimilarityIndex.load(tmp_path / "index")
    assert error.value.field == "index"
    assert "Rebuild" in error.value.fix
