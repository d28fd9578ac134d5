"""Reference side of the metrics benchmark: pandas + scikit-learn on the same CSV.

Reads label, score, group with pandas, computes accuracy, F1, ROC AUC and log loss with sklearn and
per-group selection rate / TPR with a groupby, then prints timings, peak RSS and the values as JSON.

Usage: python3 bench/metrics_reference.py FILE.csv
"""

import json
import resource
import sys
import time

started = time.perf_counter()
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from sklearn.metrics import accuracy_score, f1_score, log_loss, roc_auc_score  # noqa: E402

imported = time.perf_counter()
df = pd.read_csv(sys.argv[1])
read = time.perf_counter()
y = df["label"].to_numpy()
s = df["score"].to_numpy()
pred = (s >= 0.5).astype(int)
result = {
    "accuracy": accuracy_score(y, pred),
    "f1": f1_score(y, pred),
    "roc_auc": roc_auc_score(y, s),
    "log_loss": log_loss(y, s),
}
df["pred"] = pred
by_group = df.groupby("group")
result["selection_rates"] = by_group["pred"].mean().to_dict()
positives = df[df["label"] == 1].groupby("group")["pred"].mean().to_dict()
done = time.perf_counter()
result.update(
    {
        "rows": len(df),
        "importSeconds": imported - started,
        "readSeconds": read - imported,
        "metricsSeconds": done - read,
        "maxRssKb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "cpuSeconds": resource.getrusage(resource.RUSAGE_SELF).ru_utime + resource.getrusage(resource.RUSAGE_SELF).ru_stime,
        "tpr_groups": len(positives),
    }
)
print(json.dumps(result))
