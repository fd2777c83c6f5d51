"""The office's messaging gateway: one interface, one small adapter per way of speaking to it.

The outbox holds each citizen's message as one JSON document (docs/messaging-gateway.md):
the delivery key, the number in E.164, the text already in the citizen's language. An
adapter turns that document into the request its gateway expects; everything else (the
address check, the POST, what a failure means, retries) is the same for every gateway.

- ``SignedJson``: Tanggap's own contract, the document as it is, signed with the office's
  gateway secret like the staff webhook (``X-Tanggap-Signature``), the key in ``X-Tanggap-Key``.
- ``TokenForm``: a provider's form API with its token in the ``Authorization`` header, in the
  shape Fonnte and Wablas use (``target``, ``message``); the key goes along as ``ref``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlencode

from .channels import DeliveryFailed, post_checked, signature
from .models import ChannelSettings, GatewayKind, OutboxMessage


@dataclass(frozen=True)
class Request:
    """What goes over the wire: the body and its headers."""

    body: bytes
    headers: dict[str, str]


class Gateway(Protocol):
    def request(self, document: dict[str, Any], settings: ChannelSettings) -> Request: ...


class SignedJson:
    """Tanggap's own contract: signed JSON, the same document the outbox holds."""

    def request(self, document: dict[str, Any], settings: ChannelSettings) -> Request:
        body = json.dumps(document, ensure_ascii=False, sort_keys=True).encode()
        return Request(body, {"Content-Type": "application/json; charset=utf-8", "User-Agent": "Tanggap",
                              "X-Tanggap-Key": document["key"],
                              "X-Tanggap-Signature": signature(settings.gateway_secret, body)})


class TokenForm:
    """A Fonnte- or Wablas-style API: form fields, the provider's token as the authorisation."""

    def request(self, document: dict[str, Any], settings: ChannelSettings) -> Request:
        if not settings.gateway_token:
            raise DeliveryFailed("gateway token missing")
        fields = {"target": document["to"].removeprefix("+"), "message": document["text"], "ref": document["key"]}
        return Request(urlencode(fields).encode(), {
            "Content-Type": "application/x-www-form-urlencoded", "User-Agent": "Tanggap",
            "Authorization": settings.gateway_token, "X-Tanggap-Key": document["key"]})


ADAPTERS: dict[GatewayKind, Gateway] = {GatewayKind.SIGNED: SignedJson(), GatewayKind.TOKEN_FORM: TokenForm()}


def send(message: OutboxMessage, settings: ChannelSettings) -> None:
    """Hand the message to the office's gateway; ``DeliveryFailed`` if it is off or says no.

    A gateway switched off after the message was owed fails it, so the row is retried and
    then left for the operator (and for the office to switch the gateway on again), never
    quietly dropped.
    """
    if not settings.gateway_enabled or not settings.gateway_url:
        raise DeliveryFailed("messaging gateway is switched off")
    outgoing = ADAPTERS[settings.gateway_kind].request(json.loads(message.body), settings)
    post_checked(message.key, settings.gateway_url, outgoing.body, outgoing.headers, what="gateway")
