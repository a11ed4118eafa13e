import pytest

from escdesk.domain.errors import InvalidInput, NotFound, RuleRefused
from escdesk.similarity import SimilarityIndex
from tests.similarity.factories import helpdesk_index, ticket


def test_an_empty_index_refuses_with_what_to_do() -> None:
    with pytest.raises(RuleRefused) as error:
        SimilarityIndex().similar(ticket("Anything at all"))
    assert error.value.rule_id == "R-REC-2"
    assert "import" in error.value.missing[0].what


def test_an_unknown_id_is_not_found() -> None:
    with pytest.raises(NotFound) as error:
        helpdesk_index().similar("NO-SUCH-TICKET")
    assert error.value.key == "NO-SUCH-TICKET"


@pytest.mark.parametrize("k", [0, -3])
def test_k_must_be_positive(k: int) -> None:
    with pytest.raises(InvalidInput) as error:
        helpdesk_index().similar("H-1", k=k)
    assert error.value.field == "k"
