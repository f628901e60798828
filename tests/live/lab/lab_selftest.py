#!/usr/bin/python3
"""Self-test of the lab host: two lab servers behind real sshd, reached with real ssh.

Walks the shipped runbook (scenarios/runbooks/backend-update.json) step by step on one server,
running each command, probe and unattended check exactly as lyncupdate sends them
(`powershell.exe -NoProfile -NonInteractive -EncodedCommand <base64>`, the script in the
form lyncupdate writes), and checks outputs and state at every step; then the
refusals, a client killed in the middle of a state-changing command, a probe that waits for a
running command, and fault injection.

Exit codes: 0 passed, 1 failed, 77 skipped because /usr/sbin/sshd, ssh or ssh-keygen is
missing (unless LYNCUPDATE_REQUIRE_SSHD=1, as CI sets: then their absence fails).
"""

import base64
import fcntl
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

SKIP = 77
HERE = os.path.dirname(os.path.abspath(__file__))
LAB_PY = os.path.join(HERE, "lab.py")
STAND_IN = os.path.join(HERE, "lab-powershell")
RUNBOOK = os.path.join(HERE, "..", "..", "..", "scenarios", "runbooks", "backend-update.json")
BACK_END = "sql01.lab.test"
STANDARD = "se01.lab.test"
UPDATE_VERSION = "5.0.8308.1001"
QUOTES = "'\u2018\u2019\u201a\u201b"
LAB_DIR = None  # set by setUpModule


# --- the script form lyncupdate sends ------------------------------------------------------

def quote(text):
    return "'" + "".join(c * 2 if c in QUOTES else c for c in text) + "'"


def stage(argv):
    words = ["& " + quote(argv[0])]
    words += [a if re.fullmatch(r"-[A-Za-z][A-Za-z0-9]*", a) else quote(a) for a in argv[1:]]
    return " ".join(words)


def script(pipeline):
    return ("$ErrorActionPreference = 'Stop'\n" + " | ".join(stage(s) for s in pipeline)
            + "\nif ($LASTEXITCODE) { exit $LASTEXITCODE }\n")


def encode(text):
    return base64.b64encode(text.encode("utf-16-le")).decode("ascii")


def remote_words(pipeline):
    return ["powershell.exe", "-NoProfile", "-NonInteractive", "-EncodedCommand",
            encode(script(pipeline))]


# --- driving the lab ----------------------------------------------------------------------

def ssh_argv(fqdn, words, *options):
    return ["ssh", "-F", os.path.join(LAB_DIR, "ssh_config"), "-o", "BatchMode=yes",
            "-o", "ConnectTimeout=20", *options, "-T", "--", fqdn, *words]


def ssh_words(fqdn, words, *options):
    return subprocess.run(ssh_argv(fqdn, words, *options), stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=60)


def ssh(fqdn, pipeline):
    """Runs `pipeline` on `fqdn` over ssh: CompletedProcess (text)."""
    return ssh_words(fqdn, remote_words(pipeline))


def ssh_script(fqdn, text):
    return ssh_words(fqdn, ["powershell.exe", "-NoProfile", "-NonInteractive",
                            "-EncodedCommand", encode(text)])


def server_dir(fqdn):
    return os.path.join(LAB_DIR, "state", fqdn)


def state(fqdn):
    with open(os.path.join(server_dir(fqdn), "state.json"), encoding="utf-8") as f:
        return json.load(f)


def log_lines(fqdn, name):
    try:
        with open(os.path.join(server_dir(fqdn), name), encoding="utf-8") as f:
            return f.read().splitlines()
    except FileNotFoundError:
        return []


def executed(fqdn):
    """executed.log without its time stamps; each line checked for `<unix time> <command>`."""
    out = []
    for line in log_lines(fqdn, "executed.log"):
        found = re.fullmatch(r"(\d{9,}\.\d{3}) (\S.*)", line)
        assert found, f"malformed executed.log line {line!r}"
        out.append(found.group(2))
    return out


def reset(fqdn):
    shutil.rmtree(server_dir(fqdn), ignore_errors=True)


def write_config(config):
    with open(os.path.join(LAB_DIR, "config.json"), "w", encoding="utf-8") as f:
        json.dump(config, f)


def read_config():
    with open(os.path.join(LAB_DIR, "config.json"), encoding="utf-8") as f:
        return json.load(f)


def lab(*args):
    done = subprocess.run([sys.executable, LAB_PY, *args], capture_output=True, text=True,
                          timeout=120)
    if done.returncode != 0:
        raise AssertionError(f"lab.py {' '.join(args)} exited {done.returncode}: {done.stderr}")
    return done.stdout


