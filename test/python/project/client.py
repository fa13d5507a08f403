"""The client under test: lists users, retrying a 5xx after the Aurion guidance's 2**attempt s plus
jitter, or after `retry_wait` s when given. It takes only a base URL, as SDKs do."""

import random
import time

import requests


def list_users(base_url, retry_wait=None):
    for attempt in range(4):
        res = requests.get(base_url + "/api/v1/users", headers={"X-API-Key": "ak_live_mock_full_access_0001"}, timeout=10)
        if res.status_code < 500 or attempt == 3:
            return res.json()
        time.sleep(2 ** attempt + random.random() * 0.1 if retry_wait is None else retry_wait)
