"""Pedigree client for training scripts: Python standard library only, one file to copy.

    from pedigree_client import Pedigree

    pedigree = Pedigree()  # PEDIGREE_URL (API base, default http://localhost:4000) and PEDIGREE_TOKEN
    with pedigree.start_run(project="fraud", experiment="baseline", params={"lr": 0.01},
                            inputs=[(data_version_id, "TRAIN")]) as run:
        for step in range(10):
            run.log_metric("val_loss", 0.5 / (step + 1), step=step)
    # leaving the block finishes the run: FINISHED, or FAILED with the exception
    pedigree.register_model_version(project="fraud", model="fraud-model", run_id=run.id,
                                    artifact_path="model.pkl")

Network errors are retried with exponential backoff; API errors never are. start_run and
register_model_version send an idempotency key, the same across the retries of one call, so a
retry after a lost answer returns the first result instead of a duplicate.
"""

import hashlib
import json
import os
import pathlib
import platform
import random
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from datetime import datetime, timezone

__all__ = ["Pedigree", "PedigreeError", "Run", "git_state", "environment"]

METRICS_PER_CALL = 1000
LOCK_FILES = ["requirements.txt", "poetry.lock", "Pipfile.lock", "uv.lock", "environment.yml",
              "conda-lock.yml", "package-lock.json", "yarn.lock", "pnpm-lock.yaml", "Dockerfile"]


class PedigreeError(Exception):
    """What the API said went wrong (code = extensions.code), or NETWORK_ERROR."""

    def __init__(self, code, message, details=None):
        super().__init__(message)
        self.code = code
        self.details = details or {}


def _git(cwd, *args):
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def git_state(cwd="."):
    """The commit checked out in cwd (sha, branch, author, message, dirty), or None outside git."""
    sha = _git(cwd, "rev-parse", "HEAD")
    if not sha:
        return None
    toplevel = _git(cwd, "rev-parse", "--show-toplevel") or os.path.abspath(cwd)
    branch = _git(cwd, "rev-parse", "--abbrev-ref", "HEAD")
    log = (_git(cwd, "log", "-1", "--format=%an <%ae>%n%cI%n%B") or "").split("\n")
    return {
        "repository": _git(cwd, "config", "--get", "remote.origin.url") or "file://" + toplevel,
        "sha": sha,
        "branch": branch if branch and branch != "HEAD" else None,
        "author": log[0] or None,
        "committedAt": log[1] if len(log) > 1 and log[1] else None,
        "message": "\n".join(log[2:]).strip() or None,
        "dirty": bool(_git(cwd, "status", "--porcelain")),
    }


def environment(cwd="."):
    """OS, Python and packages, and sha256 of the lock files in cwd: what a run records."""
    lock_files = {}
    for name in LOCK_FILES:
        path = pathlib.Path(cwd) / name
        if path.is_file():
            lock_files[name] = "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()
    return {
        "os": {"platform": sys.platform, "release": platform.release(), "arch": platform.machine(), "cpus": os.cpu_count()},
        "hostname": socket.gethostname(),
        "runtimes": {"python": platform.python_version(), "implementation": platform.python_implementation()},
        "executable": sys.executable,
        "lockFiles": lock_files,
    }


