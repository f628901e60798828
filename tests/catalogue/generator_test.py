#!/usr/bin/env python3
"""The cmdlet catalogue's generator (scenarios/catalogue/generate-catalogue) and its committed
output (scenarios/catalogue/cmdlets.json).

Usage: generator_test.py --source-dir DIR [unittest arguments]
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

SOURCE_DIR = None
PRODUCTS = ["lync2013", "sfb2015", "sfb2019", "sfbse"]


def paths():
    generator = os.path.join(SOURCE_DIR, "scenarios", "catalogue", "generate-catalogue")
    catalogue = os.path.join(SOURCE_DIR, "scenarios", "catalogue", "cmdlets.json")
    fixtures = os.path.join(SOURCE_DIR, "tests", "catalogue", "fixtures")
    return generator, catalogue, fixtures


def run_generator(*arguments):
    generator, _, _ = paths()
    return subprocess.run([sys.executable, generator, *arguments], capture_output=True,
                          text=True, encoding="utf-8")


def cmdlet_lines(text):
    """{cmdlet name: its line without the separating comma}, from a catalogue's text."""
    lines = {}
    for line in text.split("\n"):
        if line.startswith('  {"name": '):
            line = line[:-1] if line.endswith(",") else line
            lines[json.loads(line)["name"]] = line
    return lines


class Fixtures(unittest.TestCase):
    """(a), (b): the generator on the fixture pages, and the committed catalogue against it."""

    def generate(self):
        _, _, fixtures = paths()
        with tempfile.TemporaryDirectory() as work:
            output = os.path.join(work, "cmdlets.json")
            result = run_generator("--pages", os.path.join(fixtures, "pages"), "-o", output)
            self.assertEqual(result.returncode, 0, result.stderr)
            with open(output, "rb") as handle:
                return handle.read()

    def test_output_on_the_fixtures_is_expected_json_byte_for_byte(self):
        _, _, fixtures = paths()
        with open(os.path.join(fixtures, "expected.json"), "rb") as handle:
            expected = handle.read()
        self.assertEqual(self.generate(), expected)

    def test_stdout_and_file_outputs_are_the_same_bytes(self):
        _, _, fixtures = paths()
        result = subprocess.run([sys.executable, paths()[0], "--pages",
                                 os.path.join(fixtures, "pages")], capture_output=True)
        self.assertEqual(result.returncode, 0)
        self.assertEqual(result.stdout, self.generate())

    def test_committed_catalogue_has_the_fixture_cmdlets_as_generated(self):
        _, catalogue, fixtures = paths()
        generated = cmdlet_lines(self.generate().decode("utf-8"))
        self.assertEqual(len(generated), len(os.listdir(os.path.join(fixtures, "pages"))))
        with open(catalogue, encoding="utf-8") as handle:
            committed = cmdlet_lines(handle.read())
        for name, line in generated.items():
            with self.subTest(cmdlet=name):
                self.assertEqual(committed.get(name), line)


