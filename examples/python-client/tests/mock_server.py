"""Starts aurion-mock as a subprocess for a test class and talks to its admin API.

The command defaults to this repository's build (node ../../dist/server/bin.js); set
AURION_MOCK_CMD to run another, e.g. AURION_MOCK_CMD="npx aurion-mock".
"""

import os
import re
import shlex
import signal
import subprocess
import threading

import requests

HERE = os.path.dirname(os.path.abspath(__file__))
REPO_BIN = os.path.normpath(os.path.join(HERE, "..", "..", "..", "dist", "server", "bin.js"))
LISTENING = re.compile(r"listening on (http://\S+)")


def scenario_file(name):
    """A scenario committed next to these tests."""
    return os.path.join(HERE, "scenarios", name)


class MockServer:
    def __init__(self, *scenarios):
        self.scenarios = scenarios
        self.process = None
        self.reader = None
        self.url = None
        self.output = []

    def start(self):
        command = shlex.split(os.environ.get("AURION_MOCK_CMD", "node %s" % shlex.quote(REPO_BIN)))
        for scenario in self.scenarios:
            command += ["--scenario", scenario]
        command += ["--port", "0", "--log-level", "warn"]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for line in self.process.stdout:
            self.output.append(line)
            match = LISTENING.search(line)
            if match:
                self.url = match.group(1)
                break
        if self.url is None:
            self.process.wait(5)
            raise RuntimeError("aurion-mock did not start:\n" + "".join(self.output))
        # Keep reading, so a full pipe never blocks the server.
        self.reader = threading.Thread(target=lambda: self.output.extend(self.process.stdout), daemon=True)
        self.reader.start()
        return self

    def stop(self):
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.reader.join(5)
        self.process.stdout.close()

    def reset(self, session):
        requests.post(self.url + "/__mock/reset", params={"session": session}, timeout=5).raise_for_status()

    def journal(self, session):
        res = requests.get(self.url + "/__mock/journal", params={"session": session}, timeout=5)
        res.raise_for_status()
        return res.json()["entries"]

    def report(self, session):
        """The mock's grading of the session's requests against the Aurion retry guidance."""
        res = requests.get(self.url + "/__mock/report", params={"session": session}, timeout=5)
        res.raise_for_status()
        return res.json()


    def deliveries(self, session):
        """The webhook delivery attempts the mock made in the session."""
        res = requests.get(self.url + "/__mock/deliveries", params={"session": session}, timeout=5)
        res.raise_for_status()
        return res.json()["deliveries"]


def failures(report):
    """The failed checks of a report, one per line, for assertion messages."""
    checks = [c for op in report["operations"] for c in op["checks"]] + report["sessionChecks"]
    checks += report.get("receiver", {}).get("checks", [])
    return "\n".join("%s: %s" % (c["name"], c["message"]) for c in checks if not c["passed"])
