"""Oracle for the @modelops/metrics tests: computes every metric with scikit-learn, scipy and numpy.

Usage: python3 sklearn_oracle.py MANIFEST.json OUTPUT.json

Reads all cases of one test suite from the manifest and writes one JSON result per case, so the
suite starts one Python process in total. Values that are undefined under the package's documented
rules are written as null; NaN and infinities never reach the JSON.
"""

import json
import math
import sys
import warnings

import numpy as np
import pandas as pd
from scipy import stats
from scipy.spatial.distance import jensenshannon
from scipy.special import kolmogorov
from sklearn import metrics as M
from sklearn.calibration import calibration_curve

warnings.simplefilter("ignore")
EPS = np.finfo(np.float64).eps


def clean(value):
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return [clean(v) for v in value]
    value = float(value)
    return value if math.isfinite(value) else None


def attempt(fn):
    try:
        return clean(fn())
    except (ValueError, ZeroDivisionError):
        return None


def read(case):
    dtype = {case["columns"]["label"]: str} if case["labelType"] == "str" else {}
    if "predicted" in case["columns"]:
        dtype[case["columns"]["predicted"]] = str if case["labelType"] == "str" else None
        if dtype[case["columns"]["predicted"]] is None:
            del dtype[case["columns"]["predicted"]]
    return pd.read_csv(case["file"], dtype=dtype, float_precision="round_trip", keep_default_na=False)


def ece(y, p, w, bins):
    edges = np.linspace(0.0, 1.0, bins + 1)
    ids = np.searchsorted(edges[1:-1], p)
    ww = np.ones_like(p) if w is None else w
    total = np.bincount(ids, weights=ww, minlength=bins)
    rows = np.bincount(ids, minlength=bins)
    if total.sum() == 0:
        return None
    if w is None:
        prob_true, prob_pred = calibration_curve(y, p, n_bins=bins)
        nonzero = rows != 0
        return float(np.sum(rows[nonzero] / rows.sum() * np.abs(prob_true - prob_pred)))
    sums = np.bincount(ids, weights=ww * p, minlength=bins)
    trues = np.bincount(ids, weights=ww * y, minlength=bins)
    out = 0.0
    for b in range(bins):
        if rows[b] and total[b] > 0:
            out += total[b] / total.sum() * abs(trues[b] / total[b] - sums[b] / total[b])
    return out


def prf_all(y, yp, w, zd, out, binary):
    for avg in ["macro", "micro", "weighted"]:
        p, r, f, _ = M.precision_recall_fscore_support(y, yp, average=avg, sample_weight=w, zero_division=zd)
        out[f"precision_{avg}"] = clean(p)
        out[f"recall_{avg}"] = clean(r)
        out[f"f1_{avg}"] = clean(f)
    if binary:
        out["precision"] = clean(M.precision_score(y, yp, pos_label=1, sample_weight=w, zero_division=zd))
        out["recall"] = clean(M.recall_score(y, yp, pos_label=1, sample_weight=w, zero_division=zd))
        out["f1"] = clean(M.f1_score(y, yp, pos_label=1, sample_weight=w, zero_division=zd))


def binary_case(case):
    df = read(case)
    cols = case["columns"]
    y = (df[cols["label"]].astype(str) == case["positive"]).astype(int).to_numpy()
    s = df[cols["score"]].to_numpy(dtype=float)
    w = df[cols["weight"]].to_numpy(dtype=float) if "weight" in cols else None
    if "predicted" in cols:
        yp = (df[cols["predicted"]].astype(str) == case["positive"]).astype(int).to_numpy()
    else:
        yp = (s >= case["threshold"]).astype(int)
    zd = case["zeroDivision"]
    out = {}
    if w is not None and w.sum() == 0:
        return {"accuracy": None}
    out["accuracy"] = clean(M.accuracy_score(y, yp, sample_weight=w))
    prf_all(y, yp, w, zd, out, True)
    labels = sorted(set(y.tolist()) | set(yp.tolist()))
    out["confusion"] = M.confusion_matrix(y, yp, labels=labels, sample_weight=w).tolist()
    wp = w[y == 1].sum() if w is not None else (y == 1).sum()
    wn = w[y == 0].sum() if w is not None else (y == 0).sum()
    out["roc_auc"] = attempt(lambda: M.roc_auc_score(y, s, sample_weight=w)) if wp > 0 and wn > 0 else None
    out["average_precision"] = attempt(lambda: M.average_precision_score(y, s, sample_weight=w)) if wp > 0 else None
    if (y == 1).sum() > 0 and (y == 0).sum() == 0:
        out["average_precision"] = attempt(lambda: M.average_precision_score(y, s, sample_weight=w))
    out["log_loss"] = attempt(lambda: M.log_loss(y, s, labels=[0, 1], sample_weight=w))
    if s.min() >= 0 and s.max() <= 1:
        out["brier"] = attempt(lambda: M.brier_score_loss(y, s, sample_weight=w, pos_label=1))
        out["ece"] = clean(ece(y, s, w, case["calibrationBins"]))
    else:
        out["brier"] = None
        out["ece"] = None
    return out


