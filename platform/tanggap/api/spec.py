"""The JSON API's operations, declared once: each route registers itself here as it is
defined, and the OpenAPI 3 document is built from these declarations and the forms the
routes validate with. A route cannot be added without appearing in the document, and
a test holds the document and the URL map to each other.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

from flask import Blueprint, g
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..auth.models import ApiScope
from ..auth.permissions import Permission, can
from ..tenancy.context import current_tenant
from ..database import LARGEST_ID
from ..forms import Form
from . import form_json
from .errors import ApiProblem
from .representations import SCHEMAS, ref


@dataclass(frozen=True)
class Param:
    """A query parameter."""

    name: str
    description: Any
    schema: dict[str, Any] = field(default_factory=lambda: {"type": "string"})


@dataclass(frozen=True)
class Operation:
    method: str
    rule: str
    endpoint: str
    summary: Any
    tag: str
    scope: ApiScope | None
    responses: dict[int, str | None]
    query: tuple[Param, ...] = ()
    #: The form the body is read with (its fields are the body's), or a JSON Schema.
    body: type[Form] | dict[str, Any] | None = None
    description: Any = None
    #: What the token must also be able to do, as its issuer could: the scope alone is not enough.
    permission: Permission | None = None


@dataclass
class Api:
    """A blueprint that remembers what each of its routes takes and answers."""

    blueprint: Blueprint
    operations: list[Operation] = field(default_factory=list)

    def operation(self, method: str, rule: str, *, summary: Any, tag: str, scope: ApiScope | None,
                  responses: dict[int, str | None], query: tuple[Param, ...] = (),
                  body: type[Form] | dict[str, Any] | None = None, description: Any = None,
                  permission: Permission | None = None) -> Callable:
        def decorator(view: Callable) -> Callable:
            @wraps(view)
            def scoped(*args: Any, **kwargs: Any) -> Any:
                if scope is not None and not g.api_token.allows(scope):
                    raise ApiProblem(403)
                if permission is not None and not can(g.api_token, permission, current_tenant()):
                    raise ApiProblem(403)
                return view(*args, **kwargs)

            self.blueprint.add_url_rule(rule, view.__name__, scoped, methods=[method])
            self.operations.append(Operation(method, rule, f"{self.blueprint.name}.{view.__name__}", summary, tag,
                                             scope, responses, query, body, description, permission))
            return scoped

        return decorator


_RULE_ARG = re.compile(r"<(?:(\w+):)?(\w+)>")

#: What each answer means, in the reader's language.
STATUS_TEXT = {
    200: _l("Done"), 201: _l("Created"), 204: _l("Done; nothing to send back"),
    400: _l("The body could not be read"), 401: _l("No valid token"),
    403: _l("The token's scopes do not allow this"), 404: _l("Not found in this office"),
    409: _l("The complaint's status does not allow this step"), 415: _l("The body is not JSON"),
    422: _l("Some fields are not valid"), 429: _l("Too many requests"),
}


def openapi_path(rule: str) -> tuple[str, list[dict[str, Any]]]:
    """A Flask rule as an OpenAPI path, with its path parameters."""
    parameters = []
    for converter, name in _RULE_ARG.findall(rule):
        schema: dict[str, Any] = {"type": "string"}
        if converter == "int":
            schema = {"type": "integer", "minimum": 0, "maximum": LARGEST_ID}
        parameters.append({"name": name, "in": "path", "required": True, "schema": schema})
    return _RULE_ARG.sub(r"{\2}", rule), parameters


def body_schema(body: type[Form] | dict[str, Any]) -> dict[str, Any]:
    if isinstance(body, dict):
        return body
    return form_json.schema(body(formdata=None, meta={"csrf": False}))


def document(api: Api, *, server: str, title: str, description: str) -> dict[str, Any]:
    """The OpenAPI 3.0 document of ``api``, in the current language."""
    paths: dict[str, dict[str, Any]] = {}
    for op in api.operations:
        path, parameters = openapi_path(op.rule)
        parameters += [{"name": p.name, "in": "query", "required": False, "description": str(p.description),
                        "schema": p.schema} for p in op.query]
        entry: dict[str, Any] = {
            "operationId": op.endpoint.split(".", 1)[1],
            "summary": str(op.summary),
            "tags": [op.tag],
            "parameters": parameters,
            "responses": {},
        }
        if op.description:
            entry["description"] = str(op.description)
        if op.scope is not None:
            entry["security"] = [{"token": [op.scope.value]}]
            entry["x-scope"] = op.scope.value
        else:
            entry["security"] = []
        if op.body is not None:
            entry["requestBody"] = {"required": True, "content": {"application/json": {"schema": body_schema(op.body)}}}
        statuses = dict(op.responses)
        if op.scope is not None:
            statuses.update({401: "Error", 403: "Error", 429: "Error"})
        if "{" in path:
            statuses.setdefault(404, "Error")
        if op.body is not None:
            statuses.update({400: "Error", 415: "Error", 422: "Error"})
        if op.query:
            statuses[422] = "Error"
        for status in sorted(statuses):
            schema = statuses[status]
            answer: dict[str, Any] = {"description": str(STATUS_TEXT.get(status, ""))}
            if schema:
                answer["content"] = {"application/json": {"schema": ref(schema)}}
            entry["responses"][str(status)] = answer
        paths.setdefault(path, {})[op.method.lower()] = entry
    return {
        "openapi": "3.0.3",
        "info": {"title": title, "version": "1.0.0", "description": description},
        "servers": [{"url": server}],
        "paths": paths,
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {"token": {
                "type": "http", "scheme": "bearer",
                "description": _("A token a member of the office issued on its API tokens page; it does no more than they may."),
            }},
        },
    }
