"""A small Aurion API client with the retry policy of Aurion's error-handling guide.

429: wait Retry-After (5 s without one). 500/502/503/504 and dropped connections: wait
2**attempt s plus a uniform 0-1 s of jitter (attempt counted from 0), never less than a
Retry-After the answer gave. At most 4 attempts, then the last answer is raised as AurionError.
Other 4xx are never retried. Ticket creation sends one Idempotency-Key and reuses it on retries.
"""

import email.utils
import json
import random as _random
import time
import uuid

import requests

DEFAULT_MAX_ATTEMPTS = 4
DEFAULT_BACKOFF_UNIT = 1.0
DEFAULT_RETRY_AFTER = 5.0
DEFAULT_TIMEOUT = 10.0
RETRYABLE_5XX = frozenset({500, 502, 503, 504})


class AurionError(Exception):
    """An answer the client gave up on: a non-retryable error, or the last allowed attempt."""

    def __init__(self, status, body, attempts):
        fields = body if isinstance(body, dict) else {}
        self.status = status
        self.code = fields.get("error") or ("no_response" if status == 0 else "unknown_error")
        self.details = fields.get("details") or []
        self.body = body
        self.attempts = attempts
        message = fields.get("message") or "HTTP %d" % status
        super().__init__("Aurion %s (%d) after %d attempt(s): %s" % (self.code, status, attempts, message))


def parse_retry_after(value, now=None):
    """Seconds from a Retry-After header (delta-seconds or an HTTP date); None when absent or bad."""
    if value is None:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class AurionClient:
    def __init__(self, base_url, api_key, *, headers=None, max_attempts=DEFAULT_MAX_ATTEMPTS,
                 backoff_unit=DEFAULT_BACKOFF_UNIT, default_retry_after=DEFAULT_RETRY_AFTER,
                 timeout=DEFAULT_TIMEOUT, sleep=time.sleep, random=_random.random, on_retry=None):
        self.base_url = base_url.rstrip("/")
        self.max_attempts = max_attempts
        self.backoff_unit = backoff_unit
        self.default_retry_after = default_retry_after
        self.timeout = timeout
        self.sleep = sleep
        self.random = random
        self.on_retry = on_retry
        self.http = requests.Session()
        self.http.headers.update(headers or {})
        self.http.headers.update({"X-API-Key": api_key, "Accept": "application/json"})

    def close(self):
        self.http.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def create_ticket(self, subject, description, priority=None, category=None, idempotency_key=None):
        """Creates a ticket; every retry reuses one Idempotency-Key, so at most one ticket is made."""
        body = {"subject": subject, "description": description}
        if priority is not None:
            body["priority"] = priority
        if category is not None:
            body["category"] = category
        key = idempotency_key or "idem_%s" % uuid.uuid4().hex
        return self._request("POST", "/api/v1/tickets", body=body, headers={"Idempotency-Key": key})

    def create_webhook(self, url, events, idempotency_key=None):
        """Subscribes `url` to Aurion events; the answer carries the signing secret, shown this once."""
        key = idempotency_key or "idem_%s" % uuid.uuid4().hex
        return self._request("POST", "/api/v1/webhooks", body={"url": url, "events": list(events)}, headers={"Idempotency-Key": key})

    def get_ticket(self, ticket_id):
        return self._request("GET", "/api/v1/tickets/%d" % ticket_id)

    def list_tickets(self, **query):
        return self._request("GET", "/api/v1/tickets", params=query)

    def retry_delay(self, status, headers, attempt):
        """Seconds to wait after an answer to attempt `attempt`; None when it must not be retried."""
        retry_after = parse_retry_after((headers or {}).get("Retry-After"))
        if status == 429:
            return self.default_retry_after if retry_after is None else retry_after
        if status != 0 and status not in RETRYABLE_5XX:
            return None
        backoff = self.backoff_unit * 2 ** attempt + self.random() * self.backoff_unit
        return max(backoff, retry_after or 0.0)

    def _request(self, method, path, body=None, params=None, headers=None):
        for attempt in range(self.max_attempts):
            status, answer_headers, answer = self._attempt(method, path, body, params, headers)
            if 200 <= status < 300:
                return answer
            wait = self.retry_delay(status, answer_headers, attempt) if attempt + 1 < self.max_attempts else None
            if wait is None:
                raise AurionError(status, answer, attempt + 1)
            if self.on_retry is not None:
                self.on_retry(method, path, attempt, status, wait)
            self.sleep(wait)

    def _attempt(self, method, path, body, params, headers):
        """One exchange; a reset, timeout or unreadable success is status 0: no answer to act on."""
        try:
            res = self.http.request(method, self.base_url + path, json=body, params=params,
                                    headers=headers, timeout=self.timeout)
            text = res.text
        except requests.RequestException:
            return 0, {}, None
        try:
            return res.status_code, res.headers, json.loads(text) if text else None
        except ValueError:
            # A success we cannot read may have been performed: retry it (POSTs replay by key).
            return (0, {}, None) if res.ok else (res.status_code, res.headers, text)
