#!/usr/bin/env python3
"""Whole-command tests of `lyncupdate live` against the lab host: real sshd processes on
127.0.0.1 whose logins run the cmdlet stand-ins with real state (tests/live/lab).

    live_test.py --lyncupdate BUILD/lyncupdate [--work-dir DIR] [unittest arguments]

Exit 77 (skipped) when /usr/sbin/sshd is missing, unless LYNCUPDATE_REQUIRE_SSHD=1.
LYNCUPDATE_KILL_POINTS sets how many random SIGKILLs the crash test makes (default 50).
LYNCUPDATE_UPDATE_GOLDEN=1 rewrites the golden files instead of comparing.
"""

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
LAB = os.path.join(HERE, "lab", "lab.py")
SCENARIO = os.path.join(HERE, "data", "lab.json")
GOLDEN = os.path.join(HERE, "golden")
SERVERS = ["sql01.lab.test", "se01.lab.test"]
SQL = {"sql01.lab.test": "sql01.lab.test", "se01.lab.test": "se01.lab.test"}

# The commands that change a server's state, in runbook order: what executed.log must list,
# each exactly once, after a complete run.
STATE_CHANGING = {
    "sql01.lab.test": [
        "Stop-CsWindowsService",
        "net stop w3svc",
        "LyncServerUpdateInstaller.exe /silentmode",
        "Stop-CsWindowsService",
        "net start w3svc",
        "Install-CsDatabase -Update -ConfiguredDatabases -SqlServerFqdn sql01.lab.test",
        "Start-CsWindowsService",
    ],
    "se01.lab.test": [
        "Stop-CsWindowsService",
        "net stop w3svc",
        "LyncServerUpdateInstaller.exe /silentmode",
        "Stop-CsWindowsService",
        "net start w3svc",
        "Install-CsDatabase -Update -LocalDatabases",
        "Start-CsWindowsService",
    ],
}

LYNCUPDATE = None
WORK = None


def run(args, **kwargs):
    return subprocess.run(args, capture_output=True, text=True, **kwargs)


class Lab:
    """One lab: an sshd per server, state under DIR/state."""

    def __init__(self, name):
        self.dir = os.path.join(WORK, name)
        shutil.rmtree(self.dir, ignore_errors=True)
        os.makedirs(self.dir)
        args = [sys.executable, LAB, "start", self.dir, *SERVERS]
        for fqdn, sql in SQL.items():
            args += ["--sql", f"{fqdn}={sql}"]
        started = run(args)
        if started.returncode != 0:
            raise RuntimeError(f"lab did not start:\n{started.stdout}\n{started.stderr}")
        self.ssh_config = os.path.join(self.dir, "ssh_config")

    def stop(self):
        run([sys.executable, LAB, "stop", self.dir])

    def executed(self, fqdn):
        path = os.path.join(self.dir, "state", fqdn, "executed.log")
        if not os.path.exists(path):
            return []
        with open(path, encoding="utf-8") as log:
            # "<unix time> <Command> <args>"
            return [line.rstrip("\n").split(" ", 1)[1] for line in log if line.strip()]

    def live_args(self, journal, *extra):
        return [LYNCUPDATE, "live", SCENARIO, "--ssh-config", self.ssh_config, "--unattended",
                "--journal", journal, "--gate-runs", "400", *extra]


def journal_records(path):
    with open(path, encoding="utf-8") as journal:
        lines = [json.loads(line) for line in journal if line.endswith("\n")]
    return lines[0], lines[1:]


def simulated_order():
    out = run([LYNCUPDATE, "simulate", SCENARIO, "--json"])
    assert out.returncode == 0, out.stderr
    rows = []
    for index, server in enumerate(json.loads(out.stdout)["servers"]):
        for position, step in enumerate(server["steps"]):
            rows.append((step["start"]["ms"], index, position, server["fqdn"], step["id"]))
    return [(fqdn, step) for *_, fqdn, step in sorted(rows)]


