"""A real OpenID Connect provider on loopback for the single sign-on tests: oidc-provider-mock, with a thin
WSGI layer that can misbehave the way a wrong or hostile provider would (the mock itself always behaves).

`tamper.client_id` makes the provider issue tokens to another client (a wrong audience); `tamper.jwks`
replaces the keys it publishes (so the signature no longer verifies).
"""

import base64
import contextlib
import json
import threading
from datetime import timedelta
from urllib.parse import parse_qs, urlencode, urlsplit

import oidc_provider_mock
import requests
from joserfc.jwk import RSAKey
from werkzeug.serving import make_server


class Tamper:
    def __init__(self, app):
        self.app = app
        self.client_id: str | None = None
        self.jwks: dict | None = None

    def __call__(self, environ, start_response):
        path = environ["PATH_INFO"]
        if self.jwks is not None and path == "/jwks":
            body = json.dumps(self.jwks).encode()
            start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
            return [body]
        if self.client_id and path == "/oauth2/authorize":
            query = parse_qs(environ.get("QUERY_STRING", ""))
            query["client_id"] = [self.client_id]
            environ["QUERY_STRING"] = urlencode(query, doseq=True)
        if self.client_id and path == "/oauth2/token":
            credentials = base64.b64encode(f"{self.client_id}:any-secret".encode()).decode()
            environ["HTTP_AUTHORIZATION"] = f"Basic {credentials}"
        return self.app(environ, start_response)


class Provider:
    def __init__(self, base_url: str, tamper: Tamper):
        self.base_url, self.tamper = base_url, tamper

    def add_user(self, subject: str, **claims) -> None:
        requests.put(f"{self.base_url}/users/{subject}", json=claims, timeout=5).raise_for_status()

    def sign_in_at_provider(self, authorize_url: str, subject: str) -> str:
        """What the person does at the provider: choose who they are. Returns the URL it sends them back to."""
        response = requests.post(authorize_url, data={"sub": subject}, allow_redirects=False, timeout=5)
        assert response.status_code == 302, response.text[:500]
        return response.headers["Location"]

    def publish_wrong_keys(self) -> None:
        """Keys with the provider's key id but another key: signatures it makes no longer verify."""
        keys = requests.get(f"{self.base_url}/jwks", timeout=5).json()["keys"]
        kid = keys[0].get("kid")
        impostor = RSAKey.generate_key(2048, parameters={"kid": kid, "use": "sig", "alg": "RS256"} if kid else None)
        self.tamper.jwks = {"keys": [impostor.as_dict(private=False)]}


@contextlib.contextmanager
def running_provider(token_lifetime: timedelta = timedelta(hours=1)):
    tamper = Tamper(oidc_provider_mock.app(require_nonce=True, access_token_max_age=token_lifetime))
    server = make_server("localhost", 0, tamper, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield Provider(f"http://localhost:{server.server_port}", tamper)
    finally:
        server.shutdown()
        server.server_close()


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path