def multiclass_case(case):
    df = read(case)
    cols = case["columns"]
    classes = case["classes"]
    y = df[cols["label"]].astype(str).to_numpy()
    P = np.column_stack([df[cols["probabilities"][c]].to_numpy(dtype=float) for c in classes])
    w = df[cols["weight"]].to_numpy(dtype=float) if "weight" in cols else None
    if case["labelType"] == "int":
        y = y.astype(int)
        labels = [int(c) for c in classes]
    else:
        labels = classes
    if "predicted" in cols:
        yp = df[cols["predicted"]].astype(str).to_numpy()
        if case["labelType"] == "int":
            yp = yp.astype(int)
    else:
        yp = np.array(labels)[np.argmax(P, axis=1)]
    out = {}
    if w is not None and w.sum() == 0:
        return {"accuracy": None}
    out["accuracy"] = clean(M.accuracy_score(y, yp, sample_weight=w))
    prf_all(y, yp, w, case["zeroDivision"], out, False)
    present = sorted(set(y.tolist()) | set(yp.tolist()))
    out["confusion"] = M.confusion_matrix(y, yp, labels=present, sample_weight=w).tolist()
    out["roc_auc_ovr"] = attempt(lambda: M.roc_auc_score(y, P, multi_class="ovr", average="macro", labels=labels, sample_weight=w))
    out["roc_auc_ovr_weighted"] = attempt(
        lambda: M.roc_auc_score(y, P, multi_class="ovr", average="weighted", labels=labels, sample_weight=w)
    )
    out["log_loss"] = attempt(lambda: M.log_loss(y, P, labels=labels, sample_weight=w))
    return out


def regression_case(case):
    df = pd.read_csv(case["file"], float_precision="round_trip")
    cols = case["columns"]
    y = df[cols["label"]].to_numpy(dtype=float)
    yp = df[cols["prediction"]].to_numpy(dtype=float)
    w = df[cols["weight"]].to_numpy(dtype=float) if "weight" in cols else None
    mse = M.mean_squared_error(y, yp, sample_weight=w)
    r2 = clean(M.r2_score(y, yp, sample_weight=w)) if len(y) >= 2 else None
    if len(y) >= 2 and np.all(y == y[0]):
        # Documented force_finite rule for a constant target. numpy's weighted mean of a constant can
        # round to a different value and turn sklearn's 0/0 into ±1e32; the package applies the rule.
        r2 = 1.0 if np.sum((1.0 if w is None else w) * (y - yp) ** 2) == 0 else 0.0
    return {
        "mae": clean(M.mean_absolute_error(y, yp, sample_weight=w)),
        "mse": clean(mse),
        "rmse": clean(np.sqrt(mse)),
        "r2": r2,
        "mape": clean(M.mean_absolute_percentage_error(y, yp, sample_weight=w)),
    }


def placements_delong(y, scores):
    pos = y == 1
    m, n = pos.sum(), (~pos).sum()
    aucs, v_pos, v_neg = [], [], []
    for s in scores:
        X, Y = s[pos], s[~pos]
        tx, ty = stats.rankdata(X), stats.rankdata(Y)
        tz = stats.rankdata(np.concatenate([X, Y]))
        aucs.append((tz[:m].sum() - m * (m + 1) / 2) / (m * n))
        v_pos.append((tz[:m] - tx) / n)
        v_neg.append(1.0 - (tz[m:] - ty) / m)
    sx, sy = np.cov(np.vstack(v_pos)), np.cov(np.vstack(v_neg))
    var = (sx[0, 0] + sx[1, 1] - 2 * sx[0, 1]) / m + (sy[0, 0] + sy[1, 1] - 2 * sy[0, 1]) / n
    z = (aucs[0] - aucs[1]) / np.sqrt(var)
    return {"auc1": aucs[0], "auc2": aucs[1], "variance": var, "z": z, "p": 2 * stats.norm.sf(abs(z))}


def delong_case(item):
    a = pd.read_csv(item["candidate"], float_precision="round_trip")
    b = pd.read_csv(item["baseline"], float_precision="round_trip")
    y = a["label"].to_numpy(dtype=int)
    r = placements_delong(y, [a["score"].to_numpy(dtype=float), b["score"].to_numpy(dtype=float)])
    r["sk_auc1"] = M.roc_auc_score(y, a["score"])
    r["sk_auc2"] = M.roc_auc_score(y, b["score"])
    return {k: clean(v) for k, v in r.items()}


