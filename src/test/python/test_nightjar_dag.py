"""Checks the settings of the nightly Airflow DAG by reading its source with `ast`: no Airflow needed.

    python3 src/test/python/test_nightjar_dag.py     # from the repository root; run by DeploymentScriptsTest
"""
import ast
import os
import re
import sys
import tempfile
import unittest
from datetime import timedelta

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
AIRFLOW_DIR = os.path.join(ROOT, "jobs", "airflow")
DAG_FILE = os.path.join(AIRFLOW_DIR, "nightjar_nightly.py")
EXIT_CODES = os.path.join(ROOT, "src", "main", "java", "io", "nightjar", "cli", "ExitCodes.java")

sys.path.insert(0, AIRFLOW_DIR)
import nightjar_commands  # noqa: E402


def operator_calls(tree):
    """The BashOperator(...) calls of the DAG file, by the literal prefix of their task_id."""
    calls = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "BashOperator":
            keywords = {k.arg: k.value for k in node.keywords}
            task_id = keywords["task_id"]
            prefix = task_id.values[0].value if isinstance(task_id, ast.JoinedStr) else task_id.value
            calls[prefix] = keywords
    return calls


class NightlyDagTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        with open(DAG_FILE, encoding="utf-8") as source:
            cls.source = source.read()
        cls.tree = ast.parse(cls.source)
        cls.calls = operator_calls(cls.tree)

    def test_status_runs_whatever_nightly_did(self):
        status = self.calls["status_"]
        self.assertEqual(ast.literal_eval(status["trigger_rule"]), "all_done")
        self.assertEqual(ast.literal_eval(status["retries"]), 0)
        self.assertIn("execution_timeout", status)

    def test_a_degraded_night_is_skipped_not_retried_and_its_code_is_the_clis(self):
        nightly = self.calls["nightly_"]
        self.assertEqual(nightly["skip_on_exit_code"].id, "DEGRADED_EXIT_CODE")
        with open(EXIT_CODES, encoding="utf-8") as java:
            declared = re.search(r"int DEGRADED = (\d+);", java.read())
        self.assertIsNotNone(declared, "ExitCodes.DEGRADED")
        self.assertEqual(int(declared.group(1)), nightjar_commands.DEGRADED_EXIT_CODE)

    def test_the_nightly_timeout_follows_the_specs_train_deadline(self):
        nightly = self.calls["nightly_"]
        self.assertEqual(nightly["execution_timeout"].func.id, "nightly_timeout")
        with tempfile.TemporaryDirectory() as models:
            flow = os.path.join(models, "a.yaml")
            block = os.path.join(models, "b.yaml")
            bare = os.path.join(models, "c.yaml")
            with open(flow, "w") as f:
                f.write("name: a\nnightly: {train_deadline: 90m}\n")
            with open(block, "w") as f:
                f.write("name: b\nnightly:\n  train_deadline: 1h30m   # stop and score with production\n")
            with open(bare, "w") as f:
                f.write("name: c\n")
            for spec in (flow, block):
                self.assertEqual(nightjar_commands.train_deadline(spec), timedelta(minutes=90))
                self.assertGreater(nightjar_commands.nightly_timeout(spec), timedelta(minutes=90))
            self.assertIsNone(nightjar_commands.train_deadline(bare))
            self.assertEqual(nightjar_commands.nightly_timeout(bare), nightjar_commands.NIGHTLY_TIMEOUT)
        for _, spec in nightjar_commands.model_specs(os.path.join(ROOT, "conf", "models")):
            deadline = nightjar_commands.train_deadline(spec)
            if deadline is not None:
                self.assertGreater(nightjar_commands.nightly_timeout(spec), deadline, spec)

    def test_retries_are_set_for_nightly(self):
        default_args = next(
            node.value
            for node in self.tree.body
            if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == "default_args"
        )
        retries = dict(zip([ast.literal_eval(k) for k in default_args.keys], default_args.values))["retries"]
        self.assertGreater(ast.literal_eval(retries), 0)

    def test_loads_on_airflow_3_and_2_without_parse_time_lookups(self):
        imports = []
        for node in self.tree.body:
            if isinstance(node, ast.Try):
                self.assertEqual([h.type.id for h in node.handlers], ["ImportError"])
                imports.append((node.body[0].module, node.handlers[0].body[0].module))
        self.assertIn(("airflow.providers.standard.operators.bash", "airflow.operators.bash"), imports)
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Attribute) and node.attr == "get":
                self.assertNotEqual(getattr(node.value, "id", None), "Variable", "Variable.get at parse time")
            if isinstance(node, ast.ImportFrom):
                self.assertNotIn("Variable", [a.name for a in node.names])
        self.assertIn("{{ var.value.get('nightjar_submit'", self.source)

    def test_templates_are_not_quoted_away(self):
        line = nightjar_commands.bash_command("{{ var.value.get('x', '/a b') }}", ["status", "--model", "m n"])
        self.assertEqual(line, "{{ var.value.get('x', '/a b') }} status --model 'm n'")


if __name__ == "__main__":
    unittest.main()
