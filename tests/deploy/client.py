"""HTTP to the deployment's app servers, as the reverse proxy would send it (docs/deploy.md,
"Reverse proxy"): the site's host name, `X-Forwarded-Proto: https` (the production settings
redirect plain HTTP and mark cookies Secure) and `X-Forwarded-For` with the client's address
(`TRUSTED_PROXY_COUNT=1`)."""

from __future__ import annotations

import http.client
import json
import secrets
import urllib.parse
from dataclasses import dataclass

HOST = "neighborhood.test"
CLIENT_ADDRESS = "192.0.2.10"  # a documentation address (RFC 5737): the "client" behind the proxy


@dataclass
class Answer:
    status: int
    headers: dict
    body: bytes

    def json(self):
        return json.loads(self.body)


def request(
    port: int,
    method: str,
    path: str,
    *,
    body: bytes | None = None,
    headers: dict | None = None,
    timeout: float = 30,
) -> Answer:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        sent = {
            "Host": HOST,
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": CLIENT_ADDRESS,
            **(headers or {}),
        }
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        headers = {}
        for name, value in response.getheaders():
            key = name.lower()
            headers[key] = f"{headers[key]}\n{value}" if key in headers else value
        return Answer(response.status, headers, response.read())
    finally:
        connection.close()


def get(port: int, path: str, **kwargs) -> Answer:
    return request(port, "GET", path, **kwargs)


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def post_json(port: int, path: str, data, token: str) -> Answer:
    return request(
        port,
        "POST",
        path,
        body=json.dumps(data).encode(),
        headers={"Content-Type": "application/json", **bearer(token)},
    )


class Browser:
    """A signed-in person's cookies, sent by hand (the session cookie is Secure)."""

    def __init__(self):
        self.cookies: dict[str, str] = {}

    def _headers(self, extra=None) -> dict:
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return {**({"Cookie": cookie} if cookie else {}), **(extra or {})}

    def _keep(self, answer: Answer) -> Answer:
        for line in answer.headers.get("set-cookie", "").split("\n"):
            if "=" in line:
                name, value = line.split(";", 1)[0].split("=", 1)
                self.cookies[name.strip()] = value.strip().strip('"')
        return answer

    def get(self, port: int, path: str) -> Answer:
        return self._keep(get(port, path, headers=self._headers()))

    def post(self, port: int, path: str, fields: dict, files: dict | None = None) -> Answer:
        fields = {**fields, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
        headers = {"Referer": f"https://{HOST}{path}"}
        if files:
            body, content_type = _multipart(fields, files)
        else:
            body, content_type = (
                urllib.parse.urlencode(fields).encode(),
                "application/x-www-form-urlencoded",
            )
        headers["Content-Type"] = content_type
        return self._keep(request(port, "POST", path, body=body, headers=self._headers(headers)))

    def sign_in(self, port: int, username: str, password: str) -> None:
        self.get(port, "/account/login/")
        answer = self.post(port, "/account/login/", {"username": username, "password": password})
        if answer.status != 302 or "sessionid" not in self.cookies:
            raise AssertionError(f"sign-in of {username} failed: {answer.status}")


def _multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    boundary = secrets.token_hex(16)
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
            .encode()
        )  # fmt: skip
    for name, (filename, content, content_type) in files.items():
        parts.append(
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'
            ).encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"
