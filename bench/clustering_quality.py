"""Recurring issues that hold together: B-cubed precision and recall of the grouping behind
`escdesk recurring rebuild`, on public bug reports with known duplicate groups.

    python -m bench.clustering_quality                 # GitBugs Hadoop and SeaMonkey
    python -m bench.clustering_quality --all           # and OpenOffice
    python -m bench.clustering_quality --data DIR      # or ESCDESK_BENCH_DATA=DIR
    python -m bench.clustering_quality --generated 3000   # helpdesk tickets of known causes

Every ticket of a set is grouped in one pass, as a full rebuild does. The gold groups are the
connected components of the known duplicate pairs; only the tickets with a known duplicate are
scored (nobody knows the cause of the others). For each such ticket, precision is the share of
the scored tickets of its group that share its cause, recall the share of its cause's tickets
that are in its group (B-cubed); the figures are the means over those tickets. A group is what
the pass produced (a duplicate pair is a group of two; a recurring issue needs three tickets).

"before" is the TF-IDF cosine pass (each ticket joins the group of its single most similar
earlier ticket at cosine ≥ 0.4), escdesk's default; "after" is the re-ranked pass of
`ESCDESK_RECURRING_GROUPING=reranked` (similarity/linking.py). The re-ranker used never saw the
set's pairs: on Hadoop it is trained on SeaMonkey and the reverse; on OpenOffice it is the
shipped model. Under each set, how often a ticket's best earlier match is its twin, by cosine
and by the re-ranker: a pass that links through the best match cannot do better. Skips, and
says so, when the data directory is absent.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

from bench.duplicate_data import DuplicateSet, available, data_dir, load
from bench.generate_tickets import generate
from bench.train_reranker import collect, fit
from escdesk.importers.jsonl import ticket_from
from escdesk.similarity import grouping, linking
from escdesk.similarity.corpus import Corpus
from escdesk.similarity.query import make_query
from escdesk.similarity.reranker import Reranker, default_reranker
from escdesk.similarity.search import CANDIDATES, ranked

COSINE_SWEEP = (0.2, 0.3, 0.4)
CHOSEN = {
    "strong": linking.STRONG_MATCH,
    "alike": linking.JOIN_COSINE,
    "average": linking.AVERAGE_COSINE,
}
SWEEP: tuple[tuple[str, dict[str, float]], ...] = (
    ("no average-link guard (as before)", {"average": 0.0}),
    ("average-link guard at mean cosine ≥ 0.1", {"average": 0.1}),
    ("average-link guard at mean cosine ≥ 0.3", {"average": 0.3}),
    ("strong ≥ 0.8", {"strong": 0.8}),
    ("strong ≥ 0.95", {"strong": 0.95}),
    ("cosine ≥ 0.1", {"alike": 0.1}),
    ("cosine ≥ 0.2", {"alike": 0.2}),
    ("best match only, no folding", {"fold_share": 99.0}),
    ("folding unguarded (any one strong match)", {"fold_share": 0.0}),
    ("folding at cosine ≥ 0.3", {"fold_alike": 0.3}),
    ("no worded-alike shortcut", {"sure": 99.0}),
    ("worded-alike shortcut at cosine ≥ 0.5", {"sure": 0.5}),
)


def gold_groups(data: DuplicateSet) -> dict[str, int]:
    """Each ticket with a known duplicate → its component of the duplicate graph."""
    parent: dict[str, str] = {}

    def find(key: str) -> str:
        while parent.setdefault(key, key) != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for query, twins in data.twins.items():
        for twin in twins:
            parent[find(query)] = find(twin)
    roots = sorted({find(k) for k in parent})
    number = {root: n for n, root in enumerate(roots)}
    return {key: number[find(key)] for key in parent}


def b_cubed(predicted: dict[str, int], gold: dict[str, int]) -> tuple[float, float]:
    """Mean B-cubed precision and recall over the tickets `gold` names."""
    members: dict[int, list[str]] = defaultdict(list)
    for key in gold:
        members[predicted[key]].append(key)
    cause_size: dict[int, int] = defaultdict(int)
    for cause in gold.values():
        cause_size[cause] += 1
    precision = recall = 0.0
    for key, cause in gold.items():
        group = members[predicted[key]]
        same = sum(1 for other in group if gold[other] == cause)
        precision += same / len(group)
        recall += same / cause_size[cause]
    return precision / len(gold), recall / len(gold)


def group_all(corpus: Corpus, model: Reranker | None, **options: float) -> dict[str, int]:
    """One pass over every ticket, as a full rebuild with nothing kept: key → group."""
    rows = np.arange(corpus.rows, dtype=np.int64)
    clusters = np.full(rows.size, linking.UNCLUSTERED, dtype=np.int64)
    if model is None:
        joined = grouping.join_in_time_order(corpus, rows.copy(), clusters, rows, **options)
    else:
        vectors = grouping.ticket_vectors(corpus, rows)
        joined = linking.link_in_time_order(
            corpus, model, vectors, rows.copy(), clusters, rows, **options
        )
    return {corpus.ids[j.ticket_id]: j.cluster for j in joined}


def sizes(predicted: dict[str, int]) -> tuple[int, int]:
    """Groups of at least three (recurring issues) and the largest group."""
    count: dict[int, int] = defaultdict(int)
    for group in predicted.values():
        count[group] += 1
    return sum(1 for n in count.values() if n >= 3), max(count.values(), default=0)


def row(label: str, predicted: dict[str, int], gold: dict[str, int], seconds: float) -> str:
    precision, recall = b_cubed(predicted, gold)
    issues, largest = sizes(predicted)
    return f"| {label} | {precision:.3f} | {recall:.3f} | {issues} | {largest} | {seconds:.1f} s |"


def best_match_is_twin(data: DuplicateSet, corpus: Corpus, model: Reranker | None) -> str:
    """How often a ticket's best earlier match is one of its known earlier twins."""
    rows = np.arange(corpus.rows, dtype=np.int64)
    vectors = grouping.ticket_vectors(corpus, rows)
    by_cosine = by_model = 0
    for key, twins in data.twins.items():
        row = corpus.row_of(key)
        assert row is not None
        earlier = np.flatnonzero(corpus.created < corpus.created[row])
        cosine = np.asarray((vectors[earlier] @ vectors[row].T).todense()).ravel()
        if earlier.size and cosine.max() > 0:
            by_cosine += corpus.ids[int(earlier[np.argmax(cosine)])] in twins
        found, _, _ = ranked(corpus, model, make_query(corpus, key), CANDIDATES, True)
        by_model += bool(found.size) and corpus.ids[int(found[0])] in twins
    n = max(len(data.twins), 1)
    return (
        f"Best earlier match is a twin, of {len(data.twins)} tickets with an earlier twin: "
        f"by cosine {by_cosine / n:.3f}, by the re-ranker {by_model / n:.3f}."
    )


