"""Train the grey-band calibration model: ``clearance/index/tables/calibration.json``.

What it learns from (all real data, none of it what the benchmark judges):

- **matches**: alias hold-outs drawn with seeds other than the benchmark's (:data:`SEEDS`; the
  same procedure as :func:`bench.data.holdout`), queries whose party is a *training party*
  (:func:`bench.data.is_training_party`; the benchmark reports recall on the other parties). A
  query's best result in the band ``[low, high)`` is a row, labelled 1 when it is one of the
  query's publishers and 0 when it is another entry (a wrong answer the model should push down);
- **non-matches**: the *training half* of the real non-listed company names
  (:func:`bench.data.nonsanctioned`, ``half="train"``) and of the US Congress members' names
  (:func:`bench.falsepos.persons`, split by :func:`bench.data.is_training_name`), each name's best
  band result labelled 0, screened against the same hold-out indexes (see :func:`collect`).

The model is scikit-learn's ``LogisticRegression`` on standardized features (deterministic: a
rerun on the same data gives the same file). Its operating point is the lowest probability at
which the training non-listed company names, screened against the full index as the screener
runs, keep a false-positive rate of :data:`FPR_BUDGET` once the results above the band (which
calibration never touches) are counted; the screener maps that
probability onto the default threshold (:meth:`clearance.index.calibration.Calibration.band_score`).
The exported trees are checked against scikit-learn's own predictions before the file is written.

Run: ``pip install -e '.[bench]' && python -m bench.calibrate [--db PATH]`` (about 5 minutes).
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from bench.data import holdout, is_training_name, is_training_party, load_pairs, nonsanctioned
from bench.falsepos import persons
from clearance.index.calibration import CALIBRATION_FILE, FEATURES, Calibration
from clearance.index.screener import Screener
from clearance.index.types import Query
from clearance.settings import Settings

SEEDS = (1, 2, 3, 4, 5, 6)
SAMPLE = 3000  # entries held out per seed, as the benchmark's hold-out
BAND = (0.70, 0.90)
THRESHOLD = 0.79  # the default threshold the operating point maps to
FPR_BUDGET = 0.005
LIMIT = 10
C = 1.0  # inverse regularization strength of the logistic regression
# a person's name that meets a listed company's one word ("Mitt Romney" / EL "MITT") is rare among the
# rows and costly: each such non-match counts as this many
PERSON_WEIGHT = 10.0


class _Recorder(Calibration):
    """A stand-in model that leaves every score as it is (p = the score) so the screener reports each
    band result's features in its explanation."""

    def probability(self, rows: np.ndarray) -> np.ndarray:
        return rows[:, 0].copy()

    def band_score(self, p: float) -> float:
        return p


def recorder() -> _Recorder:
    z = np.zeros(len(FEATURES))
    return _Recorder(low=BAND[0], high=BAND[1], threshold=THRESHOLD, operating_p=0.5, mean=z, scale=z + 1, coef=z,
                     intercept=0.0, meta={})


def screener(pairs: Any) -> Screener:
    scr = Screener.build(pairs, Settings.load({"calibration": False}, environ={}))
    scr.calibration = recorder()
    return scr


def band_rows(scr: Screener, name: str) -> tuple[list[tuple[str, list[float]]], float]:
    """(entry id, features) of each result the model re-scores, best first, and the best score of
    the others (above the band, or a listed person's, which the model leaves alone)."""
    rows, other = [], 0.0
    for m in scr.screen(Query(name, threshold=BAND[0], limit=LIMIT)):
        cal = m.explanation.get("calibration")
        if cal is not None:
            rows.append((m.entry.entry_id, [cal["features"][f] for f in FEATURES]))
        else:
            other = max(other, m.score)
    return rows, other


