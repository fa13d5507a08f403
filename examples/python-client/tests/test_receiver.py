"""Our webhook receiver against aurion-mock's delivery faults (webhook-faults.yaml): it refuses the
forged deliveries, takes the redelivered one, and handles each event exactly once."""

import hashlib
import hmac
import time

import pytest

from aurion_client import AurionClient
from aurion_client.receiver import WebhookReceiver, verify_signature

API_KEY = "ak_live_mock_full_access_0001"


@pytest.mark.aurion_policy
@pytest.mark.aurion_scenario("scenarios/webhook-faults.yaml")
def test_each_event_is_handled_once_and_forgeries_are_refused(aurion_session):
    handled = []
    receiver = WebhookReceiver(handled.append).start()
    client = AurionClient(aurion_session.base_url, API_KEY)
    try:
        hook = client.create_webhook(receiver.url, ["ticket.created"])
        receiver.secret = hook["secret"]
        ids = [client.create_ticket(subject, "From the receiver test")["id"] for subject in ("VPN down", "Printer jam", "Password reset")]

        # 3 events, each with one extra delivery: a forged copy, a changed copy, a redelivery.
        deadline = time.monotonic() + 5
        deliveries = aurion_session.deliveries()
        while len(deliveries) < 6 and time.monotonic() < deadline:
            time.sleep(0.02)
            deliveries = aurion_session.deliveries()
    finally:
        client.close()
        receiver.stop()
    assert sorted((d["sent"], d["status"]) for d in deliveries) == [
        ("bad-signature", 401), ("changed-body", 401), ("duplicate", 204), ("event", 204), ("event", 204), ("event", 204)
    ]
    assert [e["data"]["id"] for e in handled] == ids, "each event handled once, in order"
    assert aurion_session.report()["receiver"]["ok"]


def test_signature_check():
    assert not verify_signature(b'{"id":"evt_1"}', "sha256=" + "0" * 64, "s")
    good = "sha256=" + hmac.new(b"s", b'{"id":"evt_1"}', hashlib.sha256).hexdigest()
    assert verify_signature(b'{"id":"evt_1"}', good, "s")
    assert not verify_signature(b'{"id":"evt_2"}', good, "s")
    assert not verify_signature(b'{"id":"evt_1"}', None, "s")