class CommittedCatalogue(unittest.TestCase):
    """(c): the format's invariants on the whole committed catalogue."""

    @classmethod
    def setUpClass(cls):
        with open(paths()[1], encoding="utf-8") as handle:
            cls.text = handle.read()
        cls.data = json.loads(cls.text)

    def test_layout_one_cmdlet_per_line(self):
        lines = self.text.split("\n")
        self.assertEqual(lines[0], '{"format": 1,')
        self.assertTrue(lines[1].startswith(' "source": {'))
        self.assertEqual(lines[2], ' "cmdlets": [')
        self.assertEqual(lines[-2:], [" ]}", ""])
        self.assertEqual(len(lines), len(self.data["cmdlets"]) + 5)
        for line in lines[3:-2]:
            self.assertTrue(line.startswith('  {"name": '), line[:60])

    def test_source(self):
        self.assertEqual(self.data["format"], 1)
        source = self.data["source"]
        self.assertEqual(list(source), ["repository", "commit", "path", "generator"])
        self.assertEqual(source["repository"], "MicrosoftDocs/office-docs-powershell")
        self.assertRegex(source["commit"], r"^[0-9a-f]{40}$")
        self.assertEqual(source["path"], "skype/skype-ps/SkypeForBusiness")
        self.assertEqual(source["generator"], "scenarios/catalogue/generate-catalogue")

    def test_names_unique_and_sorted_case_insensitively(self):
        names = [c["name"] for c in self.data["cmdlets"]]
        self.assertGreater(len(names), 800)
        self.assertEqual(len({n.lower() for n in names}), len(names))
        self.assertEqual(names, sorted(names, key=lambda n: (n.lower(), n)))

    def test_each_cmdlet(self):
        for cmdlet in self.data["cmdlets"]:
            with self.subTest(cmdlet=cmdlet["name"]):
                self.check_cmdlet(cmdlet)

    def check_products(self, products, within):
        self.assertTrue(products)
        self.assertTrue(set(products) <= set(within))
        self.assertEqual(products, [p for p in PRODUCTS if p in products])

    def check_cmdlet(self, cmdlet):
        self.assertEqual(list(cmdlet), ["name", "module", "page", "products", "parameters", "sets"])
        self.assertRegex(cmdlet["name"], r"^[A-Za-z]+-[A-Za-z0-9]+$")
        self.assertTrue(cmdlet["module"])
        self.assertTrue(cmdlet["page"].startswith("https://learn.microsoft.com/"))
        self.check_products(cmdlet["products"], PRODUCTS)
        names = [p["name"] for p in cmdlet["parameters"]]
        self.assertEqual(names, sorted(names, key=lambda n: (n.lower(), n)))
        self.assertEqual(len({n.lower() for n in names}), len(names))
        for parameter in cmdlet["parameters"]:
            self.check_parameter(cmdlet, parameter)
        self.assertTrue(cmdlet["sets"])
        self.assertEqual(len({s["name"].lower() for s in cmdlet["sets"]}), len(cmdlet["sets"]))
        for parameter_set in cmdlet["sets"]:
            self.check_set(set(names), parameter_set)

    def check_parameter(self, cmdlet, parameter):
        keys = [k for k in ["name", "switch", "type", "aliases", "products", "values"]
                if k in parameter]
        self.assertEqual(list(parameter), keys)
        self.assertNotIn(parameter["name"].lower(), {"verbose", "debug", "erroraction",
                                                     "warningaction", "progressaction"})
        self.assertTrue(parameter["type"])
        self.assertEqual(parameter["switch"], parameter["type"] == "SwitchParameter")
        for key in ("aliases", "values"):
            if key in parameter:
                self.assertTrue(parameter[key])
        if "products" in parameter:
            self.check_products(parameter["products"], cmdlet["products"])
            self.assertNotEqual(parameter["products"], cmdlet["products"])

    def check_set(self, names, parameter_set):
        keys = ["name", "parameters", "mandatory"] + (
            ["positional"] if "positional" in parameter_set else [])
        self.assertEqual(list(parameter_set), keys)
        members = parameter_set["parameters"]
        self.assertTrue(set(members) <= names, set(members) - names)
        self.assertEqual(members, sorted(members, key=lambda n: (n.lower(), n)))
        self.assertTrue(set(parameter_set["mandatory"]) <= set(members))
        if "positional" in parameter_set:
            self.assertTrue(parameter_set["positional"])
            for name, position in parameter_set["positional"]:
                self.assertIn(name, members)
                self.assertIsInstance(position, int)

    def test_known_facts(self):
        """A few facts read by hand on the pages, through the whole pipeline."""
        by_name = {c["name"]: c for c in self.data["cmdlets"]}
        self.assertEqual(by_name["Get-CsServerPatchVersion"]["products"], ["sfb2015", "sfb2019"])
        readiness = by_name["Get-CsPoolUpgradeReadinessState"]
        self.assertNotIn("PoolFqdn", [p["name"] for p in readiness["parameters"]])
        install = by_name["Install-CsDatabase"]
        self.assertEqual([s["name"] for s in install["sets"]],
                         ["ByCMS", "ByDatabase", "ByConfigured", "ByLocal"])
        # The syntax of Grant-CsConferencingPolicy names Grant-CsCloudMeetingPolicy: the page's
        # name is taken.
        self.assertIn("Grant-CsConferencingPolicy", by_name)
        self.assertNotIn("Grant-CsCloudMeetingPolicy", by_name)
        # The values Invoke-CsDatabaseFailover's description lists, one per paragraph.
        failover = {p["name"]: p for p in by_name["Invoke-CsDatabaseFailover"]["parameters"]}
        self.assertEqual(failover["NewPrincipal"]["values"], ["Mirror", "Primary"])
        self.assertIn("CentralMgmt", failover["DatabaseType"]["values"])
        self.assertIn("User", failover["DatabaseType"]["values"])


