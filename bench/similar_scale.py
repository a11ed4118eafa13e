"""How the similar-tickets index scales: index time, peak memory and query latency at 10k, 100k
and 1M synthetic tickets (targets: 1M indexed in ≤ 10 min within 4 GiB; query p95 ≤ 100 ms).

    python bench/similar_scale.py                 # 10k, 100k, 1M, each in a fresh process
    python bench/similar_scale.py --sizes 10000   # just one size

Tickets are generated here, deterministically: a Zipf-distributed vocabulary of made-up words,
3,000 topics each with its own words, class names and error codes, subjects of 4–12 words and
bodies of 10–200 words with an occasional stack trace. Queries are new tickets filed after the
indexed ones, asked with `earlier_only` and the shipped re-ranker, as `escdesk tickets similar`
will.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

import numpy as np

from escdesk.domain.ticket import Ticket
from escdesk.similarity.index import SimilarityIndex

SYLLABLES = "ka lo mi ne ru sa te vo zu pi da fe go hu ji ba co re ti na".split()
START = datetime(2022, 1, 1, tzinfo=UTC)


class Generator:
    """Synthetic helpdesk tickets with topic structure, so that searching has work to do."""

    def __init__(self, seed: int = 7, words: int = 60_000, topics: int = 3_000) -> None:
        self.rng = np.random.default_rng(seed)
        self.words = np.array([self._word(i) for i in range(words)])
        zipf = 1.0 / np.arange(1, words + 1) ** 1.05
        self.zipf = zipf / zipf.sum()
        self.topics = topics
        self.topic_words = self.rng.choice(words, size=(topics, 25), p=self.zipf ** 0.3 /
                                           (self.zipf ** 0.3).sum())  # fmt: skip
        self.classes = np.array(
            [
                f"{self._word(i).title()}{self._word(i * 7 + 3).title()}Service"
                for i in range(topics)
            ]
        )

    @staticmethod
    def _word(i: int) -> str:
        out = []
        i += 1
        while i:
            i, r = divmod(i, len(SYLLABLES))
            out.append(SYLLABLES[r])
        return "".join(out)

    def tickets(self, count: int, first: int, spacing_s: float = 30.0) -> list[Ticket]:
        rng = self.rng
        topics = rng.integers(0, self.topics, size=count)
        subject_n = rng.integers(4, 13, size=count)
        body_n = rng.integers(10, 201, size=count)
        noise = rng.choice(len(self.words), size=int(subject_n.sum() + body_n.sum()), p=self.zipf)
        topical = rng.integers(0, 25, size=noise.size)
        use_topic = rng.random(noise.size) < 0.35
        out: list[Ticket] = []
        position = 0
        for n in range(count):
            topic = topics[n]
            size = subject_n[n] + body_n[n]
            picks = np.where(
                use_topic[position : position + size],
                self.topic_words[topic][topical[position : position + size]],
                noise[position : position + size],
            )
            position += size
            words = self.words[picks]
            subject = " ".join(words[: subject_n[n]])
            body = " ".join(words[subject_n[n] :])
            if n % 5 == 0:
                body += (
                    f"\nERR-{topic * 13 % 9973} at com.acme.{self.words[topic]}."
                    f"{self.classes[topic]}.handle({self.classes[topic]}.java:{n % 400})"
                )
            out.append(
                Ticket(
                    source="synthetic",
                    external_id=f"S-{first + n}",
                    subject=subject,
                    body=body,
                    created_at=START + timedelta(seconds=(first + n) * spacing_s),
                    account=f"account-{topic % 500}",
                    priority=("low", "normal", "high", "urgent")[n % 4],
                )
            )
        return out


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(size: int, queries: int = 200, chunk: int = 100_000) -> dict[str, float]:
    generator = Generator()
    index = SimilarityIndex()
    indexing = cpu = 0.0
    for first in range(0, size, chunk):
        batch = generator.tickets(min(chunk, size - first), first)
        began, began_cpu = time.perf_counter(), time.process_time()
        index.add(batch)
        indexing += time.perf_counter() - began
        cpu += time.process_time() - began_cpu
        del batch
    new = generator.tickets(queries, size)
    index.similar(new[0], k=10, earlier_only=True)  # warm caches (idf) as a live service would
    latencies, cpu_latencies = [], []
    for ticket in new:
        began, began_cpu = time.perf_counter(), time.process_time()
        index.similar(ticket, k=10, earlier_only=True)
        latencies.append((time.perf_counter() - began) * 1000)
        cpu_latencies.append((time.process_time() - began_cpu) * 1000)
    by_id = []
    for ticket_id in np.random.default_rng(1).choice(index.corpus.ids, size=min(queries, size)):
        began = time.perf_counter()
        index.similar(str(ticket_id), k=10, earlier_only=True)
        by_id.append((time.perf_counter() - began) * 1000)
    return {
        "tickets": size,
        "index_seconds": round(indexing, 1),
        "index_cpu_seconds": round(cpu, 1),
        "tickets_per_second": round(size / indexing),
        "peak_rss_mib": round(peak_rss_mib()),
        "terms": len(index.corpus.vocabulary),
        "segments": len(index.corpus.segments),
        "query_p50_ms": round(float(np.percentile(latencies, 50)), 1),
        "query_p95_ms": round(float(np.percentile(latencies, 95)), 1),
        "query_cpu_p95_ms": round(float(np.percentile(cpu_latencies, 95)), 1),
        "by_id_p95_ms": round(float(np.percentile(by_id, 95)), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, args.queries)))
        return
    print(
        "| tickets | index wall (CPU) | tickets/s | peak RSS | query p50 | query p95 (CPU) "
        "| by id p95 |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for size in (int(s) for s in args.sizes.split(",")):
        done = subprocess.run(
            [sys.executable, __file__, "--one", str(size), "--queries", str(args.queries)],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        r = json.loads(done.stdout.strip().splitlines()[-1])
        print(
            f"| {r['tickets']:,} | {r['index_seconds']} s ({r['index_cpu_seconds']} s) "
            f"| {r['tickets_per_second']:,} | {r['peak_rss_mib']:,} MiB | {r['query_p50_ms']} ms "
            f"| {r['query_p95_ms']} ms ({r['query_cpu_p95_ms']} ms) | {r['by_id_p95_ms']} ms |",
            flush=True,
        )


if __name__ == "__main__":
    main()
