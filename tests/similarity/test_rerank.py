import json
from datetime import timedelta

import numpy as np
import pytest

from escdesk.domain.errors import InvalidInput
from escdesk.similarity.features import FEATURES
from escdesk.similarity.reranker import MODEL_FILE, Reranker, default_reranker
from tests.similarity.factories import T0, helpdesk_index, ticket


def test_the_shipped_model_is_tiny_and_names_its_training_data() -> None:
    model = default_reranker()
    assert model is not None
    assert MODEL_FILE.stat().st_size < 4096
    assert "gitbugs" in model.trained_on
    assert "CC BY 4.0" in json.loads(MODEL_FILE.read_text())["attribution"]


def test_a_model_for_other_features_is_refused() -> None:
    data = json.loads(MODEL_FILE.read_text())
    data["features"] = data["features"][:-1]
    with pytest.raises(InvalidInput) as error:
        Reranker.from_json(data)
    assert error.value.field == "reranker"


def test_reranked_scores_are_probabilities_best_first() -> None:
    index = helpdesk_index()
    new = ticket(
        "Okta SSO keeps redirecting", "loop between Okta and the app", at=T0 + timedelta(9)
    )
    scores = [m.score for m in index.similar(new, k=5)]
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert scores == sorted(scores, reverse=True)


def test_a_model_that_prefers_the_weaker_bm25f_match_reorders_the_results() -> None:
    index = helpdesk_index(rerank=False)
    index.add([ticket("Dashboard charts blank", "charts do not render", external_id="X",
                      at=T0 + timedelta(days=1, hours=1))])  # fmt: skip
    query = ticket("Dashboard charts slow and blank", at=T0 + timedelta(days=10))
    plain = [m.id for m in index.similar(query, k=2)]
    flip = np.zeros(len(FEATURES))
    flip[FEATURES.index("bm25f_vs_best")] = -5.0  # a deliberately perverse model
    n = len(FEATURES)
    index.reranker = Reranker((0.0,) * n, (1.0,) * n, tuple(flip), 0.0)
    assert [m.id for m in index.similar(query, k=2)] == plain[::-1]