MALFORMED = """---
applicable: Lync Server 2013, Skype for Business Server 2015
Module Name: SkypeForBusiness
online version: https://learn.microsoft.com/powershell/module/skypeforbusiness/test-csbroken
---

# Test-CsBroken

## SYNTAX

```
Test-CsBroken -Name <String> [-Force] {oops}
```
"""

FORMS = """---
applicable: Lync Server 2010, Skype for Business Server 2013, Skype for Business Online
Module Name: SkypeForBusiness
online version: https://learn.microsoft.com/powershell/module/skypeforbusiness/test-csforms
---

# Test-CsForms

## SYNTAX

```
Test-CsForms [-Identity] <XdsIdentity> [[-Target] <Fqdn>] -Mode <ModeType> -Now [-Quiet] [<CommonParameters>]
```

## PARAMETERS

### -Identity

> Applicable: Lync Server 2013

The item.
Valid values are:

Global: the global settings.

Site:<name>, a site's.

```yaml
Type: XdsIdentity
Parameter Sets: (All)
Aliases:
Required: True
Position: 2
```

### -Mode

> Applicable: Lync Server 2013, Skype for Business Online

```yaml
Type: ModeType
Parameter Sets: (All)
Aliases: m
Required: True
Position: Named
Accepted values: Fast, Slow
```

### -Online

> Applicable: Skype for Business Online

```yaml
Type: SwitchParameter
Parameter Sets: (All)
Aliases:
Required: False
Position: Named
```

### -Target

> Applicable: Lync Server 2013

Valid values are:

fe01.contoso.com

Pool.Primary

```yaml
Type: Fqdn
Parameter Sets: (All)
Aliases:
Required: False
Position: 3
```

### -Verbose

```yaml
Type: SwitchParameter
Parameter Sets: (All)
Aliases: vb
Required: False
Position: Named
```
"""


