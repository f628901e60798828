#!/usr/bin/env python3
"""Whole-command tests of how `lyncupdate live` recovers when a night goes wrong, against the
lab host (tests/live/lab): one session per journal, a journal that cannot be written, a
transient installer failure finished with `--resume --retry-failed`, `live --status`, and the
report of a run whose scenario file changed meanwhile. Bounded: each test is one or two nights
of the lab scenario (seconds each).

    recovery_test.py --lyncupdate BUILD/lyncupdate [--work-dir DIR] [unittest arguments]

Exit 77 (skipped) when /usr/sbin/sshd is missing, unless LYNCUPDATE_REQUIRE_SSHD=1.
"""

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import unittest

import live_test
from live_test import SCENARIO, SERVERS, STATE_CHANGING, Lab, journal_records, run


def lyncupdate():
    return live_test.LYNCUPDATE


def status(journal, scenario=SCENARIO):
    return run([lyncupdate(), "live", scenario, "--journal", journal, "--status"], timeout=60)


def wait_for(predicate, what, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def has_intent(journal):
    if not os.path.exists(journal):
        return False
    with open(journal, encoding="utf-8") as text:
        return '"record":"intent"' in text.read()


class Recovery(unittest.TestCase):
    def setUp(self):
        self.lab = Lab(self.id().rsplit(".", 1)[-1])
        self.addCleanup(lambda: self.lab.stop())
        self.journal = os.path.join(self.lab.dir, "night.journal")

    def assert_every_step_ran_once(self):
        for fqdn in SERVERS:
            self.assertEqual(self.lab.executed(fqdn), STATE_CHANGING[fqdn], fqdn)

    def test_a_second_session_is_refused_and_a_dead_sessions_lock_never_blocks_a_resume(self):
        # The first session waits for the operator at the first manual step, holding the
        # journal, as a session whose terminal dropped still does.
        args = [a for a in self.lab.live_args(self.journal) if a != "--unattended"]
        first = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True)
        self.addCleanup(lambda: first.poll() is None and first.kill())
        wait_for(lambda: has_intent(self.journal), "the first session's first intent")
        second = run(self.lab.live_args(self.journal, "--resume"), timeout=120)
        self.assertEqual(second.returncode, 2, second.stdout + second.stderr)
        self.assertIn(
            f"lyncupdate: live: the journal {self.journal} is in use by another session: "
            f"pid {first.pid} on host {socket.gethostname()}, since 20", second.stderr)
        self.assertIn("only one session may run a journal", second.stderr)
        self.assertTrue(second.stderr.endswith("; nothing was run\n"), second.stderr)
        # A new journal of the same name is refused the same way.
        third = run(self.lab.live_args(self.journal), timeout=120)
        self.assertEqual(third.returncode, 2, third.stdout + third.stderr)
        self.assertIn(f"pid {first.pid} on host", third.stderr)
        shown = status(self.journal)
        self.assertEqual(shown.returncode, 0, shown.stderr)
        self.assertIn(f"session: pid {first.pid} on host {socket.gethostname()} holds the "
                      "journal since 20", shown.stdout)
        for fqdn in SERVERS:
            self.assertEqual(self.lab.executed(fqdn), [])
        # SIGKILL: the lock file stays behind, naming a dead process; the resume takes over.
        first.kill()
        first.communicate()
        with open(self.journal + ".lock", encoding="utf-8") as lock:
            self.assertEqual(json.loads(lock.read())["pid"], first.pid)
        self.assertIn("session: none holds the journal now", status(self.journal).stdout)
        resumed = run(self.lab.live_args(self.journal, "--resume"), timeout=300)
        self.assertEqual(resumed.returncode, 0, resumed.stdout + resumed.stderr)
        self.assert_every_step_ran_once()
        self.assertFalse(os.path.exists(self.journal + ".lock"))

    def test_a_command_never_starts_when_its_intent_cannot_be_written(self):
        # Line 8 of a new journal is the intent of sql01's stop-services: the header, then
        # intent and outcome of the three manual steps before it.
        cases = {
            "write:8": "cannot write to journal {}: no space left on device",
            "fsync:8": "cannot flush journal {} to disk: input/output error",
        }
        for fault, error in cases.items():
            with self.subTest(fault=fault):
                self.lab.stop()
                self.lab = Lab(f"fault-{fault.replace(':', '-')}")
                self.journal = os.path.join(self.lab.dir, "night.journal")
                error = error.format(self.journal)
                env = dict(os.environ, LYNCUPDATE_JOURNAL_FAULTS=fault)
                result = run(self.lab.live_args(self.journal), env=env, timeout=300)
                self.assertEqual(result.returncode, 3, result.stdout + result.stderr)
                self.assertEqual(result.stderr,
                                 f"lyncupdate: live: the journal cannot be written: {error}\n")
                self.assertIn(f"{error}; sql01.lab.test stop-services not started",
                              result.stdout)
                for fqdn in SERVERS:
                    self.assertEqual(self.lab.executed(fqdn), [], fqdn)
                # The journal stays readable; a failed fsync may have left the intent behind.
                _, records = journal_records(self.journal)
                last = records[-1]
                if fault.startswith("write"):
                    self.assertEqual((last["record"], last["step"]), ("outcome", "open-shell"))
                else:
                    self.assertEqual((last["record"], last["step"]), ("intent", "stop-services"))
                shown = status(self.journal)
                self.assertEqual(shown.returncode, 0, shown.stderr)
                self.assertIn("sql01.lab.test: 3 of 12 steps done", shown.stdout)
                # The disk has room again: the resume settles the step and finishes the night.
                resumed = run(self.lab.live_args(self.journal, "--resume"), timeout=300)
                self.assertEqual(resumed.returncode, 0, resumed.stdout + resumed.stderr)
                self.assert_every_step_ran_once()

    def test_retry_failed_finishes_a_night_after_a_transient_installer_failure(self):
        with open(os.path.join(self.lab.dir, "config.json"), "w", encoding="utf-8") as config:
            json.dump({"fail": {"sql01.lab.test": {"LyncServerUpdateInstaller.exe": 1}}}, config)
        first = run(self.lab.live_args(self.journal), timeout=300)
        self.assertEqual(first.returncode, 1, first.stdout + first.stderr)
        self.assertIn("live: the plan stopped after a failed step", first.stdout)
        self.assertIn("live: `--status` shows what failed; `--resume --retry-failed --journal "
                      f"{self.journal}` probes the failed step and runs it again if it did not "
                      "complete\n", first.stdout)
        before = STATE_CHANGING["sql01.lab.test"][:2]
        self.assertEqual(self.lab.executed("sql01.lab.test"), before)
        # --resume replays the failure and stops again; nothing runs.
        again = run(self.lab.live_args(self.journal, "--resume"), timeout=300)
        self.assertEqual(again.returncode, 1, again.stdout + again.stderr)
        self.assertIn("install-update: failed in the journal, not run again", again.stdout)
        self.assertEqual(self.lab.executed("sql01.lab.test"), before)
        shown = status(self.journal)
        self.assertEqual(shown.returncode, 0, shown.stderr)
        self.assertIn("2 sessions; the run stopped: failed\n", shown.stdout)
        self.assertIn("sql01.lab.test: 6 of 12 steps done\n", shown.stdout)
        self.assertIn("  FAILED        install-update (attempt 1: failed after ", shown.stdout)
        self.assertIn("  --resume stops again at install-update: its failure is replayed, "
                      "nothing runs\n", shown.stdout)
        self.assertIn("  --resume --retry-failed runs its probe `& 'Get-ItemProperty'",
                      shown.stdout)
        self.assertIn("se01.lab.test: 0 of 12 steps done\n", shown.stdout)
        self.assertTrue(shown.stdout.endswith("status: nothing was run\n"), shown.stdout)
        self.assertEqual(self.lab.executed("sql01.lab.test"), before)
        # --retry-failed: the probe finds the update missing; the installer runs again, once,
        # and the night ends as a night without the failure would have.
        retried = run(self.lab.live_args(self.journal, "--resume", "--retry-failed"),
                      timeout=300)
        self.assertEqual(retried.returncode, 0, retried.stdout + retried.stderr)
        self.assertIn("sql01.lab.test install-update: failed in the journal; probing before "
                      "running it again (--retry-failed)", retried.stdout)
        self.assert_every_step_ran_once()
        done = status(self.journal)
        self.assertIn("; the plan ran to its end\n", done.stdout)
        self.assertIn("sql01.lab.test: 12 of 12 steps done\n", done.stdout)
        self.assertEqual(done.stdout.count("--resume has nothing left to do on this server"), 2)

    def test_retry_failed_needs_resume(self):
        result = run(self.lab.live_args(self.journal, "--retry-failed"), timeout=60)
        self.assertEqual(result.returncode, 2, result.stdout + result.stderr)
        self.assertIn("--retry-failed requires --resume", result.stderr)
        self.assertFalse(os.path.exists(self.journal))

    def test_the_report_is_of_the_text_the_gate_hashed(self):
        scenario = os.path.join(self.lab.dir, "site.json")
        shutil.copy(SCENARIO, scenario)
        report = os.path.join(self.lab.dir, "night.html")
        args = [lyncupdate(), "live", scenario, "--ssh-config", self.lab.ssh_config,
                "--unattended", "--journal", self.journal, "--gate-runs", "400", "--html", report]
        process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   text=True)
        lines = []
        for line in process.stdout:
            lines.append(line)
            if line.startswith("live: lab over ssh"):
                # Edited while the night runs: the report is still of what ran.
                with open(scenario, encoding="utf-8") as source:
                    edited = json.load(source)
                edited["description"] = "edited during the run"
                with open(scenario, "w", encoding="utf-8") as out:
                    json.dump(edited, out)
                break
        output = "".join(lines) + process.communicate(timeout=300)[0]
        self.assertEqual(process.returncode, 0, output)
        self.assertNotIn("was not written", output)
        with open(report, encoding="utf-8") as html:
            page = html.read()
        self.assertIn("Rehearsal against reality", page)
        self.assertNotIn("edited during the run", page)


