"""R-OPS-4: a 405 names every method its path answers, not only the first route's."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_a_wrong_method_is_answered_with_every_method_of_the_path(anonymous: TestClient) -> None:
    response = anonymous.put("/api/escalations")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, POST"
    assert response.headers["content-type"] == "application/problem+json"


def test_the_openapi_document_lists_the_problems_of_each_operation(anonymous: TestClient) -> None:
    schema = anonymous.get("/openapi.json").json()
    post_update = schema["paths"]["/api/escalations/{escalation_id}/updates"]["post"]
    codes = set(post_update["responses"])
    assert {"400", "401", "403", "404", "409", "413", "422", "503"} <= codes
    problem = post_update["responses"]["409"]["content"]["application/problem+json"]
    assert problem["schema"] == {"$ref": "#/components/schemas/Problem"}
    assert "429" in schema["paths"]["/api/session"]["post"]["responses"]
    assert "field" in schema["components"]["schemas"]["Problem"]["properties"]
