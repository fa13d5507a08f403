import pytest
from client import list_users


@pytest.mark.aurion_policy
def test_lists_users_through_a_503(aurion_session):
    assert list_users(aurion_session.base_url)["data"]
