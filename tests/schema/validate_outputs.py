#!/usr/bin/env python3
"""Validates real outputs of the lyncupdate binary against docs/schema/lyncupdate-output.schema.json.

Runs the commands whose --json (or partial-result file) the schema describes (`calibrate`
reads journals of live runs of contoso written here), validates every document, then checks that the schema is strict: a renamed, a missing and an unknown key in
each kind of document must each be refused.

Needs Debian's python3-jsonschema (`./setup.sh test` installs it). Exit code 0 passed, 1 failed.
"""

import argparse
import copy
import glob
import json
import os
import shutil
import subprocess
import sys

try:
    import jsonschema
except ImportError:
    print("FAIL: the jsonschema module is missing: apt-get install python3-jsonschema "
          "(./setup.sh test installs it)", file=sys.stderr)
    sys.exit(1)

failures = []


def run(args, expect=(0, 1)):
    done = subprocess.run(args, capture_output=True, text=True, timeout=600)
    if done.returncode not in expect:
        print(f"FAIL: {' '.join(args)} exited {done.returncode}: {done.stderr.strip()}",
              file=sys.stderr)
        sys.exit(1)
    return done.stdout


def check(validator, name, doc, kind):
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
    if errors:
        # oneOf hides the detail; validate against the expected branch to say what is wrong.
        branch = jsonschema.Draft202012Validator(
            {"$ref": f"#/$defs/{kind}", **{k: v for k, v in validator.schema.items()
                                           if k in ("$defs", "$schema")}})
        detail = [f"/{'/'.join(map(str, e.absolute_path))}: {e.message}"
                  for e in branch.iter_errors(doc)][:5]
        failures.append(f"{name}: not valid: {'; '.join(detail) or errors[0].message}")
    else:
        print(f"ok    {name}")


def refused(validator, name, doc):
    if validator.is_valid(doc):
        failures.append(f"{name}: the schema accepted it")
    else:
        print(f"ok    {name} is refused")


def mutations(name, doc, key):
    renamed = copy.deepcopy(doc)
    renamed[key + "_renamed"] = renamed.pop(key)
    missing = copy.deepcopy(doc)
    del missing[key]
    extra = copy.deepcopy(doc)
    extra["unexpected"] = 1
    return [(f"{name} with {key} renamed", renamed), (f"{name} without {key}", missing),
            (f"{name} with an unknown key", extra)]