def collect(db: Path | None) -> dict[str, Any]:
    """Training rows: each query's (and each non-listed name's) best band result, when nothing scores
    above the band. Every seed's screener serves both its hold-out queries and a slice of the
    non-listed names, so that matches and non-matches are scored against one index: a hold-out index
    lacks the held-out names, which raises the weights of their words, and a model given matches from
    one index and non-matches from another learns to tell the indexes apart."""
    pairs, _ = load_pairs(db)
    companies, _ = nonsanctioned(pairs, half="train")
    names = companies + [n for n in persons(pairs) if is_training_name(n)]  # and half the US Congress
    x: list[list[float]] = []
    y: list[int] = []
    fold: list[int] = []  # the seed's position: the rows of one seed are held out together (see main)
    weight: list[float] = []
    n_queries = 0
    for k, seed in enumerate(SEEDS):
        for r, (held, queries) in enumerate(holdout(pairs, SAMPLE, seed=seed)):
            scr = screener(held)
            for name, _, _, _, pubs, variant in queries:
                if not variant or not is_training_party(pubs):
                    continue
                n_queries += 1
                rows, other = band_rows(scr, name)
                if rows and other <= rows[0][1][0]:  # the band result ranks first
                    x.append(rows[0][1])
                    y.append(int(rows[0][0] in pubs))
                    fold.append(k)
                    weight.append(1.0)
            if r:
                continue  # the first round's index (which holds almost every query) serves the non-listed names
            for j in range(k, len(names), len(SEEDS)):
                rows, other = band_rows(scr, names[j])
                if rows and other <= rows[0][1][0]:
                    x.append(rows[0][1])
                    y.append(0)
                    fold.append(k)
                    weight.append(1.0 if j < len(companies) else PERSON_WEIGHT)
        print(f"seed {seed}: {len(x)} rows, {sum(y)} matches", flush=True)
    # the operating point is set as the screener will run: the full index, every band result of each name
    scr = screener(pairs)
    negatives: list[tuple[int, list[list[float]]]] = []  # (fold, band rows) of each name
    always = 0  # names with a result above the band: a false positive whatever the model says
    for i, name in enumerate(companies):
        rows, other = band_rows(scr, name)
        always += other >= THRESHOLD
        if rows and other < THRESHOLD:
            negatives.append((i % len(SEEDS), [r for _, r in rows]))
    return {"x": np.array(x), "y": np.array(y), "fold": np.array(fold), "weight": np.array(weight), "negatives": negatives, "always": always, "n_names": len(companies),
            "n_persons": len(names) - len(companies), "n_queries": n_queries}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("--db", type=Path, help="a list store with every bundled list (default: build one, as the benchmark does)")
    ap.add_argument("-o", "--output", type=Path, default=CALIBRATION_FILE)
    args = ap.parse_args(argv)
    from sklearn import __version__ as sklearn_version
    from sklearn.linear_model import LogisticRegression

    t0 = time.time()
    data = collect(args.db)
    x, y, fold, weight = data["x"], data["y"], data["fold"], data["weight"]

    def fit(keep: np.ndarray) -> dict[str, Any]:
        mean, scale = x[keep].mean(axis=0), x[keep].std(axis=0)
        scale[scale == 0] = 1.0
        clf = LogisticRegression(C=C, max_iter=5000).fit((x[keep] - mean) / scale, y[keep], sample_weight=weight[keep])
        model = {"features": list(FEATURES), "band": list(BAND), "threshold": THRESHOLD, "operating_p": 0.5,
                 "mean": mean.tolist(), "scale": scale.tolist(), "coef": clf.coef_[0].tolist(),
                 "intercept": float(clf.intercept_[0])}
        if not np.allclose(Calibration.from_dict(model).probability(x), clf.predict_proba((x - mean) / scale)[:, 1],
                           atol=1e-9):
            raise SystemExit("the exported model disagrees with scikit-learn")
        return model

    model = fit(np.ones(len(y), dtype=bool))
    # operating point: the training non-listed names' false-positive budget, minus those above the band,
    # each name judged by a model that did not learn from it (one model per fold, without that fold)
    budget = int(FPR_BUDGET * data["n_names"]) - data["always"]
    out_of_fold = [Calibration.from_dict(fit(fold != k)) for k in range(len(SEEDS))]
    best = sorted((float(out_of_fold[k].probability(np.array(rows)).max()) for k, rows in data["negatives"]),
                  reverse=True)
    model["operating_p"] = min(0.999, (best[budget] if 0 <= budget < len(best) else 0.5) + 1e-6)
    model["meta"] = {"trained": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "scikit_learn": sklearn_version,
                     "model": f"LogisticRegression(C={C}) on standardized features", "rows": len(y),
                     "matches": int(y.sum()), "hold_out_queries": data["n_queries"], "hold_out_seeds": list(SEEDS),
                     "non_listed_names": data["n_names"], "person_names": data["n_persons"], "above_band": data["always"], "command": "python -m bench.calibrate"}
    args.output.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    print(f"{len(y)} rows ({int(y.sum())} matches), operating p {model['operating_p']:.4f}, "
          f"{data['always']} names above the band; wrote {args.output} in {time.time() - t0:.0f} s")


if __name__ == "__main__":
    main()
