"""Errors as the APIs answer them: JSON with a stable code and a message in the caller's language.

The JSON API answers ``{"error": {"code", "message", "fields"?}}``; Open311 answers its
spec's list ``[{"code": <status>, "description"}]``. Codes are part of the contract: clients
branch on them, so they never change; messages may.
"""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

#: The stable code of each HTTP status the APIs answer with.
CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "rate_limited",
    500: "server_error",
    503: "unavailable",
}

MESSAGES = {
    "bad_request": lambda: _("The request could not be read. Send a JSON object as the body."),
    "unauthorized": lambda: _("Give a valid API token of the office: Authorization: Bearer <token>."),
    "forbidden": lambda: _("This token's scopes do not allow this."),
    "not_found": lambda: _("There is no such resource in this office."),
    "method_not_allowed": lambda: _("This address does not accept this method."),
    "conflict": lambda: _("The complaint's status does not allow this step now."),
    "too_large": lambda: _("The request is too large."),
    "unsupported_media_type": lambda: _("Send the body as application/json."),
    "invalid": lambda: _("Some fields are not valid; see the messages for each field."),
    "rate_limited": lambda: _("Too many requests. Wait a while and try again."),
    "server_error": lambda: _("Something went wrong on our side. The error has been recorded."),
    "unavailable": lambda: _("The database cannot be reached just now. Try again in a minute."),
    "no_decree": lambda: _("The office has published no compensation decree yet, so it cannot take complaints."),
    "jurisdiction_required": lambda: _("Name the office with the jurisdiction_id parameter."),
    "format": lambda: _("Only the JSON format is offered: add .json to the address."),
}


class ApiProblem(HTTPException):
    """An API refusal with its stable code; ``fields`` maps field names to their messages."""

    def __init__(self, status: int, code: str | None = None, message: str | None = None,
                 fields: dict[str, list[str]] | None = None) -> None:
        super().__init__()
        self.code = status
        self.problem = code or CODES.get(status, "error")
        self.message = message or MESSAGES.get(self.problem, MESSAGES["server_error"])()
        self.fields = fields


def json_error(status: int, code: str | None = None, message: str | None = None,
               fields: dict[str, list[str]] | None = None) -> Response:
    code = code or CODES.get(status, "error")
    body: dict[str, Any] = {"code": code, "message": message or MESSAGES.get(code, MESSAGES["server_error"])()}
    if fields:
        body["fields"] = fields
    response = jsonify(error=body)
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="tanggap"'
    return response


def open311_error(status: int, code: str | None = None, message: str | None = None) -> Response:
    code = code or CODES.get(status, "error")
    response = jsonify([{"code": status, "description": message or MESSAGES.get(code, MESSAGES["server_error"])()}])
    response.status_code = status
    return response


def is_api_path(path: str) -> bool:
    return path.startswith("/api/")


def is_open311_path(path: str) -> bool:
    return "/open311/" in path


def answer(error: HTTPException) -> Response | None:
    """The APIs' answer to an error on their URLs (routing 404s and 405s, rate limits, 500s)."""
    status = error.code or 500
    problem = error if isinstance(error, ApiProblem) else None
    code = problem.problem if problem else None
    message = problem.message if problem else None
    if is_api_path(request.path):
        response = json_error(status, code, message, problem.fields if problem else None)
    elif is_open311_path(request.path):
        response = open311_error(status, code, message)
    else:
        return None
    given_response = getattr(error, "response", None)
    retry_after = getattr(error, "retry_after", None) or (
        given_response.headers.get("Retry-After") if given_response is not None else None)
    if retry_after:
        response.headers["Retry-After"] = str(retry_after)
    return response
