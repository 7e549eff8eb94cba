"""``python -m bench``: every benchmark of issue 3 in one run, ours and the peer's side by side.

Sections: alias hold-out recall (per list, per script), false positives on non-listed company
names, native-script names against Latin names (bench/scripts.py), hard cases, speed (latency,
throughput, memory). The default threshold is chosen here:
the lowest threshold whose false-positive rate is <= 0.5 % and at which every hard case passes
(recall falls as the threshold rises, so this is the recall-maximizing admissible one; issue 3
sets both targets at one default threshold), unless ``--threshold`` fixes it.
Figures go to stdout and to ``bench/results/latest.md``.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from bench import cases, falsepos, peer, recall, scripts, speed
from bench.data import load_pairs, nonsanctioned
from bench.report import write_report
from clearance.index.candidates import precompute_credits
from clearance.index.screener import Screener
from clearance.settings import Settings

FPR_TARGET = 0.005
GRID = [round(0.60 + 0.01 * i, 2) for i in range(36)]
EQUAL_GRID = [round(0.50 + 0.01 * i, 2) for i in range(50)]  # the peer's thresholds tried for the equal-FPR row


def main() -> None:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    ap.add_argument("--db", type=Path, help="existing store (default: import the bundled lists into a temp store)")
    ap.add_argument("--threshold", type=float, help="fix the threshold instead of choosing it")
    ap.add_argument("--holdout-sample", type=int, default=3000, help="entries sampled for the hold-out (seeded); 0 = all")
    ap.add_argument("--peer-sample", type=int, default=2000, help="queries the peer scores per section (seeded)")
    ap.add_argument("--batch", type=int, default=100_000, help="names in the throughput run")
    ap.add_argument("--batch-runs", type=int, default=3, help="throughput runs; the median is reported")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "latest.md")
    args = ap.parse_args()
    peer.load()
    t = time.perf_counter()
    pairs, db = load_pairs(args.db)
    print(f"loaded {len(pairs)} entries in {time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    screener = Screener.build(pairs, Settings.load(environ={}))
    build_s = time.perf_counter() - t
    print(f"index built in {build_s:.2f} s ({len(screener.index.aliases)} names)")
    t = time.perf_counter()
    precompute_credits(screener.index)
    credits_s = time.perf_counter() - t
    print(f"credit table in {credits_s:.2f} s")
    rec_raw = recall.run(pairs, GRID, args.peer_sample, args.holdout_sample or None)
    print(f"hold-out: {rec_raw['queries']} queries of test parties ({rec_raw['training_queries']} of training parties not judged), "
          f"{len(rec_raw['rounds'])} rounds of {rec_raw['rounds']}")
    fp_raw = falsepos.run(screener, pairs, args.peer_sample, GRID[0])
    print(f"false positives: {len(fp_raw['top'])} names")
    curve = []
    for th in GRID:
        curve.append((th, recall.summarize(rec_raw, th)["recall"], falsepos.summarize(fp_raw, th)["fpr"]))
    case_rows = cases.run(screener, pairs, GRID[0])  # the scores do not depend on the threshold
    threshold = args.threshold
    if threshold is None:
        threshold = next((th for th, _, fpr in curve
                          if fpr <= FPR_TARGET and all(cases.at(c, th)["ours"] for c in case_rows)), GRID[-1])
        lowest = next((th for th, _, fpr in curve if fpr <= FPR_TARGET), GRID[-1])
        if lowest != threshold:
            print(f"FPR target met from {lowest:.2f}; hard cases pass from {threshold:.2f}")
    rec = recall.summarize(rec_raw, threshold)
    fp = falsepos.summarize(fp_raw, threshold)
    case_rows = [cases.at(c, threshold) for c in case_rows]
    equal = {"clearance": (threshold, fp["ours_on_peer_sample"], rec["ours_on_peer_sample"])}
    for name, fp_scores in fp_raw["peers"].items():
        point = peer.at_equal_fpr(fp_scores, [(s, v) for _, s, v in rec_raw["peers"][name]], EQUAL_GRID, FPR_TARGET)
        if point is not None:
            equal[name] = point
    listed = [n.value for _, e in pairs for n in e.names]
    clear, _ = nonsanctioned(pairs)
    mix = speed.query_mix(listed, clear, 2000)
    lat = speed.latency(Screener(screener.index, Settings.load({"threshold": threshold}, environ={})), mix)
    peer_lat = speed.peer_latency(screener, mix[:: max(1, len(mix) // 200)])
    thr = speed.throughput_median(db, speed.query_mix(listed, clear, 20_000), args.batch, args.workers, threshold,
                                  args.batch_runs)
    # as many distinct names as the data give (a real customer file repeats few names whole): each
    # worker meets most of its words cold, and half the rows are listed names, the slower half
    thr_distinct = speed.throughput(db, speed.query_mix(listed, clear, args.batch), args.batch, args.workers, threshold)
    mem = speed.peak_memory_mb(db, thr)
    native = scripts.run(pairs, threshold)
    doc = write_report(args.out, threshold=threshold, curve=curve, rec=rec, fp=fp, cases=case_rows, lat=lat,
                       peer_lat=peer_lat, thr=thr, thr_distinct=thr_distinct, mem=mem, build_s=build_s, credits_s=credits_s, entries=len(pairs),
                       names=len(screener.index.aliases), versions=peer.versions(), equal=equal, native=native)
    print(doc)


if __name__ == "__main__":
    main()
