"""Our Aurion client against aurion-mock: one mock process per scenario file, one mock session
per test (reset in setUp), and the mock's retry report checked after each conversation."""

import time
import unittest

from aurion_client import AurionClient, AurionError, parse_retry_after
from tests.mock_server import MockServer, failures, scenario_file

API_KEY = "ak_live_mock_full_access_0001"


class MockTestCase(unittest.TestCase):
    scenario = None

    @classmethod
    def setUpClass(cls):
        cls.mock = MockServer(*([scenario_file(cls.scenario)] if cls.scenario else [])).start()

    @classmethod
    def tearDownClass(cls):
        cls.mock.stop()

    def setUp(self):
        self.session = self.id().rsplit(".", 1)[-1]
        self.mock.reset(self.session)
        self.retries = []

    def client(self, **options):
        options.setdefault("on_retry", lambda method, path, attempt, status, wait: self.retries.append((status, wait)))
        client = AurionClient(self.mock.url, API_KEY, headers={"X-Mock-Session": self.session}, **options)
        self.addCleanup(client.close)
        return client

    def assertReportOk(self):
        report = self.mock.report(self.session)
        self.assertTrue(report["summary"]["ok"], failures(report))
        return report


class RateLimitTest(MockTestCase):
    scenario = "create-burst.yaml"

    def test_waits_out_retry_after_then_creates_the_ticket(self):
        client = self.client()
        started = time.monotonic()
        ids = [client.create_ticket("Import #%d" % n, "Nightly import")["id"] for n in range(3)]
        self.assertEqual(len(set(ids)), 3)
        self.assertEqual(self.retries, [(429, 1.0)])
        self.assertGreaterEqual(time.monotonic() - started, 1.0)
        statuses = [e["status"] for e in self.mock.journal(self.session)]
        self.assertEqual(statuses, [201, 201, 429, 201])
        self.assertReportOk()


class PlainApiTest(MockTestCase):
    """No scenario: the mock behaves like the real API, validation included."""

    def test_validation_errors_are_not_retried(self):
        client = self.client()
        with self.assertRaises(AurionError) as caught:
            client.create_ticket("x" * 300, "Too long a subject", priority="critical")
        error = caught.exception
        self.assertEqual((error.status, error.code, error.attempts), (422, "validation_error", 1))
        self.assertEqual(sorted(d["field"] for d in error.details), ["priority", "subject"])
        self.assertEqual(self.retries, [])
        self.assertEqual(len(self.mock.journal(self.session)), 1)
        self.assertReportOk()


class UnreliableTest(MockTestCase):
    scenario = "unreliable.yaml"

    def test_lost_create_is_retried_with_the_same_key_and_made_once(self):
        client = self.client(backoff_unit=0.1)
        ticket = client.create_ticket("Mailbox full", "Cannot receive mail")
        self.assertEqual([status for status, _ in self.retries], [0])
        lost, replayed = self.mock.journal(self.session)
        # The first attempt made the ticket but its answer was lost; the retry got it replayed.
        self.assertEqual((lost["fault"], lost["resourceId"]), ("reset", ticket["id"]))
        self.assertEqual((replayed["status"], replayed.get("replayed")), (201, True))
        self.assertEqual(lost["idempotencyKey"], replayed["idempotencyKey"])
        self.assertReportOk()

    def test_reads_back_off_with_growing_jittered_waits(self):
        writer = self.client(backoff_unit=0.1)
        first = writer.create_ticket("Screen flickers", "Desk 12")
        second = writer.create_ticket("Screen still flickers", "Desk 12")
        self.retries.clear()
        # A fixed jitter sequence instead of random.random, so the waits are known and well apart.
        reader = self.client(backoff_unit=0.1, random=iter([0.1, 0.3, 0.6, 0.8]).__next__)
        self.assertEqual(reader.get_ticket(first["id"])["id"], first["id"])
        self.assertEqual(reader.get_ticket(second["id"])["id"], second["id"])
        self.assertEqual([(status, round(wait, 3)) for status, wait in self.retries],
                         [(502, 0.11), (503, 0.23), (502, 0.16), (503, 0.28)])
        report = self.assertReportOk()
        # Each wait is judged against its lower bound: 0.1 s before retry 1, 0.2 s before retry 2.
        reads = [op for op in report["operations"] if op["method"] == "GET"]
        self.assertEqual([[a.get("backoffMs") for a in op["attempts"]] for op in reads], [[None, 100, 200]] * 2)

    def test_gives_up_after_four_attempts(self):
        slept = []
        client = self.client(sleep=slept.append, random=lambda: 0.5)
        with self.assertRaises(AurionError) as caught:
            client.list_tickets(limit=10)
        self.assertEqual((caught.exception.status, caught.exception.attempts), (503, 4))
        self.assertEqual(slept, [1.5, 2.5, 4.5])
        # The recorded sleep did not wait: the mock's report notices the missing backoff.
        report = self.mock.report(self.session)
        self.assertFalse(report["summary"]["ok"])
        self.assertIn("backoff", failures(report))

class RetryDelayTest(unittest.TestCase):
    def setUp(self):
        self.client = AurionClient("http://127.0.0.1:9", API_KEY, random=lambda: 0.25)

    def test_429_waits_retry_after_or_five_seconds(self):
        self.assertEqual(self.client.retry_delay(429, {"Retry-After": "12"}, 0), 12.0)
        self.assertEqual(self.client.retry_delay(429, {}, 0), 5.0)

    def test_5xx_backs_off_exponentially_but_never_before_retry_after(self):
        self.assertEqual([self.client.retry_delay(503, {}, n) for n in range(3)], [1.25, 2.25, 4.25])
        self.assertEqual(self.client.retry_delay(503, {"Retry-After": "30"}, 0), 30.0)

    def test_other_4xx_are_not_retried(self):
        for status in (400, 401, 403, 404, 409, 422):
            self.assertIsNone(self.client.retry_delay(status, {}, 0), status)

    def test_retry_after_as_an_http_date(self):
        self.assertEqual(parse_retry_after("Tue, 01 Jan 2030 00:00:10 GMT", now=1893456000.0), 10.0)
        self.assertIsNone(parse_retry_after("soon"))


if __name__ == "__main__":
    unittest.main()
