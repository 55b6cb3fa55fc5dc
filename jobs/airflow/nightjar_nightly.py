"""Nightjar's nightly pipeline as an Airflow DAG: one pair of tasks per model spec in the models directory.

Per model:
  nightly_<model>  `nightly` (train -> promotion gate -> score -> evaluate, idempotent per model and date). Exit 4
                   (the train failed or passed nightly.train_deadline; the production version scored the date) marks
                   the task skipped: not a success, and not retried. Its execution_timeout is the spec's train
                   deadline plus an hour (4 hours without a deadline).
  status_<model>   `status`, whatever nightly did (trigger_rule all_done): fails the task, and so the DAG run, when
                   anything needs a person (stale predictions, a failed, timed-out or degraded run, ...).

Loads on Airflow 3 (BashOperator from the standard provider) and Airflow 2.6+. Nothing is looked up in the
metadata database at parse time: the Variables are Jinja templates that Airflow renders when a task runs.

Settings:
  NIGHTJAR_HOME, NIGHTJAR_MODELS_DIR  environment of the DAG processor: where the specs are listed at parse time
                       (defaults /opt/nightjar and $NIGHTJAR_HOME/conf/models); the same paths must hold the specs on
                       the workers
  nightjar_submit      Airflow Variable: the command that runs Nightjar (default $NIGHTJAR_HOME/jobs/submit.sh); its
                       spark-submit options come from the environment (SPARK_MASTER, SPARK_SUBMIT, NIGHTJAR_CONF, ...),
                       see docs/operations.md
"""
import os
import sys
from datetime import datetime, timedelta

try:  # Airflow 3
    from airflow.sdk import DAG
except ImportError:  # Airflow 2.x
    from airflow import DAG
try:  # Airflow 3: the standard provider
    from airflow.providers.standard.operators.bash import BashOperator
except ImportError:  # Airflow 2.x
    from airflow.operators.bash import BashOperator

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nightjar_commands import (  # noqa: E402
    DEGRADED_EXIT_CODE,
    bash_command,
    model_specs,
    nightly_args,
    nightly_timeout,
    status_args,
)

NIGHTJAR_HOME = os.environ.get("NIGHTJAR_HOME", "/opt/nightjar")
MODELS_DIR = os.environ.get("NIGHTJAR_MODELS_DIR", os.path.join(NIGHTJAR_HOME, "conf", "models"))
SUBMIT = "{{ var.value.get('nightjar_submit', '%s') }}" % os.path.join(NIGHTJAR_HOME, "jobs", "submit.sh")

default_args = {
    "owner": "nightjar",
    # A retry is safe: nightly is idempotent per model and date, resumes the finished tuning trials of a killed
    # train, and does not train again for a date whose scores a degraded run already wrote.
    "retries": 2,
    "retry_delay": timedelta(minutes=10),
    "retry_exponential_backoff": True,
}

with DAG(
    dag_id="nightjar_nightly",
    description="Train, gate, score and evaluate every Nightjar model for the logical date",
    schedule="0 2 * * *",
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    default_args=default_args,
    tags=["nightjar", "ml"],
) as dag:
    for model, spec in model_specs(MODELS_DIR):
        nightly = BashOperator(
            task_id=f"nightly_{model}",
            bash_command=bash_command(SUBMIT, nightly_args(spec, "{{ ds }}")),
            env={"NIGHTJAR_ACTOR": "airflow:{{ dag.dag_id }}"},
            append_env=True,
            execution_timeout=nightly_timeout(spec),
            skip_on_exit_code=DEGRADED_EXIT_CODE,
        )
        status = BashOperator(
            task_id=f"status_{model}",
            bash_command=bash_command(SUBMIT, status_args(model)),
            trigger_rule="all_done",
            retries=0,
            execution_timeout=timedelta(minutes=30),
        )
        nightly >> status
