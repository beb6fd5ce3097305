"""The demo's Python training client: plain MLflow code, no credential and no plugin import.

`mlflow-secrets-auth exec -- python3 train.py` runs it with MLFLOW_TRACKING_URI pointing at an ephemeral local proxy
that adds the credential fetched from Vault (demo/run-local.sh does this when a Python mlflow is installed).
Logs one run with a param and a metric, then reads it back. Exits 1 with a one-line reason on failure.
"""
import os
import sys

import mlflow
from mlflow.tracking import MlflowClient

EXPERIMENT = "mlflow-secrets-auth-demo"


def main() -> int:
    mode = os.environ.get("MLFLOW_VAULT_AUTH_MODE", "bearer")
    print(f"    1. Tracking URI (set by exec, the local proxy): {mlflow.get_tracking_uri()}")
    try:
        experiment_id = mlflow.set_experiment(EXPERIMENT).experiment_id
        with mlflow.start_run(tags={"auth_mode": mode}) as run:
            mlflow.log_param("alpha", 0.5)
            mlflow.log_metric("rmse", 0.42)
        print(f"    2. Logged run {run.info.run_id} (param alpha=0.5, metric rmse=0.42)")
        runs = MlflowClient().search_runs([experiment_id], f"tags.auth_mode = '{mode}'")
    except Exception as e:  # noqa: BLE001 - one line for the demo's output, as the Java client prints
        print(f"    ❌ MLflow call failed: {str(e).splitlines()[0] if str(e) else type(e).__name__}", file=sys.stderr)
        return 1
    if not runs:
        print(f"    ❌ no run with auth_mode={mode} on the server", file=sys.stderr)
        return 1
    print(f"    3. Validated: the server holds {len(runs)} run(s) with auth_mode={mode} in '{EXPERIMENT}'")
    return 0


if __name__ == "__main__":
    sys.exit(main())