def bootstrap_case(item):
    a = pd.read_csv(item["candidate"], float_precision="round_trip")
    b = pd.read_csv(item["baseline"], float_precision="round_trip")
    counts = np.array(item["counts"], dtype=int).reshape(item["resamples"], len(a))
    metric = item["metric"]

    def value(df, idx):
        if item["kind"] == "regression":
            y, p = df["y"].to_numpy()[idx], df["yhat"].to_numpy()[idx]
            return np.sqrt(M.mean_squared_error(y, p)) if metric == "rmse" else M.r2_score(y, p)
        y = df["label"].to_numpy(dtype=int)[idx]
        s = df["score"].to_numpy(dtype=float)[idx]
        yp = (s >= 0.5).astype(int)
        if metric == "roc_auc":
            return M.roc_auc_score(y, s) if len(set(y.tolist())) == 2 else None
        if metric == "log_loss":
            return M.log_loss(y, s, labels=[0, 1])
        if metric == "f1":
            return M.f1_score(y, yp, zero_division=0)
        if metric == "accuracy":
            return M.accuracy_score(y, yp)
        raise ValueError(metric)

    diffs = []
    undefined = 0
    base = np.arange(len(a))
    for r in range(item["resamples"]):
        idx = np.repeat(base, counts[r])
        x, z = value(a, idx), value(b, idx)
        if x is None or z is None:
            undefined += 1
        else:
            diffs.append(x - z)
    lo, hi = np.percentile(diffs, item["percentiles"])
    return {
        "lower": clean(lo),
        "upper": clean(hi),
        "standardError": clean(np.std(diffs, ddof=1)),
        "undefined": undefined,
        "candidate": clean(value(a, base)),
        "baseline": clean(value(b, base)),
    }


def drift_case(item):
    ref = pd.read_csv(item["reference"], float_precision="round_trip", dtype={item["column"]: str} if item["type"] == "categorical" else None, keep_default_na=False)
    cur = pd.read_csv(item["current"], float_precision="round_trip", dtype={item["column"]: str} if item["type"] == "categorical" else None, keep_default_na=False)
    a = ref[item["column"]].to_numpy()
    b = cur[item["column"]].to_numpy()

    def psi(r, c):
        r = np.where(r == 0, 1e-4, r)
        c = np.where(c == 0, 1e-4, c)
        return np.sum((r - c) * np.log(r / c))

    if item["type"] == "numeric":
        a = a.astype(float)
        b = b.astype(float)
        edges = np.histogram_bin_edges(np.concatenate([a, b]), bins=item["bins"])
        r = np.histogram(a, edges)[0] / len(a)
        c = np.histogram(b, edges)[0] / len(b)
        exact = max(len(a), len(b)) <= 10000
        ks = stats.ks_2samp(a, b, method="exact" if exact else "asymp")
        en = len(a) * len(b) / (len(a) + len(b))
        p = ks.pvalue if exact else kolmogorov(np.sqrt(en) * ks.statistic)
        w = stats.wasserstein_distance(a, b)
        return {
            "psi": clean(psi(r, c)),
            "jensen_shannon": clean(jensenshannon(r, c)),
            "ks_statistic": clean(ks.statistic),
            "ks_p_value": clean(p),
            "wasserstein": clean(w),
            "wasserstein_normed": clean(w / max(np.std(a), 0.001)),
        }
    cats = sorted(set(a.tolist()) | set(b.tolist()))
    ra = np.array([(a == k).sum() for k in cats], dtype=float)
    cb = np.array([(b == k).sum() for k in cats], dtype=float)
    r, c = ra / len(a), cb / len(b)
    if len(cats) > 1:
        chi2, p, _, _ = stats.chi2_contingency(np.vstack([ra, cb]), correction=False)
    else:
        chi2, p = 0.0, 1.0
    return {
        "psi": clean(psi(r, c)),
        "jensen_shannon": clean(jensenshannon(r, c)),
        "chi_square": clean(chi2),
        "chi_square_p_value": clean(p),
    }


def main():
    manifest = json.load(open(sys.argv[1]))
    result = {"cases": {}, "mcnemar": [], "delong": [], "bootstrap": [], "drift": [], "special": {}}
    handlers = {"binary": binary_case, "multiclass": multiclass_case, "regression": regression_case}
    for case in manifest.get("cases", []):
        result["cases"][case["id"]] = handlers[case["kind"]](case)
    for b, c in manifest.get("mcnemar", []):
        n = b + c
        exact = stats.binomtest(min(b, c), n, 0.5).pvalue if n else 1.0
        corrected = max(0, abs(b - c) - 1)
        chi = corrected**2 / n if n else None
        result["mcnemar"].append(
            {"exactP": clean(exact), "chiSquare": clean(chi), "chiSquareP": clean(stats.chi2.sf(chi, 1)) if n else None}
        )
    result["delong"] = [delong_case(item) for item in manifest.get("delong", [])]
    result["bootstrap"] = [bootstrap_case(item) for item in manifest.get("bootstrap", [])]
    result["drift"] = [drift_case(item) for item in manifest.get("drift", [])]
    special = manifest.get("special", {})
    result["special"]["chi2"] = [clean(stats.chi2.sf(x, k)) for x, k in special.get("chi2", [])]
    result["special"]["normal"] = [clean(stats.norm.sf(z)) for z in special.get("normal", [])]
    result["special"]["kolmogorov"] = [clean(kolmogorov(x)) for x in special.get("kolmogorov", [])]
    json.dump(result, open(sys.argv[2], "w"))


if __name__ == "__main__":
    main()
