#!/usr/bin/python3
"""Starts and stops the lab host: one sshd on 127.0.0.1 per lab server.

    lab.py start DIR FQDN... [--sql FQDN=SQLFQDN ...] [--config JSON]
    lab.py stop DIR
    lab.py state DIR [FQDN...]
    lab.py set DIR FQDN FIELD=JSON...

`start` makes DIR, throwaway ed25519 host and client keys, one sshd per FQDN on a free port of
127.0.0.1 whose every login runs lab-powershell (sshd's ForceCommand) as that server, and
DIR/ssh_config with a `Host <fqdn>` block per server; it prints the path of DIR/ssh_config.
`stop` ends every sshd of DIR (and the sessions they are serving). `state` prints servers'
state; `set` changes fields of a server's state (e.g. open_shells=2 opens two Lync Server
Management Shell windows). README.md beside this file has the details.
"""

import argparse
import importlib.machinery
import importlib.util
import json
import os
import pwd
import re
import shlex
import signal
import socket
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
LAB_POWERSHELL = os.path.join(HERE, "lab-powershell")
SSHD = "/usr/sbin/sshd"
# Characters a lab folder may hold: it is written unquoted into sshd_config and ssh_config.
SAFE_PATH = re.compile(r"^/[A-Za-z0-9._/+-]*$")


def load_stand_in():
    """lab-powershell as a module (it has no .py suffix), for its state and config code."""
    loader = importlib.machinery.SourceFileLoader("lab_powershell", LAB_POWERSHELL)
    spec = importlib.util.spec_from_loader("lab_powershell", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


LAB = load_stand_in()


class Failure(Exception):
    pass


def server_folder(lab_dir, fqdn):
    return os.path.join(lab_dir, "servers", fqdn)


def servers_of(lab_dir):
    folder = os.path.join(lab_dir, "servers")
    return sorted(os.listdir(folder)) if os.path.isdir(folder) else []


def keygen(path, comment):
    if not os.path.exists(path):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", path],
                       check=True, stdin=subprocess.DEVNULL)
    with open(path + ".pub", encoding="ascii") as public:
        return public.read().split()[:2]  # key type, base64


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def sshd_config(lab_dir, fqdn, port, user):
    folder = server_folder(lab_dir, fqdn)
    return "\n".join([
        f"# The lab server {fqdn}: written by lab.py start.",
        "ListenAddress 127.0.0.1",
        f"Port {port}",
        f"HostKey {folder}/host_ed25519",
        f"PidFile {folder}/sshd.pid",
        f"AuthorizedKeysFile {lab_dir}/authorized_keys",
        f"AllowUsers {user}",
        "PasswordAuthentication no",
        "KbdInteractiveAuthentication no",
        "PubkeyAuthentication yes",
        "PermitRootLogin prohibit-password",
        "StrictModes no",
        "UsePAM no",
        "UseDNS no",
        "PermitTTY no",
        "PermitUserEnvironment no",
        "AllowTcpForwarding no",
        "AllowAgentForwarding no",
        "X11Forwarding no",
        "PrintMotd no",
        "PrintLastLog no",
        "MaxStartups 100",
        "MaxSessions 100",
        f"ForceCommand {shlex.quote(LAB_POWERSHELL)}",
        # SHLVL=1: the login shell that runs ForceCommand then counts itself as nested, and
        # bash (Debian's reads ~/.bashrc for ssh commands) leaves the user's interactive set-up
        # out: it costs seconds with some version managers and may print into the output.
        f"SetEnv LYNCUPDATE_LAB_DIR={lab_dir} LYNCUPDATE_TARGET={fqdn} SHLVL=1",
        "LogLevel VERBOSE",
        "",
    ])


def ssh_config_block(lab_dir, fqdn, port, user):
    return "\n".join([
        f"Host {fqdn}",
        "  HostName 127.0.0.1",
        f"  Port {port}",
        f"  User {user}",
        f"  IdentityFile {lab_dir}/client_ed25519",
        "  IdentitiesOnly yes",
        f"  UserKnownHostsFile {lab_dir}/known_hosts",
        "  GlobalKnownHostsFile /dev/null",
        f"  HostKeyAlias {fqdn}",
        "  StrictHostKeyChecking yes",
        "  CheckHostIP no",
        "  UpdateHostKeys no",
        "  BatchMode yes",
        "  ControlMaster no",
        "  LogLevel ERROR",
        "",
    ])


def accepts(port, deadline):
    """True once something on 127.0.0.1:port answers with an SSH banner."""
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as connection:
                if connection.recv(8).startswith(b"SSH-"):
                    return True
        except OSError:
            pass
        time.sleep(0.05)
    return False


def read_pid(lab_dir, fqdn):
    try:
        with open(os.path.join(server_folder(lab_dir, fqdn), "sshd.pid"), encoding="ascii") as f:
            return int(f.read().strip())
    except (OSError, ValueError):
        return None


