"""Our Aurion client against aurion-mock: one server for the run and one mock session per test, both
from the aurion-mock pytest plugin. The client gets the session's base URL, as it would get
Aurion's, and @pytest.mark.aurion_policy fails a test when the mock's retry report does."""

import time

import pytest

from aurion_client import AurionClient, AurionError, parse_retry_after

API_KEY = "ak_live_mock_full_access_0001"


@pytest.fixture
def retries():
    """The client's retries, as (status, wait) pairs."""
    return []


@pytest.fixture
def make_client(aurion_session, retries):
    clients = []

    def make(**options):
        options.setdefault("on_retry", lambda method, path, attempt, status, wait: retries.append((status, wait)))
        client = AurionClient(aurion_session.base_url, API_KEY, **options)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.mark.aurion_policy
@pytest.mark.aurion_scenario("scenarios/create-burst.yaml")
def test_waits_out_retry_after_then_creates_the_ticket(make_client, retries, aurion_session):
    client = make_client()
    started = time.monotonic()
    ids = [client.create_ticket("Import #%d" % n, "Nightly import")["id"] for n in range(3)]
    assert len(set(ids)) == 3
    assert retries == [(429, 1.0)]
    assert time.monotonic() - started >= 1.0
    assert [e["status"] for e in aurion_session.journal()] == [201, 201, 429, 201]


@pytest.mark.aurion_policy
def test_validation_errors_are_not_retried(make_client, retries, aurion_session):
    """No scenario: the mock behaves like the real API, validation included."""
    with pytest.raises(AurionError) as caught:
        make_client().create_ticket("x" * 300, "Too long a subject", priority="critical")
    error = caught.value
    assert (error.status, error.code, error.attempts) == (422, "validation_error", 1)
    assert sorted(d["field"] for d in error.details) == ["priority", "subject"]
    assert retries == []
    assert len(aurion_session.journal()) == 1


@pytest.mark.aurion_policy
@pytest.mark.aurion_scenario("scenarios/unreliable.yaml")
def test_lost_create_is_retried_with_the_same_key_and_made_once(make_client, retries, aurion_session):
    ticket = make_client(backoff_unit=0.1).create_ticket("Mailbox full", "Cannot receive mail")
    assert [status for status, _ in retries] == [0]
    lost, replayed = aurion_session.journal()
    # The first attempt made the ticket but its answer was lost; the retry got it replayed.
    assert (lost["fault"], lost["resourceId"]) == ("reset", ticket["id"])
    assert (replayed["status"], replayed.get("replayed")) == (201, True)
    assert lost["idempotencyKey"] == replayed["idempotencyKey"]


@pytest.mark.aurion_policy
@pytest.mark.aurion_scenario("scenarios/unreliable.yaml")
def test_reads_back_off_with_growing_jittered_waits(make_client, retries, aurion_session):
    writer = make_client(backoff_unit=0.1)
    first = writer.create_ticket("Screen flickers", "Desk 12")
    second = writer.create_ticket("Screen still flickers", "Desk 12")
    retries.clear()
    # A fixed jitter sequence instead of random.random, so the waits are known and well apart.
    reader = make_client(backoff_unit=0.1, random=iter([0.1, 0.3, 0.6, 0.8]).__next__)
    assert reader.get_ticket(first["id"])["id"] == first["id"]
    assert reader.get_ticket(second["id"])["id"] == second["id"]
    assert [(status, round(wait, 3)) for status, wait in retries] == [(502, 0.11), (503, 0.23), (502, 0.16), (503, 0.28)]
    # Each wait is judged against its lower bound: 0.1 s before retry 1, 0.2 s before retry 2.
    reads = [op for op in aurion_session.report()["operations"] if op["method"] == "GET"]
    assert [[a.get("backoffMs") for a in op["attempts"]] for op in reads] == [[None, 100, 200]] * 2


@pytest.mark.aurion_scenario("scenarios/unreliable.yaml")
def test_gives_up_after_four_attempts(make_client, aurion_session):
    slept = []
    client = make_client(sleep=slept.append, random=lambda: 0.5)
    with pytest.raises(AurionError) as caught:
        client.list_tickets(limit=10)
    assert (caught.value.status, caught.value.attempts) == (503, 4)
    assert slept == [1.5, 2.5, 4.5]
    # The recorded sleep did not wait: the mock's report notices the missing backoff.
    assert not aurion_session.report()["summary"]["ok"]
    assert "✗ backoff:" in aurion_session.report_text()


@pytest.fixture
def offline_client():
    return AurionClient("http://127.0.0.1:9", API_KEY, random=lambda: 0.25)


def test_429_waits_retry_after_or_five_seconds(offline_client):
    assert offline_client.retry_delay(429, {"Retry-After": "12"}, 0) == 12.0
    assert offline_client.retry_delay(429, {}, 0) == 5.0


def test_5xx_backs_off_exponentially_but_never_before_retry_after(offline_client):
    assert [offline_client.retry_delay(503, {}, n) for n in range(3)] == [1.25, 2.25, 4.25]
    assert offline_client.retry_delay(503, {"Retry-After": "30"}, 0) == 30.0


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 422])
def test_other_4xx_are_not_retried(offline_client, status):
    assert offline_client.retry_delay(status, {}, 0) is None


def test_retry_after_as_an_http_date():
    assert parse_retry_after("Tue, 01 Jan 2030 00:00:10 GMT", now=1893456000.0) == 10.0
    assert parse_retry_after("soon") is None
