"""Nightjar's nightly pipeline as an Airflow DAG: one task group per model spec in the models directory.

Per model: `nightly` (train -> promotion gate -> score -> evaluate, idempotent per model and date, so Airflow may
retry it) and then `status`, which fails the task when predictions are stale, a run failed, or an alert is open.

Settings (Airflow Variables, with defaults):
  nightjar_home        the Nightjar checkout or install on the workers (default /opt/nightjar)
  nightjar_models_dir  where the model specs are (default {nightjar_home}/conf/models)
  nightjar_submit      the command that runs Nightjar (default {nightjar_home}/jobs/submit.sh); its spark-submit
                       options come from the environment (SPARK_MASTER, SPARK_SUBMIT, NIGHTJAR_CONF, ...), see
                       docs/operations.md; it also gives the driver and the executors one native BLAS thread
                       (OPENBLAS_NUM_THREADS, MKL_NUM_THREADS: a value in the task's environment is kept)
"""
import os
import sys
from datetime import datetime, timedelta

from airflow import DAG
from airflow.models import Variable
from airflow.operators.bash import BashOperator

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nightjar_commands import bash_command, model_specs, nightly_args, status_args  # noqa: E402

NIGHTJAR_HOME = Variable.get("nightjar_home", default_var="/opt/nightjar")
MODELS_DIR = Variable.get("nightjar_models_dir", default_var=os.path.join(NIGHTJAR_HOME, "conf", "models"))
SUBMIT = Variable.get("nightjar_submit", default_var=os.path.join(NIGHTJAR_HOME, "jobs", "submit.sh"))

default_args = {
    "owner": "nightjar",
    "retries": 2,
    "retry_delay": timedelta(minutes=10),
    "retry_exponential_backoff": True,
    "execution_timeout": timedelta(hours=4),
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
        )
        status = BashOperator(
            task_id=f"status_{model}",
            bash_command=bash_command(SUBMIT, status_args(model)),
            retries=0,
        )
        nightly >> status