def is_our_sshd(pid, config_path):
    # The listener renames itself ("sshd: /usr/sbin/sshd -f <config> [listener] ..."), so its
    # command line is matched as bytes rather than as argv words.
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            command_line = f.read()
    except OSError:
        return False
    return b"sshd" in command_line and config_path.encode() in command_line


def start_sshd(lab_dir, fqdn, user):
    """Starts the sshd of `fqdn` on a free port; returns the port."""
    folder = server_folder(lab_dir, fqdn)
    config_path = os.path.join(folder, "sshd_config")
    log_path = os.path.join(folder, "sshd.log")
    for _ in range(8):
        port = free_port()
        with open(config_path, "w", encoding="ascii") as out:
            out.write(sshd_config(lab_dir, fqdn, port, user))
        try:
            os.unlink(os.path.join(folder, "sshd.pid"))
        except FileNotFoundError:
            pass
        log_size = os.path.getsize(log_path) if os.path.exists(log_path) else 0
        # sshd binds, then daemonizes: its exit status tells whether the bind worked.
        done = subprocess.run([SSHD, "-f", config_path, "-E", log_path],
                              stdin=subprocess.DEVNULL, capture_output=True, text=True)
        with open(log_path, encoding="utf-8", errors="replace") as log:
            log.seek(log_size)
            news = log.read()
        if done.returncode != 0:
            if "Address already in use" in news + done.stderr:
                continue  # another process took the port between the probe and the bind
            raise Failure(f"{SSHD} for {fqdn} exited {done.returncode}: "
                          f"{(done.stderr + news).strip()}")
        deadline = time.monotonic() + 10
        if not accepts(port, deadline):
            raise Failure(f"the sshd of {fqdn} does not accept connections on port {port}; see "
                          f"{log_path}")
        while read_pid(lab_dir, fqdn) is None and time.monotonic() < deadline:
            time.sleep(0.02)
        return port
    raise Failure(f"no free port for the sshd of {fqdn} after 8 tries")


def parse_sql(pairs, fqdns):
    sql = {}
    for pair in pairs:
        server, _, database = pair.partition("=")
        server, database = server.lower(), database.lower()
        if server not in fqdns or not LAB.FQDN.match(database):
            raise Failure(f"--sql {pair}: expected FQDN=SQLFQDN with FQDN one of the servers "
                          "started")
        sql[server] = database
    return sql


def start(args):
    lab_dir = os.path.abspath(args.dir)
    if not SAFE_PATH.match(lab_dir):
        raise Failure(f"{lab_dir}: the lab's folder may hold only letters, digits and . _ / + -")
    fqdns = [f.lower() for f in args.fqdns]
    for fqdn in fqdns:
        if not LAB.FQDN.match(fqdn):
            raise Failure(f"{fqdn} is not an FQDN")
    if len(set(fqdns)) != len(fqdns):
        raise Failure("each FQDN may be given once")
    if not os.path.exists(SSHD):
        raise Failure(f"{SSHD} is missing: install openssh-server")
    running = [f for f in servers_of(lab_dir) if running_pid(lab_dir, f)]
    if running:
        raise Failure(f"{lab_dir} already runs sshd for {', '.join(running)}; "
                      f"run `lab.py stop {lab_dir}` first")
    config = {}
    if args.config:
        text = args.config
        if not text.lstrip().startswith("{"):
            with open(text, encoding="utf-8") as source:
                text = source.read()
        config = json.loads(text)
        if not isinstance(config, dict):
            raise Failure("--config must be a JSON object")
    sql = dict(config.get("sql", {}))
    sql.update(parse_sql(args.sql, fqdns))
    if sql:
        config["sql"] = sql

    os.makedirs(lab_dir, exist_ok=True)
    # sshd running as root needs its privilege separation folder, even for this private use.
    if os.geteuid() == 0 and not os.path.isdir("/run/sshd"):
        os.makedirs("/run/sshd", mode=0o755, exist_ok=True)
    LAB.atomic_write(os.path.join(lab_dir, "config.json"), json.dumps(config, indent=2) + "\n")
    LAB.load_config(lab_dir)  # refuses a configuration the stand-in would refuse

    user = pwd.getpwuid(os.geteuid()).pw_name
    client = keygen(os.path.join(lab_dir, "client_ed25519"), f"lab client {lab_dir}")
    with open(os.path.join(lab_dir, "authorized_keys"), "w", encoding="ascii") as out:
        out.write(" ".join(client) + "\n")
    known_hosts = []
    ssh_config = [f"# The lab host: ssh -F {lab_dir}/ssh_config <fqdn> ... (written by lab.py "
                  "start)", ""]
    started = []
    try:
        for fqdn in fqdns:
            os.makedirs(server_folder(lab_dir, fqdn), exist_ok=True)
            host = keygen(os.path.join(server_folder(lab_dir, fqdn), "host_ed25519"),
                          f"lab host {fqdn}")
            known_hosts.append(f"{fqdn} {host[0]} {host[1]}")
            port = start_sshd(lab_dir, fqdn, user)
            started.append(fqdn)
            ssh_config.append(ssh_config_block(lab_dir, fqdn, port, user))
    except BaseException:
        for fqdn in started:
            stop_server(lab_dir, fqdn)
        raise
    with open(os.path.join(lab_dir, "known_hosts"), "w", encoding="ascii") as out:
        out.write("\n".join(known_hosts) + "\n")
    with open(os.path.join(lab_dir, "ssh_config"), "w", encoding="ascii") as out:
        out.write("\n".join(ssh_config))
    print(os.path.join(lab_dir, "ssh_config"))