class WithoutServers(unittest.TestCase):
    """What needs no server: a journal that cannot even be created, and `live --status` of a
    journal written by hand (it runs nothing)."""

    def test_a_journal_whose_header_cannot_be_written_runs_nothing(self):
        journal = os.path.join(live_test.WORK, "header.journal")
        args = [lyncupdate(), "live", SCENARIO, "--transport", "local", "--unattended",
                "--journal", journal, "--gate-runs", "400", "--threads", "1"]
        for fault in ("write:1", "fsync:1", "torn:1:20"):
            env = dict(os.environ, LYNCUPDATE_JOURNAL_FAULTS=fault)
            result = run(args, env=env, timeout=120)
            self.assertEqual(result.returncode, 3, fault + result.stdout + result.stderr)
            self.assertTrue(result.stderr.startswith("lyncupdate: live: cannot "), result.stderr)
            self.assertTrue(result.stderr.endswith("; nothing was run\n"), result.stderr)
            self.assertFalse(os.path.exists(journal), fault)
            self.assertFalse(os.path.exists(journal + ".lock"), fault)
        bad = run(args, env=dict(os.environ, LYNCUPDATE_JOURNAL_FAULTS="disk:1"), timeout=120)
        self.assertEqual(bad.returncode, 2, bad.stdout + bad.stderr)
        self.assertEqual(bad.stderr,
                         "lyncupdate: live: LYNCUPDATE_JOURNAL_FAULTS: \"disk:1\": expected "
                         "write:N, fsync:N or torn:N:BYTES (N a line from 1, BYTES from 0); "
                         "nothing was run\n")

    def test_status_prints_each_server_and_what_resume_would_do(self):
        dry = run([lyncupdate(), "live", SCENARIO, "--dry-run", "--transport", "local",
                   "--unattended", "--gate-runs", "400", "--threads", "1"], timeout=120)
        sha256 = dry.stdout.split("(sha256 ", 1)[1].split(")", 1)[0]
        journal = os.path.join(live_test.WORK, "status.journal")
        key = lambda step: {"server": "sql01.lab.test", "step": step, "attempt": 1}
        intent = lambda step, at: {"record": "intent", **key(step), "kind": "command",
                                   "host": "ssh sql01.lab.test", "argv": ["x"], "at_ms": at}
        outcome = lambda step, result, code, at, tail="": {
            "record": "outcome", **key(step), "outcome": result, "exit_code": code,
            "duration_ms": 500, "at_ms": at, "output_tail": tail}
        records = [
            {"journal": "lyncupdate/journal/1", "scenario": "lab", "scenario_sha256": sha256,
             "tool": "lyncupdate 0.1.0", "transport": "ssh",
             "started_utc": "2026-11-26T22:00:00Z"},
        ]
        for at, step in enumerate(["log-on", "extract-update", "open-shell", "stop-services"]):
            records += [intent(step, at * 1000), outcome(step, "succeeded", 0, at * 1000 + 500)]
        records += [
            intent("stop-w3svc", 5000),
            {"record": "resume", "started_utc": "2026-11-26T22:10:00Z", "at_ms": 0},
            {"record": "probe", **key("stop-w3svc"), "done": True, "at_ms": 300},
            intent("close-shells", 400), outcome("close-shells", "succeeded", 0, 900),
            intent("install-update", 1000),
            outcome("install-update", "failed", 1, 1500, "Injected fault\nsecond line"),
            {"record": "stop", "reason": "failed", "at_ms": 1600},
        ]
        with open(journal, "w", encoding="utf-8") as out:
            out.write("".join(json.dumps(r, separators=(",", ":")) + "\n" for r in records))
            out.write('{"record":"intent","ser')
        shown = status(journal)
        self.assertEqual(shown.returncode, 0, shown.stderr)
        self.assertEqual(shown.stderr, "")
        probe = ("& 'Get-ItemProperty' -Path "
                 "'HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\*' | "
                 "& 'Where-Object' -Property 'DisplayVersion' -EQ -Value '5.0.8308.1001' | "
                 "& 'Select-Object' -ExpandProperty 'DisplayName'")
        steps = ["log-on", "extract-update", "open-shell", "stop-services", "stop-w3svc",
                 "close-shells", "install-update", "reopen-shell", "stop-services-again",
                 "start-w3svc", "update-databases", "start-services"]
        expected = (
            f"status: journal {journal}: scenario lab, started 2026-11-26T22:00:00Z over ssh, "
            "2 sessions; the run stopped: failed\n"
            "session: none holds the journal now\n"
            "torn: line 18 was cut short (no final newline); --resume cuts it off\n"
            "sql01.lab.test: 6 of 12 steps done\n"
            "  done          log-on\n"
            "  done          extract-update\n"
            "  done          open-shell\n"
            "  done          stop-services\n"
            "  done          stop-w3svc (settled by its probe)\n"
            "  done          close-shells\n"
            "  FAILED        install-update (attempt 1: failed after 500 ms, exit 1: Injected "
            "fault second line)\n"
            + "".join(f"  not started   {step}\n" for step in steps[7:]) +
            "  --resume stops again at install-update: its failure is replayed, nothing runs\n"
            f"  --resume --retry-failed runs its probe `{probe}` (done when exit 0 with "
            "\"Microsoft Lync Server 2013\" in the output) first, and runs install-update "
            "again only if the probe says it did not complete\n"
            "se01.lab.test: 0 of 12 steps done\n"
            + "".join(f"  not started   {step}\n" for step in steps) +
            "  --resume asks the operator (or runs its unattended check): Log on to the server "
            "as a member of the CsAdministrator role\n"
            "status: nothing was run\n")
        self.assertEqual(shown.stdout, expected)
        # Another scenario's text is refused, as --resume refuses it.
        other = os.path.join(live_test.WORK, "other.json")
        with open(SCENARIO, encoding="utf-8") as source:
            edited = json.load(source)
        edited["description"] = "another text"
        with open(other, "w", encoding="utf-8") as out:
            json.dump(edited, out)
        refused = status(journal, other)
        self.assertEqual(refused.returncode, 2, refused.stdout + refused.stderr)
        self.assertIn(f"{journal}:1: error: the journal records a run of another scenario text",
                      refused.stderr)
        self.assertEqual(refused.stdout, "")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lyncupdate", required=True)
    parser.add_argument("--work-dir")
    args, rest = parser.parse_known_args()
    live_test.LYNCUPDATE = os.path.abspath(args.lyncupdate)
    if not os.path.exists("/usr/sbin/sshd") or not shutil.which("ssh"):
        if os.environ.get("LYNCUPDATE_REQUIRE_SSHD") == "1":
            print("recovery tests: openssh-server and openssh-client are required",
                  file=sys.stderr)
            return 1
        print("recovery tests: skipped, no /usr/sbin/sshd (./setup.sh test installs it)")
        return 77
    live_test.WORK = args.work_dir or tempfile.mkdtemp(prefix="lyncupdate-recovery-")
    os.makedirs(live_test.WORK, exist_ok=True)
    program = unittest.main(argv=[sys.argv[0], *rest], exit=False, verbosity=2)
    return 0 if program.result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
