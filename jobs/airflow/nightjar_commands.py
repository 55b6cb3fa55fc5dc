"""Command lines of Nightjar's nightly Airflow DAG, without importing Airflow.

The DAG (nightjar_nightly.py) builds its tasks from these functions, and the test suite runs this file to check
that every command line is accepted by the Nightjar CLI:

    python3 jobs/airflow/nightjar_commands.py conf/models 2026-11-24   # prints one JSON list of argv lists
"""
import json
import os
import shlex
import sys


def model_specs(models_dir):
    """Every model spec in the models directory, as (model name, spec path), sorted by name."""
    specs = []
    for entry in sorted(os.listdir(models_dir)):
        if entry.endswith(".yaml") and not entry.startswith("."):
            specs.append((entry[: -len(".yaml")], os.path.join(models_dir, entry)))
    return specs


def nightly_args(spec_path, ds):
    """Nightjar's arguments for one model's nightly run for the logical date ds (Airflow's {{ ds }})."""
    return ["nightly", "--model", spec_path, "--date", ds]


def status_args(model):
    """Nightjar's arguments for the freshness check after the nightly run: exit 1 when a person is needed."""
    return ["status", "--model", model]


def bash_command(submit, args):
    """One shell command line: the submit wrapper followed by Nightjar's arguments, each quoted."""
    return " ".join([shlex.quote(submit)] + [shlex.quote(a) if "{{" not in a else a for a in args])


if __name__ == "__main__":
    models_dir, ds = sys.argv[1], sys.argv[2]
    commands = []
    for model, spec in model_specs(models_dir):
        commands.append(nightly_args(spec, ds))
        commands.append(status_args(model))
    print(json.dumps(commands))