def model_for(directory: Path, name: str) -> Reranker | None:
    """A re-ranker that never saw `name`'s pairs: the other GitBugs set's, else the shipped one."""
    other = {"hadoop": "seamonkey", "seamonkey": "hadoop"}.get(name)
    if other and available(directory, other):
        return fit(collect(load(directory, other)), other)
    return default_reranker()


def generated(count: int) -> None:
    """Purity and completeness on generated helpdesk tickets (bench/generate_tickets.py, a
    cause per component): the measure the cosine pass was calibrated with."""
    tickets = [ticket_from(json.loads(line), "bench") for line in generate(count, seed=7)]
    corpus = Corpus()
    corpus.add(tickets)
    cause = [t.component for t in tickets]
    print(f"\n### generated: {count:,} tickets of {len({c for c in cause if c})} causes\n")
    print("| grouping | purity | completeness | issues | time |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for label, model in (("before: cosine pass", None), ("after: re-ranked", default_reranker())):
        began = time.perf_counter()
        found = group_all(corpus, model)
        seconds = time.perf_counter() - began
        members: dict[int, list[int]] = defaultdict(list)
        for row, key in enumerate(corpus.ids):
            members[found[key]].append(row)
        issues = {g: rows for g, rows in members.items() if len(rows) >= 3}
        held = total = 0
        for rows in issues.values():
            causes = Counter(cause[r] for r in rows if cause[r])
            if causes:
                held, total = held + causes.most_common(1)[0][1], total + sum(causes.values())
        shares = []
        for known in {c for c in cause if c}:
            rows = [r for r, c in enumerate(cause) if c == known]
            placed = Counter(found[corpus.ids[r]] for r in rows if found[corpus.ids[r]] in issues)
            shares.append((placed.most_common(1)[0][1] if placed else 0) / len(rows))
        purity, completeness = held / max(total, 1), sum(shares) / max(len(shares), 1)
        print(f"| {label} | {purity:.3f} | {completeness:.3f} | {len(issues)} | {seconds:.1f} s |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", help="directory of the public duplicate data")
    parser.add_argument("--all", action="store_true", help="also OpenOffice")
    parser.add_argument("--no-sweep", action="store_true", help="only the chosen settings")
    parser.add_argument("--generated", type=int, help="instead: this many generated tickets")
    args = parser.parse_args()
    if args.generated:
        generated(args.generated)
        return
    directory = data_dir(args.data)
    names = ("hadoop", "seamonkey", "openoffice") if args.all else ("hadoop", "seamonkey")
    if directory is None or not any(available(directory, n) for n in names):
        print(f"skipped: no duplicate data in {directory} (use --data or ESCDESK_BENCH_DATA)")
        return
    totals: dict[str, list[tuple[int, float, float]]] = defaultdict(list)
    for name in names:
        if not available(directory, name):
            print(f"\n{name}: skipped, files absent")
            continue
        data = load(directory, name)
        gold = gold_groups(data)
        corpus = Corpus()
        corpus.add(data.tickets)
        model = model_for(directory, name)
        trained = model.trained_on if model else "none"
        print(
            f"\n### {name}: {len(data.tickets):,} tickets, {len(gold)} with a known duplicate "
            f"in {len(set(gold.values()))} groups; re-ranker trained on {trained}\n"
        )
        print("| grouping | B³ precision | B³ recall | groups ≥ 3 | largest | time |")
        print("| --- | ---: | ---: | ---: | ---: | ---: |")
        cosines = (grouping.THRESHOLD,) if args.no_sweep else COSINE_SWEEP
        for threshold in cosines:
            began = time.perf_counter()
            predicted = group_all(corpus, None, threshold=threshold)
            label = f"before: TF-IDF cosine ≥ {threshold}, best earlier ticket only"
            print(row(label, predicted, gold, time.perf_counter() - began), flush=True)
            totals[label].append((len(gold), *b_cubed(predicted, gold)))
        chosen = (
            f"**after: re-ranked ≥ {CHOSEN['strong']} and cosine ≥ {CHOSEN['alike']}, "
            f"mean cosine to the group ≥ {CHOSEN['average']}, guarded folding (chosen)**",
            {},
        )
        for label, options in (chosen,) + (() if args.no_sweep else SWEEP):
            began = time.perf_counter()
            predicted = group_all(corpus, model, **options)
            if options:
                label = f"after, but {label}"
            print(row(label, predicted, gold, time.perf_counter() - began), flush=True)
            totals[label].append((len(gold), *b_cubed(predicted, gold)))
        print(f"\n{best_match_is_twin(data, corpus, model)}")

    pooled(totals)


def pooled(totals: dict[str, list[tuple[int, float, float]]]) -> None:
    """Every set's scored tickets together (each ticket weighs the same)."""
    print("\n### all sets pooled\n")
    print("| grouping | B³ precision | B³ recall |")
    print("| --- | ---: | ---: |")
    for label, parts in totals.items():
        n = sum(p[0] for p in parts)
        precision = sum(p[0] * p[1] for p in parts) / n
        recall = sum(p[0] * p[2] for p in parts) / n
        print(f"| {label} | {precision:.3f} | {recall:.3f} |")


if __name__ == "__main__":
    main()
