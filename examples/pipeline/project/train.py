#!/usr/bin/env python3
"""Trains the churn model of the example pipeline with scikit-learn.

Reads the train and test splits (CSV), fits the model named in the parameters, and writes to the
output folder:

- predictions.csv  one row per test customer: customer_id, label, score (P(churn)), region
- metrics.json     accuracy, roc_auc, f1, precision, recall, log_loss on the test split, row counts
- model/           the fitted pipeline in MLflow's sklearn model layout (MLmodel + model.pkl)

Usage: train.py --train data/train --test data/test --out outputs --params '{"model": ...}'
"""
import argparse
import csv
import glob
import json
import os
import pickle
import platform
import sys
import time
import uuid
from datetime import datetime, timezone

import numpy as np
import sklearn
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score, log_loss, precision_score, recall_score, roc_auc_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

NUMERIC = ["tenure_months", "monthly_charges", "support_calls"]
CATEGORICAL = ["contract", "payment_method", "region"]
LABEL = "churned"
ID = "customer_id"
GROUP = "region"


def read_split(folder):
    """Every *.csv file of a split folder, in name order, as a list of row dicts."""
    files = sorted(glob.glob(os.path.join(folder, "*.csv")))
    if not files:
        sys.exit(f"train.py: no CSV files in {folder}")
    rows = []
    for name in files:
        with open(name, newline="", encoding="utf-8") as handle:
            rows.extend(csv.DictReader(handle))
    return rows


def features(rows):
    """The feature matrix as a numpy object array, columns NUMERIC then CATEGORICAL."""
    return np.array(
        [[float(r[c]) for c in NUMERIC] + [r[c] for c in CATEGORICAL] for r in rows],
        dtype=object,
    )


def build_model(params):
    kind = params.get("model", "logistic-regression")
    seed = int(params.get("seed", 0))
    if kind == "logistic-regression":
        estimator = LogisticRegression(C=float(params.get("C", 1.0)), max_iter=int(params.get("max_iter", 500)))
    elif kind == "gradient-boosting":
        estimator = GradientBoostingClassifier(
            n_estimators=int(params.get("n_estimators", 100)),
            learning_rate=float(params.get("learning_rate", 0.1)),
            max_depth=int(params.get("max_depth", 3)),
            random_state=seed,
        )
    else:
        sys.exit(f"train.py: unknown model '{kind}' in params.yaml (use logistic-regression or gradient-boosting)")
    numeric = list(range(len(NUMERIC)))
    categorical = list(range(len(NUMERIC), len(NUMERIC) + len(CATEGORICAL)))
    preprocess = ColumnTransformer(
        [
            ("numeric", StandardScaler(), numeric),
            ("categorical", OneHotEncoder(handle_unknown="ignore"), categorical),
        ]
    )
    return Pipeline([("preprocess", preprocess), ("classifier", estimator)])


def write_mlmodel(folder, run_id):
    """MLflow's MLmodel file for a pickled scikit-learn model (flavors sklearn and python_function)."""
    python = platform.python_version()
    created = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")
    text = f"""artifact_path: model
flavors:
  python_function:
    loader_module: mlflow.sklearn
    model_path: model.pkl
    predict_fn: predict
    python_version: {python}
  sklearn:
    code: null
    pickled_model: model.pkl
    serialization_format: pickle
    sklearn_version: {sklearn.__version__}
model_uuid: {uuid.uuid4().hex}
{f"run_id: {run_id}" if run_id else ""}
utc_time_created: '{created}'
"""
    with open(os.path.join(folder, "MLmodel"), "w", encoding="utf-8") as handle:
        handle.write("\n".join(line for line in text.splitlines() if line) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", required=True)
    parser.add_argument("--test", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--params", default="{}", help="training parameters as a JSON object")
    parser.add_argument("--run-id", default="", help="MLflow run id, recorded in the MLmodel file")
    args = parser.parse_args()
    params = json.loads(args.params)

    train, test = read_split(args.train), read_split(args.test)
    y_train = np.array([int(r[LABEL]) for r in train])
    y_test = np.array([int(r[LABEL]) for r in test])

    started = time.perf_counter()
    model = build_model(params)
    model.fit(features(train), y_train)
    fit_seconds = time.perf_counter() - started

    threshold = float(params.get("threshold", 0.5))
    score = model.predict_proba(features(test))[:, 1]
    predicted = (score >= threshold).astype(int)
    metrics = {
        "accuracy": accuracy_score(y_test, predicted),
        "roc_auc": roc_auc_score(y_test, score),
        "f1": f1_score(y_test, predicted, zero_division=0),
        "precision": precision_score(y_test, predicted, zero_division=0),
        "recall": recall_score(y_test, predicted, zero_division=0),
        "log_loss": log_loss(y_test, score),
        "train_rows": len(train),
        "test_rows": len(test),
        "fit_seconds": fit_seconds,
    }

    os.makedirs(os.path.join(args.out, "model"), exist_ok=True)
    with open(os.path.join(args.out, "predictions.csv"), "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow([ID, "label", "score", GROUP])
        for row, label, value in zip(test, y_test, score):
            writer.writerow([row[ID], int(label), repr(float(value)), row[GROUP]])
    with open(os.path.join(args.out, "metrics.json"), "w", encoding="utf-8") as handle:
        json.dump({key: float(value) for key, value in metrics.items()}, handle, indent=2)
        handle.write("\n")
    with open(os.path.join(args.out, "model", "model.pkl"), "wb") as handle:
        pickle.dump(model, handle)
    write_mlmodel(os.path.join(args.out, "model"), args.run_id)

    print(
        f"trained {params.get('model', 'logistic-regression')} on {len(train)} rows in {fit_seconds:.2f} s: "
        + ", ".join(f"{k} {metrics[k]:.4f}" for k in ("accuracy", "roc_auc", "f1"))
    )


if __name__ == "__main__":
    main()
