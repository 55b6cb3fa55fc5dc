"""Command lines and timeouts of Nightjar's nightly Airflow DAG, without importing Airflow.

The DAG (nightjar_nightly.py) builds its tasks from these functions, and the test suite runs this file to check
that every command line is accepted by the Nightjar CLI:

    python3 jobs/airflow/nightjar_commands.py conf/models 2026-11-24   # prints one JSON list of argv lists
"""
import json
import os
import re
import shlex
import sys
from datetime import timedelta

# `nightly` exits 4 when the train failed or passed nightly.train_deadline and the production version scored the
# date (io.nightjar.cli.ExitCodes.DEGRADED): the DAG marks the task skipped, neither a success nor a retried failure.
DEGRADED_EXIT_CODE = 4

# A nightly task's execution_timeout: the spec's nightly.train_deadline plus this much for loading, the gate,
# scoring, evaluating and the wait for a stopped train; specs without a deadline get NIGHTLY_TIMEOUT.
AFTER_TRAIN_DEADLINE = timedelta(hours=1)
NIGHTLY_TIMEOUT = timedelta(hours=4)

_DURATION = re.compile(r"^(\d+[smhd])+$")
_PART = re.compile(r"(\d+)([smhd])")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}
_DEADLINE = re.compile(r"^\s*(?:nightly:\s*\{\s*)?train_deadline:\s*([0-9smhd]+)", re.MULTILINE)


def model_specs(models_dir):
    """Every model spec in the models directory, as (model name, spec path), sorted by name."""
    specs = []
    for entry in sorted(os.listdir(models_dir)):
        if entry.endswith(".yaml") and not entry.startswith("."):
            specs.append((entry[: -len(".yaml")], os.path.join(models_dir, entry)))
    return specs


def duration(text):
    """A duration as the specs write it (45s, 30m, 12h, 7d, 1h30m), as a timedelta."""
    if not _DURATION.match(text):
        raise ValueError("not a duration: %r (use e.g. 90m or 1h30m)" % text)
    total = timedelta()
    for amount, unit in _PART.findall(text):
        total += timedelta(**{_UNITS[unit]: int(amount)})
    return total


def train_deadline(spec_path):
    """The spec's nightly.train_deadline as a timedelta, or None. Reads the file as text: no YAML library needed."""
    with open(spec_path, encoding="utf-8") as spec:
        found = _DEADLINE.search(spec.read())
    return duration(found.group(1)) if found else None


def nightly_timeout(spec_path):
    """execution_timeout of the model's nightly task: it follows the spec's train deadline."""
    deadline = train_deadline(spec_path)
    return NIGHTLY_TIMEOUT if deadline is None else deadline + AFTER_TRAIN_DEADLINE


def nightly_args(spec_path, ds):
    """Nightjar's arguments for one model's nightly run for the logical date ds (Airflow's {{ ds }})."""
    return ["nightly", "--model", spec_path, "--date", ds]


def status_args(model):
    """Nightjar's arguments for the check after the nightly run: exit 1 when a person is needed."""
    return ["status", "--model", model]


def bash_command(submit, args):
    """One shell command line: the submit wrapper followed by Nightjar's arguments, each quoted.

    A Jinja template ({{ ... }}) is left as it is: Airflow renders it when the task runs.
    """
    return " ".join(a if "{{" in a else shlex.quote(a) for a in [submit] + list(args))


if __name__ == "__main__":
    models_dir, ds = sys.argv[1], sys.argv[2]
    commands = []
    for model, spec in model_specs(models_dir):
        commands.append(nightly_args(spec, ds))
        commands.append(status_args(model))
    print(json.dumps(commands))
