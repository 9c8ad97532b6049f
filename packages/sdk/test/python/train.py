"""A training script as a team would write it, using the one-file client; prints ids as JSON."""
import json
import pathlib
import sys

sys.path.insert(0, sys.argv[1])
from pedigree_client import Pedigree, PedigreeError  # noqa: E402

project, data_version_id, workdir = sys.argv[2], sys.argv[3], pathlib.Path(sys.argv[4])
pedigree = Pedigree()

with pedigree.start_run(project=project, experiment="python", name="train-py", params={"lr": 0.01, "epochs": 3},
                        tags={"team": "ml"}, inputs=[(data_version_id, "TRAIN")], cwd=str(workdir)) as run:
    run.batch_size = 2
    for step in range(5):
        run.log_metric("val_loss", 1.0 / (step + 1), step=step)
    run.log_metrics({"val_auc": 0.93}, step=4)
    model = workdir / "model.pkl"
    model.write_bytes(b"weights")

version = pedigree.register_model_version(project=project, model="py-model", run_id=run.id, artifact_path=str(model), idempotency_key="py-model-1")
again = pedigree.register_model_version(project=project, model="py-model", run_id=run.id, artifact_path=str(model), idempotency_key="py-model-1")

try:
    with pedigree.start_run(project=project, experiment="python", name="crash", capture=False) as failing:
        raise RuntimeError("out of memory")
except RuntimeError:
    pass

try:
    Pedigree(token="pdg_not-a-token").start_run(project=project, experiment="python", capture=False)
    refused = None
except PedigreeError as error:
    refused = error.code

print(json.dumps({"runId": run.id, "status": run.status, "version": version, "again": again, "failedRunId": failing.id, "refused": refused}))