def sha256_digest(path):
    """sha256:<hex> of a file's bytes, as artifact digests are written."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return "sha256:" + digest.hexdigest()


def _now():
    return datetime.now(timezone.utc).isoformat().replace("+00:00", "Z")


class Pedigree:
    """A client of one Pedigree API, authenticated with an API token."""

    def __init__(self, url=None, token=None, retries=4, retry_delay=0.25, timeout=30):
        self.url = (url or os.environ.get("PEDIGREE_URL") or "http://localhost:4000").rstrip("/")
        if self.url.endswith("/graphql"):
            self.url = self.url[: -len("/graphql")]
        self.token = token if token is not None else os.environ.get("PEDIGREE_TOKEN")
        self.retries = retries
        self.retry_delay = retry_delay
        self.timeout = timeout

    def graphql(self, query, variables=None):
        """Sends one operation; returns its data or raises PedigreeError with the first error."""
        body = json.dumps({"query": query, "variables": variables or {}}).encode("utf-8")
        headers = {"content-type": "application/json", "user-agent": "pedigree-python/0.1"}
        if self.token:
            headers["authorization"] = "Bearer " + self.token
        for attempt in range(self.retries + 1):
            request = urllib.request.Request(self.url + "/graphql", data=body, headers=headers, method="POST")
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    answer = json.loads(response.read().decode("utf-8"))
                break
            except urllib.error.HTTPError as error:
                # An HTTP error status is an answer (GraphQL errors come with 200 or 4xx), never retried.
                try:
                    answer = json.loads(error.read().decode("utf-8"))
                except ValueError:
                    raise PedigreeError("HTTP_%d" % error.code, "The API answered HTTP %d" % error.code) from None
                break
            except (urllib.error.URLError, ConnectionError, socket.timeout) as error:
                if attempt >= self.retries:
                    raise PedigreeError("NETWORK_ERROR", "Cannot reach the Pedigree API at %s (%s). Check PEDIGREE_URL." % (self.url, error)) from None
                time.sleep(random.uniform(0, self.retry_delay * 2 ** attempt))
        errors = answer.get("errors") or []
        if errors:
            extensions = dict(errors[0].get("extensions") or {})
            raise PedigreeError(extensions.pop("code", "INTERNAL_SERVER_ERROR"), errors[0].get("message", ""), extensions)
        return answer["data"]

    def record_commit(self, project, cwd="."):
        """Records the commit of cwd's git work tree; None outside git."""
        state = git_state(cwd)
        if not state:
            return None
        data = self.graphql("mutation($input: RecordCommitInput!) { recordCommit(input: $input) { id sha dirty } }",
                            {"input": dict(state, project=project)})
        return data["recordCommit"]

    def start_run(self, project, experiment, name=None, params=None, tags=None, inputs=None,
                  entrypoint=None, capture=True, cwd=".", idempotency_key=None):
        """Starts a run and returns it; with capture, the git commit and environment are recorded too.

        params and tags are dicts; inputs are (data_version_id, role) pairs, role TRAIN, VALIDATION, TEST or OTHER.
        """
        commit = self.record_commit(project, cwd) if capture else None
        run_input = {
            "project": project,
            "experiment": experiment,
            "name": name,
            "commitId": commit["id"] if commit else None,
            "entrypoint": entrypoint or " ".join([os.path.basename(sys.executable)] + sys.argv),
            "environment": environment(cwd) if capture else None,
            "params": [{"key": str(key), "value": str(value)} for key, value in (params or {}).items()],
            "tags": [{"key": str(key), "value": str(value)} for key, value in (tags or {}).items()],
            "inputs": [{"dataVersionId": data_id, "role": role} for data_id, role in (inputs or [])],
            "idempotencyKey": idempotency_key or str(uuid.uuid4()),
        }
        data = self.graphql("mutation($input: StartRunInput!) { startRun(input: $input) { id name status } }", {"input": run_input})
        return Run(self, data["startRun"]["id"], data["startRun"]["name"])

    def register_model_version(self, project, model, run_id, artifact_path=None, artifact_uri=None,
                               artifact_digest=None, description=None, idempotency_key=None):
        """Registers a FINISHED run's model; a local artifact_path is hashed (sha256) and referenced by file URI."""
        if artifact_path:
            artifact_digest = artifact_digest or sha256_digest(artifact_path)
            artifact_uri = artifact_uri or pathlib.Path(artifact_path).resolve().as_uri()
        if not artifact_uri or not artifact_digest:
            raise ValueError("give artifact_path, or artifact_uri with artifact_digest (sha256:<hex>)")
        data = self.graphql(
            "mutation($input: RegisterModelVersionInput!) { registerModelVersion(input: $input) { id version stage artifactDigest } }",
            {"input": {"project": project, "model": model, "runId": run_id, "artifactUri": artifact_uri,
                       "artifactDigest": artifact_digest, "description": description,
                       "idempotencyKey": idempotency_key or str(uuid.uuid4())}})
        return data["registerModelVersion"]


class Run:
    """A RUNNING run: log metrics (sent in batches), then finish it, or use it as a context manager."""

    def __init__(self, client, run_id, name, batch_size=METRICS_PER_CALL):
        self.client = client
        self.id = run_id
        self.name = name
        self.batch_size = min(batch_size, METRICS_PER_CALL)
        self._pending = []
        self.status = "RUNNING"

    def log_metric(self, key, value, step=0):
        """Queues one point; a full batch is sent at once, the rest at flush or finish."""
        self._pending.append({"key": key, "value": float(value), "step": int(step), "timestamp": _now()})
        if len(self._pending) >= self.batch_size:
            self.flush()

    def log_metrics(self, metrics, step=0):
        """Queues several points of one step, given as a dict of key to value."""
        for key, value in metrics.items():
            self.log_metric(key, value, step)

    def flush(self):
        """Sends the queued points in batches of at most 1000; returns how many the API stored."""
        accepted = 0
        while self._pending:
            batch, self._pending = self._pending[: self.batch_size], self._pending[self.batch_size:]
            data = self.client.graphql("mutation($input: LogMetricsInput!) { logMetrics(input: $input) { accepted } }",
                                       {"input": {"runId": self.id, "metrics": batch}})
            accepted += data["logMetrics"]["accepted"]
        return accepted

    def finish(self, status="FINISHED", error_message=None, outputs=None):
        """Flushes the metrics and ends the run: FINISHED, FAILED or KILLED, with output data version ids."""
        self.flush()
        data = self.client.graphql("mutation($input: FinishRunInput!) { finishRun(input: $input) { id status } }",
                                   {"input": {"runId": self.id, "status": status, "errorMessage": error_message, "outputs": outputs or []}})
        self.status = data["finishRun"]["status"]
        return data["finishRun"]

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, _traceback):
        if self.status != "RUNNING":
            return False
        if exc_type is None:
            self.finish("FINISHED")
        else:
            self.finish("KILLED" if issubclass(exc_type, KeyboardInterrupt) else "FAILED", "%s: %s" % (exc_type.__name__, exc))
        return False
