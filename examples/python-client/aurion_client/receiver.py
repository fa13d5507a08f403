"""Our Aurion webhook receiver: it trusts a delivery only when X-Aurion-Signature is the
HMAC-SHA256 of the raw body with our secret (compared in constant time), and handles each event id
once, answering 2xx to a redelivery so Aurion stops sending it."""

import collections
import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MAX_SEEN = 10000


def verify_signature(raw_body, header, secret):
    """True when `header` is the signature of `raw_body` (bytes) with `secret`; constant time."""
    expected = "sha256=" + hmac.new(secret.encode("utf-8"), raw_body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode("ascii"), (header or "").encode("utf-8", "replace"))


class WebhookReceiver:
    """An HTTP server on 127.0.0.1 for Aurion deliveries; `on_event(event)` runs once per event id.

    A bad signature is 401, a body that is not an event 400, anything else 204.
    """

    def __init__(self, on_event, secret=None):
        self.secret = secret
        self.on_event = on_event
        # A real service keeps seen ids in its database; a bounded set is enough for this example.
        self.seen = collections.OrderedDict()
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                self.send_response(receiver.handle(raw, self.headers.get("X-Aurion-Signature")))
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d/aurion" % self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def handle(self, raw, signature):
        """The status for one delivery."""
        if self.secret is None or not verify_signature(raw, signature, self.secret):
            return 401
        try:
            event = json.loads(raw.decode("utf-8"))
            event_id = event["id"]
        except (ValueError, KeyError, TypeError):
            return 400
        with self.lock:
            if event_id in self.seen:
                return 204
            self.seen[event_id] = True
            if len(self.seen) > MAX_SEEN:
                self.seen.popitem(last=False)
        self.on_event(event)
        return 204

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