class LiveOverSsh(unittest.TestCase):
    def setUp(self):
        self.lab = Lab(self.id().rsplit(".", 1)[-1])
        # The crash test replaces the lab night after night: stop whichever is the last.
        self.addCleanup(lambda: self.lab.stop())

    def test_default_runbook_runs_in_the_simulated_order(self):
        journal = os.path.join(self.lab.dir, "night.journal")
        report = os.path.join(self.lab.dir, "night.html")
        result = run(self.lab.live_args(journal, "--html", report), timeout=300)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("gate: passed", result.stdout)
        # The report of the night, with the real timeline against the rehearsed one.
        with open(report, encoding="utf-8") as html:
            page = html.read()
        self.assertIn("Rehearsal against reality", page)
        self.assertIn("sql01.lab.test", page)
        self.assertIn("live: the plan ran to its end", result.stdout)
        header, records = journal_records(journal)
        self.assertEqual(header["journal"], "lyncupdate/journal/1")
        self.assertEqual(header["transport"], "ssh")
        intents = [(r["server"], r["step"]) for r in records if r["record"] == "intent"]
        self.assertEqual(intents, simulated_order())
        outcomes = [r for r in records if r["record"] == "outcome"]
        self.assertEqual(len(outcomes), len(intents))
        self.assertTrue(all(r["outcome"] == "succeeded" for r in outcomes), outcomes)
        self.assertEqual(records[-1]["record"], "finished")
        for fqdn in SERVERS:
            self.assertEqual(self.lab.executed(fqdn), STATE_CHANGING[fqdn])
            with open(os.path.join(self.lab.dir, "state", fqdn, "state.json")) as state:
                self.assertIn("5.0.8308.1001", state.read())
        # A finished journal has nothing left to do.
        again = run(self.lab.live_args(journal, "--resume"), timeout=120)
        self.assertEqual(again.returncode, 0, again.stderr)
        self.assertIn("already ran to its end", again.stdout)
        for fqdn in SERVERS:
            self.assertEqual(self.lab.executed(fqdn), STATE_CHANGING[fqdn])

    def test_sigkill_at_random_points_then_resume_runs_every_step_once(self):
        points = int(os.environ.get("LYNCUPDATE_KILL_POINTS", "50"))
        seed = int(os.environ.get("LYNCUPDATE_KILL_SEED", "20261126"))
        rng = random.Random(seed)
        # How long one uninterrupted run takes here, to spread the kills over it.
        journal = os.path.join(self.lab.dir, "timing.journal")
        began = time.monotonic()
        first = run(self.lab.live_args(journal), timeout=300)
        self.assertEqual(first.returncode, 0, first.stdout + first.stderr)
        span = time.monotonic() - began
        kills = 0
        nights = 0
        probes_used = 0
        while kills < points:
            self.lab.stop()
            self.lab = Lab(f"kill-{nights}")
            nights += 1
            journal = os.path.join(self.lab.dir, "night.journal")
            resume = False
            while True:
                process = subprocess.Popen(
                    self.lab.live_args(journal, *(["--resume"] if resume else [])),
                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
                # Short lives: each resumed run gets a little further, so the kills land all
                # over the night while each costs a fraction of a whole run.
                delay = rng.uniform(0.05, span / 5)
                try:
                    output, _ = process.communicate(timeout=delay)
                except subprocess.TimeoutExpired:
                    process.send_signal(signal.SIGKILL)
                    process.communicate()
                    kills += 1
                    resume = os.path.exists(journal)
                    if kills < points:
                        continue
                    # The last kill: finish the night without further interruption.
                    final = run(self.lab.live_args(journal, *(["--resume"] if resume else [])),
                                timeout=300)
                    output = final.stdout + final.stderr
                    self.assertEqual(final.returncode, 0, output)
                    break
                self.assertEqual(process.returncode, 0,
                                 f"seed {seed}, after {kills} kills:\n{output}")
                break
            for fqdn in SERVERS:
                self.assertEqual(self.lab.executed(fqdn), STATE_CHANGING[fqdn],
                                 f"seed {seed}, night {nights}, after {kills} kills")
            _, records = journal_records(journal)
            probes_used += sum(1 for r in records if r["record"] == "probe")
            self.assertEqual(records[-1]["record"], "finished")
        print(f"{kills} kills over {nights} nights, {probes_used} probes settled a step "
              f"(seed {seed}, one run {span:.1f} s)", file=sys.stderr)

    def test_ctrl_c_stops_at_a_safe_point_and_resume_finishes(self):
        journal = os.path.join(self.lab.dir, "night.journal")
        process = subprocess.Popen(self.lab.live_args(journal), stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True)
        # Interrupt once the back end's update is under way.
        lines = []
        for line in process.stdout:
            lines.append(line)
            if "sql01.lab.test  install-update  started" in line:
                process.send_signal(signal.SIGINT)
                break
        output = "".join(lines) + process.communicate(timeout=120)[0]
        self.assertEqual(process.returncode, 130, output)
        self.assertIn("interrupted at a safe point", output)
        _, records = journal_records(journal)
        self.assertEqual(records[-1]["record"], "stop")
        self.assertEqual(records[-1]["reason"], "interrupted")
        # The step in flight finished and was journaled; nothing started after it.
        last_intent = [r for r in records if r["record"] == "intent"][-1]
        self.assertEqual((last_intent["server"], last_intent["step"]),
                         ("sql01.lab.test", "install-update"))
        self.assertEqual(self.lab.executed("se01.lab.test"), [])
        resumed = run(self.lab.live_args(journal, "--resume"), timeout=300)
        self.assertEqual(resumed.returncode, 0, resumed.stdout + resumed.stderr)
        self.assertIn("install-update: succeeded in the journal, not run again", resumed.stdout)
        for fqdn in SERVERS:
            self.assertEqual(self.lab.executed(fqdn), STATE_CHANGING[fqdn])

    def test_the_operator_confirms_manual_steps_on_the_terminal(self):
        journal = os.path.join(self.lab.dir, "night.journal")
        args = [a for a in self.lab.live_args(journal) if a != "--unattended"]
        # Five manual steps a server; the operator confirms the first after a wrong answer and
        # aborts the first manual step of se01.
        answers = "later\n" + "done\n" * 5 + "abort\n"
        result = run(args, input=answers, timeout=300)
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        self.assertIn(">>> sql01.lab.test: Log on to the server", result.stderr)
        self.assertIn("please type 'done' or 'abort'", result.stderr)
        self.assertIn("se01.lab.test log-on: aborted by the operator", result.stdout)
        self.assertIn("live: the plan stopped after a failed step", result.stdout)
        self.assertEqual(self.lab.executed("sql01.lab.test"), STATE_CHANGING["sql01.lab.test"])
        self.assertEqual(self.lab.executed("se01.lab.test"), [])
        _, records = journal_records(journal)
        manual = [r for r in records if r["record"] == "intent" and r["kind"] == "manual"]
        self.assertEqual(len(manual), 6)
        self.assertEqual(records[-1], {**records[-1], "record": "stop", "reason": "failed"})

    def test_calibrate_fits_timing_that_simulate_accepts(self):
        journal = os.path.join(self.lab.dir, "night.journal")
        result = run(self.lab.live_args(journal), timeout=300)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        calibrated = os.path.join(self.lab.dir, "calibrated.json")
        fit = run([LYNCUPDATE, "calibrate", journal, "--scenario", SCENARIO, "-o", calibrated])
        self.assertEqual(fit.returncode, 0, fit.stderr)
        simulated = run([LYNCUPDATE, "simulate", calibrated, "--json"])
        self.assertEqual(simulated.returncode, 0, simulated.stderr)
        with open(calibrated) as scenario:
            timing = json.load(scenario)["timing"]["steps"]
        self.assertIn("install-update", timing)


class LiveRefusals(unittest.TestCase):
    """What must be refused before anything runs; no lab needed, nothing may start."""

    def scenario_with(self, edit):
        with open(SCENARIO, encoding="utf-8") as source:
            scenario = json.load(source)
        edit(scenario)
        handle, path = tempfile.mkstemp(suffix=".json", dir=WORK)
        with os.fdopen(handle, "w") as out:
            json.dump(scenario, out)
        return path

    def test_a_scenario_that_fails_check_is_refused_with_its_reason(self):
        def make_the_install_too_long(scenario):
            scenario["plan"]["stages"] = [["sql01.lab.test"], ["se01.lab.test"]]
            scenario["timing"]["steps"]["install-update"] = {
                "distribution": "fixed", "minutes": 45}
        path = self.scenario_with(make_the_install_too_long)
        journal = path + ".journal"
        result = run([LYNCUPDATE, "live", path, "--transport", "local", "--unattended",
                      "--journal", journal, "--gate-runs", "400"])
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        self.assertIn("gate: REFUSED", result.stdout)
        self.assertIn("backend-outage-limit", result.stdout)
        self.assertIn("nothing was run", result.stderr)
        self.assertFalse(os.path.exists(journal))

    def test_hostile_fqdns_are_rejected_with_exit_2(self):
        for hostile in ["a.b;rm -rf /", "$(reboot)", "-oProxyCommand=touch.x"]:
            def rename(scenario, hostile=hostile):
                text = json.dumps(scenario).replace("se01.lab.test", hostile)
                scenario.clear()
                scenario.update(json.loads(text))
            path = self.scenario_with(rename)
            journal = path + ".journal"
            result = run([LYNCUPDATE, "live", path, "--journal", journal])
            self.assertEqual(result.returncode, 2, hostile + result.stdout + result.stderr)
            self.assertIn("nothing was run", result.stderr)
            self.assertEqual(result.stdout, "")
            self.assertFalse(os.path.exists(journal))

    def test_an_existing_journal_needs_resume(self):
        handle, journal = tempfile.mkstemp(dir=WORK)
        os.close(handle)
        result = run([LYNCUPDATE, "live", SCENARIO, "--transport", "local", "--unattended",
                      "--journal", journal, "--gate-runs", "400"])
        self.assertEqual(result.returncode, 2, result.stdout + result.stderr)
        self.assertIn("add --resume", result.stderr)

    def test_dry_run_golden(self):
        cases = {
            "dry-run-ssh.txt": ["--ssh-user", "lyncadmin"],
            "dry-run-local-unattended.txt": ["--transport", "local", "--unattended"],
        }
        for name, extra in cases.items():
            result = run([LYNCUPDATE, "live", SCENARIO, "--dry-run", "--gate-runs", "500",
                          "--threads", "1", *extra])
            self.assertEqual(result.returncode, 0, result.stderr)
            golden = os.path.join(GOLDEN, name)
            if os.environ.get("LYNCUPDATE_UPDATE_GOLDEN") == "1":
                os.makedirs(GOLDEN, exist_ok=True)
                with open(golden, "w", encoding="utf-8") as out:
                    out.write(result.stdout)
                continue
            with open(golden, encoding="utf-8") as expected:
                self.assertEqual(result.stdout, expected.read(), name)


def main():
    global LYNCUPDATE, WORK
    parser = argparse.ArgumentParser()
    parser.add_argument("--lyncupdate", required=True)
    parser.add_argument("--work-dir")
    args, rest = parser.parse_known_args()
    LYNCUPDATE = os.path.abspath(args.lyncupdate)
    if not os.path.exists("/usr/sbin/sshd") or not shutil.which("ssh"):
        if os.environ.get("LYNCUPDATE_REQUIRE_SSHD") == "1":
            print("live tests: openssh-server and openssh-client are required", file=sys.stderr)
            return 1
        print("live tests: skipped, no /usr/sbin/sshd (./setup.sh test installs it)")
        return 77
    WORK = args.work_dir or tempfile.mkdtemp(prefix="lyncupdate-live-")
    os.makedirs(WORK, exist_ok=True)
    program = unittest.main(argv=[sys.argv[0], *rest], exit=False, verbosity=2)
    return 0 if program.result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