class Pages(unittest.TestCase):
    """(d), (e), and the syntax forms on a hand-made page."""

    def setUp(self):
        self.work = tempfile.mkdtemp(prefix="catalogue-test-")
        self.pages = os.path.join(self.work, "pages")
        os.mkdir(self.pages)

    def tearDown(self):
        shutil.rmtree(self.work)

    def write(self, name, text):
        with open(os.path.join(self.pages, name), "w", encoding="utf-8") as handle:
            handle.write(text)

    def test_malformed_page_exit_2_file_line_message_nothing_written(self):
        self.write("Test-CsBroken.md", MALFORMED)
        output = os.path.join(self.work, "cmdlets.json")
        result = run_generator("--pages", self.pages, "-o", output)
        self.assertEqual(result.returncode, 2)
        page = os.path.join(self.pages, "Test-CsBroken.md")
        self.assertEqual(result.stderr,
                         f"generate-catalogue: {page}:12: error: syntax: found '{{oops}}', "
                         "expected a parameter ('-Name <Type>', '[-Name <Type>]', '[-Switch]', "
                         "'[[-Name] <Type>]') or '[<CommonParameters>]'\n"
                         "generate-catalogue: 1 malformed page(s), nothing written\n")
        self.assertEqual(os.listdir(self.work), ["pages"])

    def test_malformed_page_leaves_an_existing_output_as_it_was(self):
        self.write("Test-CsBroken.md", MALFORMED)
        output = os.path.join(self.work, "cmdlets.json")
        with open(output, "w") as handle:
            handle.write("before\n")
        self.assertEqual(run_generator("--pages", self.pages, "-o", output).returncode, 2)
        with open(output) as handle:
            self.assertEqual(handle.read(), "before\n")
        self.assertEqual(sorted(os.listdir(self.work)), ["cmdlets.json", "pages"])

    def test_syntax_forms_products_and_common_parameters(self):
        self.write("Test-CsForms.md", FORMS)
        result = run_generator("--pages", self.pages, "-q")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stderr, "")
        cmdlet = json.loads(result.stdout)["cmdlets"][0]
        self.assertEqual(cmdlet, {
            "name": "Test-CsForms", "module": "SkypeForBusiness",
            "page": "https://learn.microsoft.com/powershell/module/skypeforbusiness/test-csforms",
            "products": ["lync2013"],
            "parameters": [
                {"name": "Identity", "switch": False, "type": "XdsIdentity"},
                {"name": "Mode", "switch": False, "type": "ModeType", "aliases": ["m"],
                 "values": ["Fast", "Slow"]},
                {"name": "Now", "switch": True, "type": "SwitchParameter"},
                {"name": "Quiet", "switch": True, "type": "SwitchParameter"},
                # A plain list after "Valid values are:" gives values; prose does not
                # (Identity's).
                {"name": "Target", "switch": False, "type": "Fqdn",
                 "values": ["fe01.contoso.com", "Pool.Primary"]}],
            "sets": [{"name": "__AllParameterSets",
                      "parameters": ["Identity", "Mode", "Now", "Quiet", "Target"],
                      "mandatory": ["Identity", "Mode", "Now"],
                      "positional": [["Identity", 2], ["Target", 3]]}]})

    def test_git_dir_gives_the_pages_output_with_the_commit(self):
        if shutil.which("git") is None:
            self.skipTest("no git")
        _, _, fixtures = paths()
        repository = os.path.join(self.work, "repo")
        target = os.path.join(repository, "skype", "skype-ps", "SkypeForBusiness")
        shutil.copytree(os.path.join(fixtures, "pages"), target)
        with open(os.path.join(repository, "README.md"), "w") as handle:
            handle.write("not a page\n")
        environment = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com",
                           GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.com",
                           GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
        for command in (["init", "-q"], ["add", "."], ["commit", "-q", "-m", "pages"]):
            subprocess.run(["git", "-C", repository, *command], check=True, env=environment)
        commit = subprocess.run(["git", "-C", repository, "rev-parse", "HEAD"], check=True,
                                capture_output=True, text=True).stdout.strip()
        from_git = run_generator("--git-dir", os.path.join(repository, ".git"), "-q")
        self.assertEqual(from_git.returncode, 0, from_git.stderr)
        from_pages = run_generator("--pages", target, "--commit", commit, "-q")
        self.assertEqual(from_pages.returncode, 0, from_pages.stderr)
        self.assertEqual(from_git.stdout, from_pages.stdout)
        self.assertEqual(json.loads(from_git.stdout)["source"]["commit"], commit)
        self.assertEqual(len(json.loads(from_git.stdout)["cmdlets"]), 9)
        # --commit names the commit; a short name is recorded as the full hash.
        short = run_generator("--git-dir", os.path.join(repository, ".git"), "--commit",
                              commit[:10], "-q")
        self.assertEqual(short.stdout, from_git.stdout)


def main():
    global SOURCE_DIR
    arguments = sys.argv[1:]
    if "--source-dir" not in arguments:
        print("usage: generator_test.py --source-dir DIR [unittest arguments]", file=sys.stderr)
        return 2
    index = arguments.index("--source-dir")
    SOURCE_DIR = arguments[index + 1]
    del arguments[index:index + 2]
    program = unittest.main(argv=[sys.argv[0], *arguments], exit=False, verbosity=2)
    return 0 if program.result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
