"""The README's pytest snippet with a client that retries at once: the test must fail with the report."""
import pytest
from client import list_users


@pytest.mark.aurion_policy
def test_lists_users_through_a_503(aurion_session):
    assert list_users(aurion_session.base_url, retry_wait=0)["data"]