def holds(check, done):
    """Whether a probe or unattended check holds: exit 0, and `present` in the output or
    `absent` not in it."""
    if done.returncode != 0:
        return False
    if "present" in check:
        return check["present"] in done.stdout
    if "absent" in check:
        return check["absent"] not in done.stdout
    return True


def substitute(text, fqdn, sql_fqdn):
    return (text.replace("{fqdn}", fqdn).replace("{sql_fqdn}", sql_fqdn)
            .replace("{update_version}", UPDATE_VERSION))


def lock_held(fqdn):
    """True while a command holds the server's lock exclusively."""
    path = os.path.join(server_dir(fqdn), "lock")
    if not os.path.exists(path):
        return False
    with open(path, "a+") as lock:
        try:
            fcntl.lockf(lock, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError:
            return True
        fcntl.lockf(lock, fcntl.LOCK_UN)
        return False


def wait_for(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.01)


def setUpModule():
    global LAB_DIR
    LAB_DIR = tempfile.mkdtemp(prefix="lyncupdate-lab-")
    printed = lab("start", LAB_DIR, BACK_END, STANDARD).strip()
    assert printed == os.path.join(LAB_DIR, "ssh_config"), printed


def tearDownModule():
    lab("stop", LAB_DIR)
    for fqdn in (BACK_END, STANDARD):
        assert not os.path.exists(os.path.join(LAB_DIR, "servers", fqdn, "sshd.pid"))


# --- tests ----------------------------------------------------------------------------------

class A_ShippedRunbook(unittest.TestCase):
    """The whole default runbook on the back end, as live --unattended would run it."""

    def step_command(self, step, role):
        command = step.get("variants", {}).get(role, {}).get("command", step.get("command"))
        return substitute(command, BACK_END, BACK_END).split()

    def resolve(self, check):
        """The check with {fqdn}, {sql_fqdn} and {update_version} substituted everywhere."""
        resolved = {"pipeline": [[substitute(a, BACK_END, BACK_END) for a in s]
                                 for s in check["pipeline"]]}
        for key in ("present", "absent"):
            if key in check:
                resolved[key] = substitute(check[key], BACK_END, BACK_END)
        return resolved

    def check(self, check):
        return ssh(BACK_END, self.resolve(check)["pipeline"])

    def test_runbook(self):
        reset(BACK_END)
        write_config({})
        with open(RUNBOOK, encoding="utf-8") as f:
            runbook = json.load(f)
        user_line = None
        for step in runbook:
            name = step["id"]
            with self.subTest(step=name):
                if step["kind"] == "manual":
                    self.assertIn("unattended", step, f"{name}: manual step without a check")
                    if name == "close-shells":
                        self.close_shells(step["unattended"])
                    done = self.check(step["unattended"])
                    self.assertTrue(holds(self.resolve(step["unattended"]), done),
                                    f"{name}: {done}")
                    if name == "log-on":
                        user_line = done.stdout.strip()
                    continue
                self.assertIn(step["kind"], ("command", "install", "database"))
                self.assertIn("probe", step, f"{name}: state-changing step without a probe")
                probe = self.resolve(step["probe"])
                before = self.check(probe)
                self.assertFalse(holds(probe, before), f"{name}: probe holds before: {before}")
                if name == "stop-services":
                    self.installer_refuses_while_running()
                if name == "update-databases":
                    self.database_update_refusals()
                count = len(executed(BACK_END))
                done = ssh(BACK_END, [self.step_command(step, "enterprise_backend")])
                self.assertEqual(done.returncode, 0, f"{name}: {done}")
                self.assertEqual(len(executed(BACK_END)), count + 1, name)
                after = self.check(probe)
                self.assertTrue(holds(probe, after), f"{name}: probe after: {after}")
                self.after_step(name, done)
        self.assertRegex(user_line, r"^lab\\\S+$")
        self.assertEqual(executed(BACK_END), [
            "Stop-CsWindowsService",
            "net stop w3svc",
            "LyncServerUpdateInstaller.exe /silentmode",
            "Stop-CsWindowsService",
            "net start w3svc",
            f"Install-CsDatabase -Update -ConfiguredDatabases -SqlServerFqdn {BACK_END}",
            "Start-CsWindowsService",
        ])
        final = state(BACK_END)
        self.assertEqual(set(final["lync_services"].values()), {"Running"})
        self.assertEqual((final["w3svc"], final["version"], final["schema"]),
                         ("Running", UPDATE_VERSION, "updated"))

    def installer_refuses_while_running(self):
        before = state(BACK_END)
        done = ssh(BACK_END, [["LyncServerUpdateInstaller.exe", "/silentmode"]])
        self.assertEqual(done.returncode, 1)
        self.assertIn("the update cannot be installed: these services are running: REPLICA",
                      done.stderr)
        self.assertIn("W3SVC", done.stderr)
        self.assertEqual(state(BACK_END), before)
        self.assertEqual(executed(BACK_END), [])
        self.assertRegex(log_lines(BACK_END, "failed.log")[-1],
                         r"^\d+\.\d{3} 1 LyncServerUpdateInstaller.exe /silentmode$")

    def close_shells(self, check):
        # An operator left a Management Shell open: the check sees it, the installer refuses.
        lab("set", LAB_DIR, BACK_END, "open_shells=1")
        done = self.check(check)
        self.assertEqual(done.returncode, 0, done)
        self.assertIn("Lync.psd1", done.stdout)
        self.assertIn("-EncodedCommand", done.stdout)  # the query's own powershell.exe
        refused = ssh(BACK_END, [["LyncServerUpdateInstaller.exe", "/silentmode"]])
        self.assertEqual(refused.returncode, 1)
        self.assertIn("1 Lync Server Management Shell window(s) are open", refused.stderr)
        lab("set", LAB_DIR, BACK_END, "open_shells=0")

    def database_update_refusals(self):
        wrong = ssh(BACK_END, [["Install-CsDatabase", "-Update", "-ConfiguredDatabases",
                                "-SqlServerFqdn", "sql99.lab.test"]])
        self.assertEqual(wrong.returncode, 1)
        self.assertIn('Cannot connect to SQL Server "sql99.lab.test"', wrong.stderr)
        missing = ssh(BACK_END, [["Install-CsDatabase", "-Update", "-ConfiguredDatabases"]])
        self.assertEqual(missing.returncode, 1)
        self.assertIn("missing mandatory parameters: SqlServerFqdn", missing.stderr)
        ambiguous = ssh(BACK_END, [["Install-CsDatabase", "-Update", "-ConfiguredDatabases",
                                    "-Sql", BACK_END]])
        self.assertIn("the parameter name 'Sql' is ambiguous", ambiguous.stderr)
        self.assertEqual(state(BACK_END)["schema"], "old")

    def after_step(self, name, done):
        current = state(BACK_END)
        if name == "stop-services":
            self.assertEqual(done.stdout, "")
            self.assertEqual(set(current["lync_services"].values()), {"Stopped"})
            again = ssh(BACK_END, [["Get-CsWindowsService"]])
            self.assertRegex(again.stdout, r"\nStatus +Name +ActivityLevel\n-+ +-+ +-+\n"
                                           r"Stopped +REPLICA\n")
        elif name == "stop-w3svc":
            self.assertEqual(done.stdout, "The World Wide Web Publishing Service service is "
                             "stopping.\nThe World Wide Web Publishing Service service was "
                             "stopped successfully.\n\n")
            twice = ssh(BACK_END, [["net", "stop", "w3svc"]])
            self.assertEqual(twice.returncode, 2)
            self.assertIn("The World Wide Web Publishing Service service is not started.\n\n"
                          "More help is available by typing NET HELPMSG 3521.", twice.stderr)
            self.assertEqual(executed(BACK_END)[-1], "net stop w3svc")
        elif name == "install-update":
            self.assertEqual(current["version"], UPDATE_VERSION)
            # Like the real installer, it leaves the Lync services running: hence step 9.
            self.assertEqual(set(current["lync_services"].values()), {"Running"})
            self.assertEqual(current["w3svc"], "Stopped")
            # Lync Server 2013 has no Get-CsServerPatchVersion (Skype for Business Server 2015
            # from its November 2015 update); the installed programs' entries tell instead.
            patch = ssh(BACK_END, [["Get-CsServerPatchVersion"]])
            self.assertEqual(patch.returncode, 1, patch)
            self.assertIn("& : The term 'Get-CsServerPatchVersion' is not recognized as the "
                          "name of a cmdlet", patch.stderr)
            installed = ssh(BACK_END, [
                ["Get-ItemProperty", "-Path",
                 "HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\*"],
                ["Where-Object", "-Property", "DisplayVersion", "-EQ", "-Value", UPDATE_VERSION],
                ["Select-Object", "-ExpandProperty", "DisplayName"]])
            self.assertEqual(installed.stdout,
                             "Microsoft Lync Server 2013, Core Components\n"
                             "Microsoft Lync Server 2013, Administrative Tools\n"
                             "Microsoft Lync Server 2013, Front End Server\n"
                             "Microsoft Lync Server 2013, Web Components Server\n")
        elif name == "start-w3svc":
            self.assertIn("service was started successfully.", done.stdout)
            self.assertEqual(current["w3svc"], "Running")
        elif name == "update-databases":
            self.assertEqual(current["schema"], "updated")
            tested = ssh(BACK_END, [["Test-CsDatabase", "-ConfiguredDatabases",
                                     "-SqlServerFqdn", BACK_END]])
            self.assertEqual(tested.stdout.count("Succeed          : True"), 8)
        elif name == "start-services":
            self.assertEqual(set(current["lync_services"].values()), {"Running"})


class B_Grammar(unittest.TestCase):
    """Only the script form lyncupdate writes is run; everything else is refused."""

    def setUp(self):
        reset(STANDARD)
        write_config({})

    def assertRefused(self, done, text):
        self.assertEqual(done.returncode, 1, done)
        self.assertEqual(done.stdout, "")
        self.assertIn(text, done.stderr)
        self.assertEqual(executed(STANDARD), [])

    def test_filter_with_doubled_quotes(self):
        pipeline = [["Get-CimInstance", "-ClassName", "Win32_Process", "-Filter",
                     "Name = 'powershell.exe'"], ["Select-Object", "-ExpandProperty",
                                                  "CommandLine"]]
        self.assertIn("-Filter 'Name = ''powershell.exe''' | & 'Select-Object'",
                      script(pipeline))
        done = ssh(STANDARD, pipeline)
        self.assertEqual(done.returncode, 0, done)
        self.assertNotIn("Lync.psd1", done.stdout)
        self.assertEqual(len(done.stdout.splitlines()), 1)  # the query's own powershell.exe
        none = ssh(STANDARD, [["Get-CimInstance", "-ClassName", "Win32_Process", "-Filter",
                               "Name = 'nothing.exe'"]])
        self.assertEqual((none.returncode, none.stdout), (0, ""))

    def test_curly_quotes_are_doubled(self):
        # U+2019 in an argument: doubled by quote(), read back as one character.
        done = ssh(STANDARD, [["Test-Path", "C:\\Updates\\it\u2019s here\\"
                               "LyncServerUpdateInstaller.exe"]])
        self.assertEqual((done.returncode, done.stdout), (0, "True\n"))
        undoubled = script([["Test-Path", "x"]]).replace("'x'", "'it\u2019s'")
        self.assertRefused(ssh_script(STANDARD, undoubled), "U+2019 must be doubled")

    def test_statement_list_refused(self):
        text = "$ErrorActionPreference = 'Stop'\nStop-CsWindowsService; reboot\n" \
               "if ($LASTEXITCODE) { exit $LASTEXITCODE }\n"
        done = ssh_script(STANDARD, text)
        self.assertRefused(done, "At line:2 char:1\n+ Stop-CsWindowsService; reboot\n+ ~\n")
        self.assertIn("ParserError", done.stderr)
        injected = script([["whoami"]]).replace("& 'whoami'", "& 'whoami'; & 'net' 'stop' "
                                                "'w3svc'")
        self.assertRefused(ssh_script(STANDARD, injected), "char:11")
        self.assertFalse(os.path.exists(os.path.join(server_dir(STANDARD), "state.json")))

    def test_first_and_last_lines_exact(self):
        good = script([["whoami"]])
        self.assertRefused(ssh_script(STANDARD, good.replace("'Stop'", "'Continue'")),
                           "Line 1 must be exactly")
        self.assertRefused(ssh_script(STANDARD, good.replace("exit $LASTEXITCODE }",
                                                             "exit 0 }")),
                           "Line 3 must be exactly")
        self.assertRefused(ssh_script(STANDARD, good.replace("\n", "\r\n")), "U+000D")
        self.assertRefused(ssh_script(STANDARD, good.rstrip("\n")), "exactly three lines")
        self.assertRefused(ssh_script(STANDARD, good.replace("& 'whoami'", "&  'whoami'")),
                           "char:1")
        self.assertRefused(ssh_script(STANDARD, good.replace("& 'whoami'",
                                                             "& 'whoami' -x=1")), "char:12")

    def test_invocation_refused(self):
        b64 = encode(script([["whoami"]]))
        self.assertRefused(ssh_words(STANDARD, []), "no command was given")
        self.assertRefused(ssh_words(STANDARD, ["powershell.exe", "-NoProfile",
                                                "-EncodedCommand", b64]),
                           "this host runs only powershell.exe")
        self.assertRefused(ssh_words(STANDARD, ["powershell.exe", "-NoProfile",
                                                "-NonInteractive", "-EncodedCommand", b64,
                                                ";", "reboot"]),
                           "this host runs only powershell.exe")
        self.assertRefused(ssh_words(STANDARD, ["powershell.exe", "-NoProfile",
                                                "-NonInteractive", "-EncodedCommand",
                                                "not*base64"]), "not properly encoded")

    def test_unknown_cmdlet(self):
        done = ssh(STANDARD, [["Restart-Computer", "-Force"]])
        self.assertRefused(done, "& : The term 'Restart-Computer' is not recognized as the name "
                                 "of a cmdlet, function, script file, or operable program.")
        self.assertIn("CommandNotFoundException", done.stderr)
        positional = ssh(STANDARD, [["Test-CsDatabase", "extra"]])
        self.assertRefused(positional, "A positional parameter cannot be found that accepts "
                                       "argument 'extra'.")
        # A quoted '-Update' is a string, not the switch: no parameter takes it by position.
        quoted = script([["Install-CsDatabase", "x"]]).replace("'x'", "'-Update'")
        self.assertRefused(ssh_script(STANDARD, quoted), "A positional parameter cannot be "
                                                         "found that accepts argument '-Update'.")

    def test_names_case_insensitive(self):
        done = ssh(STANDARD, [["get-service", "-name", "w3svc"]])
        self.assertEqual(done.returncode, 0, done)
        self.assertIn("Running W3SVC World Wide Web Publishing Service", done.stdout)

    def test_local_invocation(self):
        env = dict(os.environ, LYNCUPDATE_LAB_DIR=LAB_DIR, LYNCUPDATE_TARGET=STANDARD)
        env.pop("SSH_ORIGINAL_COMMAND", None)
        done = subprocess.run([STAND_IN, *remote_words([["Get-Service", "W3SVC"]])[1:]],
                              env=env, capture_output=True, text=True, timeout=60)
        self.assertEqual(done.returncode, 0, done)
        self.assertIn("Running W3SVC", done.stdout)


class C_Interruptions(unittest.TestCase):
    """A state-changing command commits all or nothing; probes wait for it."""

    def setUp(self):
        reset(STANDARD)
        # Stop-CsWindowsService then sleeps 250 ms x 12 = 3 s.
        write_config({"scale": 12, "sleep_ms": {"Get-CsWindowsService": 0, "whoami": 0}})

    def test_client_killed_before_commit(self):
        # Stop-CsWindowsService sleeps 10 s.
        write_config({"scale": 40, "sleep_ms": {"Get-CsWindowsService": 0, "whoami": 0}})
        ssh(STANDARD, [["whoami"]])  # creates the state
        before = state(STANDARD)
        client = subprocess.Popen(ssh_argv(STANDARD, remote_words([["Stop-CsWindowsService"]])),
                                  stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
        wait_for(lambda: lock_held(STANDARD), 20, "the command to take its lock")
        started = time.monotonic()
        client.send_signal(signal.SIGKILL)
        client.wait()
        # The probe takes the lock shared: it runs once the command has gone, committed or not.
        probe = ssh(STANDARD, [["Get-CsWindowsService"]])
        self.assertLess(time.monotonic() - started, 8, "the command ran on to its commit")
        self.assertFalse(lock_held(STANDARD))
        self.assertIn("Running", probe.stdout)
        self.assertNotIn("Stopped", probe.stdout)
        self.assertEqual(state(STANDARD), before)
        self.assertEqual(executed(STANDARD), [])
        self.assertEqual(log_lines(STANDARD, "failed.log"), [])

    def test_probe_waits_for_running_command(self):
        ssh(STANDARD, [["whoami"]])
        client = subprocess.Popen(ssh_argv(STANDARD, remote_words([["Stop-CsWindowsService"]])),
                                  stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE)
        wait_for(lambda: lock_held(STANDARD), 20, "the command to take its lock")
        probe = ssh(STANDARD, [["Get-CsWindowsService"]])
        self.assertEqual(client.wait(timeout=30), 0)
        client.stdout.close()
        client.stderr.close()
        self.assertNotIn("Running", probe.stdout)
        self.assertIn("Stopped", probe.stdout)
        self.assertEqual(executed(STANDARD), ["Stop-CsWindowsService"])


class D_Faults(unittest.TestCase):
    """config.json's fail and reboot counters."""

    def setUp(self):
        reset(STANDARD)

    def test_fail_counts_down(self):
        write_config({"fail": {STANDARD: {"Stop-CsWindowsService": 2, "net stop w3svc": 1}}})
        for left in (1, 0):
            done = ssh(STANDARD, [["Stop-CsWindowsService"]])
            self.assertEqual(done.returncode, 1, done)
            self.assertIn("Injected fault", done.stderr)
            self.assertEqual(read_config()["fail"][STANDARD]["Stop-CsWindowsService"], left)
            self.assertEqual(set(state(STANDARD)["lync_services"].values()), {"Running"})
        self.assertEqual(ssh(STANDARD, [["Stop-CsWindowsService"]]).returncode, 0)
        self.assertEqual(ssh(STANDARD, [["net", "start", "w3svc"]]).returncode, 2)
        self.assertEqual(ssh(STANDARD, [["net", "stop", "w3svc"]]).returncode, 1)
        self.assertEqual(read_config()["fail"][STANDARD]["net stop w3svc"], 0)
        self.assertEqual(ssh(STANDARD, [["net", "stop", "w3svc"]]).returncode, 0)
        self.assertEqual(executed(STANDARD), ["Stop-CsWindowsService", "net stop w3svc"])
        self.assertEqual([line.split(" ", 1)[1] for line in log_lines(STANDARD, "failed.log")],
                         ["1 Stop-CsWindowsService", "1 Stop-CsWindowsService",
                          "2 net start w3svc", "1 net stop w3svc"])

    def test_reboot_required(self):
        write_config({"reboot": {STANDARD: {"LyncServerUpdateInstaller.exe": 1}}})
        for pipeline in ([["Stop-CsWindowsService"]], [["net", "stop", "w3svc"]]):
            self.assertEqual(ssh(STANDARD, pipeline).returncode, 0)
        done = ssh(STANDARD, [["LyncServerUpdateInstaller.exe", "/silentmode"]])
        # exit 3010; an exit status passes through ssh (and any POSIX process) modulo 256.
        self.assertEqual(done.returncode, 3010 % 256, done)
        self.assertIn("A restart of the computer is required", done.stdout)
        current = state(STANDARD)
        self.assertTrue(current["reboot_pending"])
        self.assertEqual(current["version"], UPDATE_VERSION)
        self.assertEqual(read_config()["reboot"][STANDARD]["LyncServerUpdateInstaller.exe"], 0)
        local = ssh(STANDARD, [["Install-CsDatabase", "-Update", "-LocalDatabases"]])
        self.assertEqual(local.returncode, 0, local)
        self.assertEqual(executed(STANDARD)[-2:], ["LyncServerUpdateInstaller.exe /silentmode",
                                                   "Install-CsDatabase -Update -LocalDatabases"])


class E_Servers(unittest.TestCase):
    """One sshd per server, each known by its own host key."""

    def test_host_keys_are_per_server(self):
        with open(os.path.join(LAB_DIR, "ssh_config"), encoding="ascii") as f:
            ports = dict(re.findall(r"Host (\S+)\n  HostName 127\.0\.0\.1\n  Port (\d+)",
                                    f.read()))
        self.assertEqual(sorted(ports), sorted([BACK_END, STANDARD]))
        self.assertNotEqual(ports[BACK_END], ports[STANDARD])
        crossed = ssh_words(BACK_END, remote_words([["whoami"]]), "-o", f"Port={ports[STANDARD]}")
        self.assertEqual(crossed.returncode, 255, crossed)


def main():
    if not (os.access("/usr/sbin/sshd", os.X_OK) and shutil.which("ssh")
            and shutil.which("ssh-keygen")):
        message = "sshd, ssh or ssh-keygen is missing (install openssh-server and openssh-client)"
        if os.environ.get("LYNCUPDATE_REQUIRE_SSHD") == "1":
            print(f"FAIL: {message}", file=sys.stderr)
            return 1
        print(f"SKIP: {message}", file=sys.stderr)
        return SKIP
    program = unittest.main(exit=False, verbosity=2)
    passed = program.result.wasSuccessful()
    if passed:
        shutil.rmtree(LAB_DIR, ignore_errors=True)
    else:
        print(f"the lab's folder is kept for inspection: {LAB_DIR}", file=sys.stderr)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