def running_pid(lab_dir, fqdn):
    pid = read_pid(lab_dir, fqdn)
    config_path = os.path.join(server_folder(lab_dir, fqdn), "sshd_config")
    return pid if pid is not None and is_our_sshd(pid, config_path) else None


def descendants(pid):
    """Every process below `pid` (its sessions and the commands they run)."""
    children = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
        except (OSError, IndexError, ValueError):
            continue
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def stop_server(lab_dir, fqdn):
    pid = running_pid(lab_dir, fqdn)
    if pid is None:
        return False
    victims = [pid] + descendants(pid)
    for victim in victims:
        try:
            os.kill(victim, signal.SIGTERM)
        except (ProcessLookupError, PermissionError):
            pass
    deadline = time.monotonic() + 5
    while any(alive(v) for v in victims) and time.monotonic() < deadline:
        time.sleep(0.05)
    for victim in victims:
        if alive(victim):
            try:
                os.kill(victim, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
    try:
        os.unlink(os.path.join(server_folder(lab_dir, fqdn), "sshd.pid"))
    except FileNotFoundError:
        pass
    return True


def stop(args):
    lab_dir = os.path.abspath(args.dir)
    for fqdn in servers_of(lab_dir):
        if stop_server(lab_dir, fqdn):
            print(f"stopped the sshd of {fqdn}", file=sys.stderr)


def state(args):
    lab_dir = os.path.abspath(args.dir)
    folder = os.path.join(lab_dir, "state")
    names = [f.lower() for f in args.fqdns] or (sorted(os.listdir(folder))
                                                if os.path.isdir(folder) else [])
    out = {}
    for fqdn in names:
        lock, current = LAB.open_state(lab_dir, fqdn, exclusive=False)
        lock.close()
        out[fqdn] = current
    print(json.dumps(out, indent=2))


def set_fields(args):
    lab_dir = os.path.abspath(args.dir)
    fqdn = args.fqdn.lower()
    if not LAB.FQDN.match(fqdn):
        raise Failure(f"{fqdn} is not an FQDN")
    lock, current = LAB.open_state(lab_dir, fqdn, exclusive=True)
    with lock:
        for assignment in args.fields:
            field, _, text = assignment.partition("=")
            if field not in current:
                raise Failure(f"{field}: not a state field; expected one of "
                              f"{', '.join(sorted(current))}")
            try:
                value = json.loads(text)
            except ValueError:
                value = text  # a bare word: a string
            if field == "open_shells" and isinstance(value, int):
                value = [LAB.MANAGEMENT_SHELL] * value
            current[field] = value
        LAB.atomic_write(os.path.join(LAB.server_dir(lab_dir, fqdn), "state.json"),
                         json.dumps(current, indent=2) + "\n")
    print(json.dumps({fqdn: current}, indent=2))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("start", help="start one sshd per FQDN; prints DIR/ssh_config")
    p.add_argument("dir")
    p.add_argument("fqdns", nargs="+", metavar="FQDN")
    p.add_argument("--sql", action="append", default=[], metavar="FQDN=SQLFQDN",
                   help="the SQL Server FQDN Install-CsDatabase must name on FQDN "
                        "(default: FQDN itself)")
    p.add_argument("--config", metavar="JSON",
                   help="the lab's configuration: a JSON object, or a file holding one")
    p.set_defaults(run=start)
    p = commands.add_parser("stop", help="stop every sshd of DIR")
    p.add_argument("dir")
    p.set_defaults(run=stop)
    p = commands.add_parser("state", help="print servers' state")
    p.add_argument("dir")
    p.add_argument("fqdns", nargs="*", metavar="FQDN")
    p.set_defaults(run=state)
    p = commands.add_parser("set", help="change fields of a server's state")
    p.add_argument("dir")
    p.add_argument("fqdn", metavar="FQDN")
    p.add_argument("fields", nargs="+", metavar="FIELD=JSON")
    p.set_defaults(run=set_fields)
    args = parser.parse_args()
    try:
        args.run(args)
    except (Failure, LAB.LabError, OSError, ValueError, subprocess.CalledProcessError) as error:
        print(f"lab.py {args.command}: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
