"""Our webhook receiver against aurion-mock's delivery faults (webhook-faults.yaml): it refuses the
forged deliveries, takes the redelivered one, and handles each event exactly once."""

import hashlib
import hmac
import time

from aurion_client.receiver import WebhookReceiver, verify_signature
from tests.test_client import MockTestCase


class ReceiverTest(MockTestCase):
    scenario = "webhook-faults.yaml"

    def test_each_event_is_handled_once_and_forgeries_are_refused(self):
        handled = []
        receiver = WebhookReceiver(handled.append).start()
        self.addCleanup(receiver.stop)
        client = self.client()
        hook = client.create_webhook(receiver.url, ["ticket.created"])
        receiver.secret = hook["secret"]

        ids = [client.create_ticket(subject, "From the receiver test")["id"] for subject in ("VPN down", "Printer jam", "Password reset")]

        # 3 events, each with one extra delivery: a forged copy, a changed copy, a redelivery.
        deadline = time.monotonic() + 5
        deliveries = self.mock.deliveries(self.session)
        while len(deliveries) < 6 and time.monotonic() < deadline:
            time.sleep(0.02)
            deliveries = self.mock.deliveries(self.session)
        self.assertEqual(sorted((d["sent"], d["status"]) for d in deliveries), [
            ("bad-signature", 401), ("changed-body", 401), ("duplicate", 204), ("event", 204), ("event", 204), ("event", 204)
        ])
        self.assertEqual([e["data"]["id"] for e in handled], ids, "each event handled once, in order")
        report = self.assertReportOk()
        self.assertTrue(report["receiver"]["ok"])

    def test_signature_check(self):
        self.assertFalse(verify_signature(b'{"id":"evt_1"}', "sha256=" + "0" * 64, "s"))
        good = "sha256=" + hmac.new(b"s", b'{"id":"evt_1"}', hashlib.sha256).hexdigest()
        self.assertTrue(verify_signature(b'{"id":"evt_1"}', good, "s"))
        self.assertFalse(verify_signature(b'{"id":"evt_2"}', good, "s"))
        self.assertFalse(verify_signature(b'{"id":"evt_1"}', None, "s"))
