"""Helpers shared by the API tests (no tests here)."""

from network.services.tokens import create_token

API = "/api/v1"


def bearer(user) -> dict:
    """Headers of a request made with a new personal access token of `user`."""
    _token, raw_token = create_token(actor=user, name="tests")
    return {"Authorization": f"Bearer {raw_token}"}


def assert_error(response, status: int, code: str) -> dict:
    """The API's error shape: {"code", "message"} (and "errors" for invalid input)."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == code
    assert isinstance(body["message"], str) and body["message"]
    assert set(body) <= {"code", "message", "errors"}
    return body
