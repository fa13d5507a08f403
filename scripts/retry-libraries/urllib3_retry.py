"""requests with urllib3's Retry, run by scripts/retry-libraries.mjs.

Reads {"mode", "baseUrl", "headers", "session", "steps"} as JSON on stdin, runs the steps one
after another through a requests Session whose adapter retries with a urllib3 Retry, and prints
the final status of each request as a JSON list (0: no usable answer).
"""

import json
import random
import sys
import time

import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

TIMEOUT_S = 10


class GuidanceRetry(Retry):
    """urllib3's Retry waits nothing before the first retry and no jitter: the guidance's waits instead."""

    def get_backoff_time(self):
        retries = len(self.history)
        return 0 if retries == 0 else 2 ** (retries - 1) + random.random()


def session_for(mode, headers):
    session = requests.Session()
    session.headers.update(headers)
    if mode == "guidance":
        retry = GuidanceRetry(total=3, status_forcelist=[429, 500, 502, 503, 504], allowed_methods=None,
                              respect_retry_after_header=True, raise_on_status=False)
    else:
        retry = Retry()
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("http://", adapter)
    return session


def status_of(session, base_url, step, key, timeout):
    headers = {} if key is None else {"Idempotency-Key": key}
    try:
        res = session.request(step["method"], base_url + step["path"], json=step.get("body"), headers=headers, timeout=timeout)
        res.json()
        return res.status_code
    except (requests.exceptions.RequestException, ValueError):
        # No usable answer, or the retries ran out (urllib3 then raises instead of answering).
        return 0


def main():
    job = json.load(sys.stdin)
    session = session_for(job["mode"], job["headers"])
    statuses = []
    for i, step in enumerate(job["steps"]):
        if "pauseMs" in step:
            time.sleep(step["pauseMs"] / 1000)
            continue
        key = f"idem_{job['session']}_{i}" if step["method"] == "POST" else None
        timeout = TIMEOUT_S if job["mode"] == "guidance" else None
        statuses.append(status_of(session, job["baseUrl"], step, key, timeout))
    print(json.dumps({"statuses": statuses, "versions": {"requests": requests.__version__, "urllib3": urllib3.__version__}}))


if __name__ == "__main__":
    main()
