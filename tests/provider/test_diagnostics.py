from __future__ import annotations

import pytest
from pyvider.cty.exceptions import CtyValidationError
from pyvider.exceptions import ResourceError

from provider.client.errors import ConfigurationError, NotFoundError, TransportError
from provider.diagnostics import reported, to_terraform_error


def test_api_error_keeps_message_and_request_id() -> None:
    error = to_terraform_error(
        "read application",
        NotFoundError(404, "Not Found", method="GET", path="applications/x", request_id="r-1", detail="gone"),
    )
    assert isinstance(error, ResourceError)
    assert error.context["terraform.summary"] == "Unable to read application"
    assert "404 Not Found" in str(error) and "gone" in str(error) and "Request id: r-1" in str(error)


def test_configuration_error_points_at_the_attribute() -> None:
    error = to_terraform_error("configure", ConfigurationError("api_key", "Missing API Key", "set it"))
    assert isinstance(error, CtyValidationError)
    assert [step.name for step in error.path.steps] == ["api_key"]


def test_reported_translates_client_errors() -> None:
    with pytest.raises(ResourceError) as caught, reported("create application"):
        raise TransportError("connection refused", method="POST", path="applications")
    assert "could not be reached" in caught.value.context["terraform.summary"]
