"""What the deployment tests talk with: a citizen's browser in miniature, and its forms."""

from __future__ import annotations

import http.client
import ssl
import uuid
from http.cookies import SimpleCookie


class Citizen:
    """HTTP(S) from an address of its own, cookies kept, the Referer a browser sends.

    ``headers`` are sent with every request: straight to gunicorn, the ones nginx would add.
    """

    def __init__(self, port: int, *, tls: bool = False, source: str = "127.0.0.1",
                 headers: dict[str, str] | None = None) -> None:
        self.port, self.tls, self.source = port, tls, source
        self.headers, self.cookies = headers or {}, SimpleCookie()

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        if self.tls:
            connection: http.client.HTTPConnection = http.client.HTTPSConnection(
                "localhost", self.port, timeout=20, source_address=(self.source, 0),
                context=ssl._create_unverified_context())  # a test certificate
            origin = f"https://localhost:{self.port}"
        else:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20,
                                                    source_address=(self.source, 0))
            origin = f"https://127.0.0.1:{self.port}"
        cookie = "; ".join(f"{name}={morsel.value}" for name, morsel in self.cookies.items())
        connection.request(method, path, body=body, headers={
            **({"Cookie": cookie} if cookie else {}), "Accept-Language": "id", "Referer": f"{origin}{path}",
            **self.headers, **(headers or {})})
        answer = connection.getresponse()
        for value in answer.headers.get_all("Set-Cookie") or []:
            self.cookies.load(value)
        result = answer.status, {k.lower(): v for k, v in answer.getheaders()}, answer.read()
        connection.close()
        return result


def multipart(fields: list[tuple[str, str]], files: list[tuple[str, str, str, bytes]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts: list[bytes] = []
    for name, value in fields:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, filename, kind, content in files:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                     f"Content-Type: {kind}\r\n\r\n".encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def complaint_fields(token: str, key: str, occurred_on: str) -> list[tuple[str, str]]:
    """The public form as a citizen fills it for a fee charged on a free service."""
    return [("csrf_token", token), ("submission_key", key), ("components", "fee"), ("service", "Legalisir ijazah"),
            ("description", "Saya diminta membayar Rp 50.000 untuk legalisir ijazah, padahal gratis."),
            ("occurred_on", occurred_on), ("waited_amount", "45"), ("waited_unit", "minutes"), ("charged", "50000"),
            ("tariff", "0"), ("name", "Siti Rahayu"), ("email", "siti@example.org"), ("phone", "0812 3456 7890"),
            ("consent", "y")]