def write_journal(path, tool, server, attempts, last):
    """A journal of a live run of contoso (docs/json.md, "The journal of a live run"): the
    header, an intent and an outcome per attempt, then `last`."""
    lines = [{"journal": "lyncupdate/journal/1", "scenario": "contoso",
              "scenario_sha256": "c" * 64, "tool": tool, "transport": "ssh",
              "started_utc": "2026-11-26T09:30:00Z"}]
    at = 0
    for step, number, outcome, duration_ms in attempts:
        lines.append({"record": "intent", "server": server, "step": step, "attempt": number,
                      "kind": "command", "host": server, "argv": ["Do-It"], "at_ms": at})
        at += duration_ms
        lines.append({"record": "outcome", "server": server, "step": step, "attempt": number,
                      "outcome": outcome, "exit_code": {"succeeded": 0, "timed_out": None}.get(outcome, 1),
                      "duration_ms": duration_ms, "at_ms": at, "output_tail": ""})
    lines.append({**last, "at_ms": at + 1})
    with open(path, "w", encoding="utf-8") as f:
        f.writelines(json.dumps(line, separators=(",", ":")) + "\n" for line in lines)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lyncupdate", required=True)
    parser.add_argument("--schema", required=True)
    parser.add_argument("--source-dir", required=True)
    parser.add_argument("--work-dir", required=True)
    options = parser.parse_args()

    with open(options.schema, encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    work = os.path.abspath(options.work_dir)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    binary = options.lyncupdate

    docs = {}
    docs["simulate contoso"] = ("run", json.loads(run([binary, "simulate", "contoso", "--json"])))
    docs["simulate enterprise --seed 5"] = (
        "run", json.loads(run([binary, "simulate", "enterprise", "--seed", "5", "--json"])))
    docs["simulate enterprise --runs 50"] = (
        "montecarlo", json.loads(run([binary, "simulate", "enterprise", "--runs", "50", "--json"])))
    docs["check contoso"] = ("run", json.loads(run([binary, "check", "contoso", "--json"])))
    for path in sorted(glob.glob(os.path.join(options.source_dir, "scenarios", "broken", "*.json"))):
        if os.path.basename(path) == "EXPECTED.json":
            continue
        name = f"check broken/{os.path.basename(path)}"
        docs[name] = ("run", json.loads(run([binary, "check", path, "--json"])))
    # Faults, a stopped plan and steps that never ran: contoso with an installer that always
    # fails (retried twice), and one that always asks for a restart.
    exported = json.loads(run([binary, "export", "contoso"], expect=(0,)))
    for label, change in (
            ("failing", {"retry": {"attempts": 3, "delay_min": 5}}),
            ("rebooting", {"reboot_required": {"probability": 1.0, "reboot_min": 6}})):
        scenario = copy.deepcopy(exported)
        for step in scenario["runbook"]:
            if step["id"] == "install-update":
                step.update(change)
        if label == "failing":
            scenario["timing"]["steps"]["install-update"]["failure_probability"] = 1.0
        path = os.path.join(work, f"{label}.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(scenario, f)
        docs[f"simulate {label} installer"] = ("run", json.loads(run([binary, "simulate", path,
                                                                      "--json"])))
        docs[f"simulate {label} installer --runs 20"] = (
            "montecarlo", json.loads(run([binary, "simulate", path, "--runs", "20", "--json"])))
    failing = docs["simulate failing installer"][1]
    if len(failing["faults"]) != 3 or not failing["stopped"]:
        failures.append("the failing installer did not produce three faults and a stopped plan")
    parts = []
    for k in (1, 2):
        part = os.path.join(work, f"part-{k}.json")
        run([binary, "simulate", "enterprise", "--runs", "40", "--shard", f"{k}/2", "--partial",
             part], expect=(0,))
        parts.append(part)
        with open(part, encoding="utf-8") as f:
            doc = json.load(f)
        version = str(doc.get("schema", "")).rsplit("/", 1)[-1]
        docs[f"partial {k}/2"] = ("partial" if version == "1" else f"partial_{version}", doc)
    docs["merge of two shards"] = ("montecarlo", json.loads(run([binary, "merge", *parts, "--json"])))

    # verify: not proved (unbounded lognormals), then a bounded copy of contoso proved with
    # one operator per server and violated with one operator.
    docs["verify contoso"] = ("verify", json.loads(run([binary, "verify", "contoso", "--json"])))
    bounded = copy.deepcopy(exported)
    bounded["timing"]["steps"]["install-update"] = {"distribution": "fixed", "minutes": 8}
    bounded["timing"]["steps"]["update-databases"] = {"distribution": "fixed", "minutes": 4}
    bounded["timing"]["servers"] = {}
    bounded["plan"]["stages"] = [["sql01.contoso.com", "se01.contoso.com"]]
    bounded_path = os.path.join(work, "bounded.json")
    with open(bounded_path, "w", encoding="utf-8") as f:
        json.dump(bounded, f)
    docs["verify bounded"] = ("verify", json.loads(run([binary, "verify", bounded_path, "--json"])))
    replay = os.path.join(work, "counterexample.json")
    docs["verify bounded --operators 1"] = ("verify", json.loads(run(
        [binary, "verify", bounded_path, "--operators", "1", "--counterexample", replay,
         "--json"])))
    docs["simulate counterexample"] = ("run", json.loads(run([binary, "simulate", replay,
                                                              "--json"])))

    # calibrate: two live runs of contoso, one per server; a failed attempt on se01 and a
    # step that never succeeded, so that every shape of step and timing appears.
    tool = run([binary, "--version"], expect=(0,)).strip()
    journals = [os.path.join(work, "sql01.journal"), os.path.join(work, "se01.journal")]
    write_journal(journals[0], tool, "sql01.contoso.com",
                  [("stop-services", 1, "succeeded", 90000),
                   ("install-update", 1, "succeeded", 600000)], {"record": "finished"})
    write_journal(journals[1], tool, "se01.contoso.com",
                  [("stop-services", 1, "succeeded", 90000),
                   ("install-update", 1, "succeeded", 720000),
                   ("update-databases", 1, "failed", 30000),
                   ("update-databases", 2, "succeeded", 120000),
                   ("start-services", 1, "timed_out", 900000)],
                  {"record": "stop", "reason": "the operator stopped the run"})
    docs["calibrate"] = ("calibration", json.loads(run([binary, "calibrate", *journals, "--json"],
                                                       expect=(0,))))
    docs["calibrate --per-server"] = ("calibration", json.loads(run(
        [binary, "calibrate", *journals, "--per-server", "--json"], expect=(0,))))
    calibrated = os.path.join(work, "calibrated.json")
    docs["calibrate --scenario contoso"] = ("calibration", json.loads(run(
        [binary, "calibrate", *journals, "--scenario", "contoso", "-o", calibrated, "--json"],
        expect=(0,))))
    docs["simulate calibrated contoso"] = ("run", json.loads(run([binary, "simulate", calibrated,
                                                                  "--json"])))
    fitted = {step["step"]: step["timing"] for step in docs["calibrate"][1]["steps"]}
    if (fitted.get("install-update", {}).get("distribution") != "lognormal"
            or "failure_probability" not in (fitted.get("update-databases") or {})
            or fitted.get("start-services", 0) is not None
            or "servers" not in docs["calibrate --per-server"][1]["timing"]):
        failures.append("calibrate did not produce a lognormal fit, a failure probability, a "
                        "step without a fit and per-server timing")

    # The whole rollout: front ends (role front_end) and the mirrored principal's failovers.
    docs["simulate enterprise-rollout"] = ("run", json.loads(run(
        [binary, "simulate", "enterprise-rollout", "--json"])))
    docs["check enterprise-rollout"] = ("run", json.loads(run(
        [binary, "check", "enterprise-rollout", "--json"])))
    # plan: a feasible plan (the planner's hand-solved fixture) and an infeasible one.
    small = os.path.join(options.source_dir, "tests", "planner", "data", "small.json")
    docs["plan small"] = ("plan", json.loads(run(
        [binary, "plan", small, "--runs", "200", "-o", os.path.join(work, "planned.json"),
         "--json"], expect=(0,))))
    docs["plan enterprise"] = ("plan", json.loads(run(
        [binary, "plan", "enterprise", "--runs", "200", "-o", os.path.join(work, "none.json"),
         "--json"], expect=(1,))))
    docs["simulate planned small"] = ("run", json.loads(run(
        [binary, "simulate", os.path.join(work, "planned.json"), "--json"])))

    for name, (kind, doc) in docs.items():
        check(validator, name, doc, kind)

    # Strictness: what a reader would trip over must not validate.
    samples = [("simulate contoso", "end"), ("simulate contoso", "users"), ("check contoso", "findings"),
               ("simulate enterprise --runs 50", "limit_reached"), ("partial 1/2", "samples"),
               ("calibrate", "timing"), ("calibrate", "journals"), ("plan small", "chosen"),
               ("plan enterprise", "search")]
    for name, key in samples:
        for label, doc in mutations(name, docs[name][1], key):
            refused(validator, label, doc)
    step = copy.deepcopy(docs["simulate contoso"][1])
    step["servers"][0]["steps"][0]["duration"] = step["servers"][0]["steps"][0].pop("duration_ms")
    refused(validator, "a step with duration_ms renamed", step)
    checked = copy.deepcopy(docs["check contoso"][1])
    checked["findings"][0].pop("severity")
    refused(validator, "a finding without severity", checked)
    for label, change in (
            ("a calibrated step without durations_ms", lambda d: d["steps"][0].pop("durations_ms")),
            ("a calibrated step of an unknown distribution",
             lambda d: d["steps"][0]["timing"].update(distribution="normal")),
            ("a fixed fit with a median", lambda d: d["steps"][0]["timing"].update(median_min=1.5)),
            ("a lognormal fit without max_min",
             lambda d: next(s for s in d["steps"] if s["step"] == "install-update")["timing"]
             .pop("max_min")),
            ("a calibrated timing with an unknown key",
             lambda d: d["timing"]["steps"]["stop-services"].update(mean_min=1.5)),
            ("a calibration of an unknown schema version",
             lambda d: d.update(schema="lyncupdate/calibration/2"))):
        calibration = copy.deepcopy(docs["calibrate"][1])
        change(calibration)
        refused(validator, label, calibration)
    wrong = copy.deepcopy(docs["simulate contoso"][1])
    wrong["schema"] = "lyncupdate/run/2"
    refused(validator, "a run of an unknown schema version", wrong)

    if failures:
        for failure in failures:
            print(f"FAIL: {failure}", file=sys.stderr)
        return 1
    print(f"PASS: {len(docs)} documents valid, the schema refuses renamed, missing and unknown keys")
    return 0


if __name__ == "__main__":
    sys.exit(main())
