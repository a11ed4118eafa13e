"""Write N realistic support tickets in escdesk's jsonl format, fast and reproducibly.

    python bench/generate_tickets.py --count 1000000 --out tickets.jsonl [--seed 7]

What makes them realistic enough for importer and recurring-issue benchmarks:
- ~70 % come from 30 recurring causes, each with its product area, component, paraphrased
  subjects and bodies; causes have a life: some are fixed half-way (their tickets stop), some
  appear late, some grow. The rest is a long tail of one-off questions.
- accounts have Zipf-skewed sizes: a few large customers file most tickets;
- timestamps run over two years, in order; most tickets are solved hours to days later;
- ~4 % repeat an earlier ticket of the same account (a follow-up filed as a new ticket).

Strings are JSON-encoded once at start-up and tickets are assembled from them, which is what
makes a million tickets take seconds. The same seed writes the same file.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TextIO


@dataclass(frozen=True)
class Cause:
    """One recurring problem: where it lives, how people word it, and its life over time."""

    key: str
    product_area: str
    component: str
    subjects: tuple[str, ...]
    bodies: tuple[str, ...]
    tags: tuple[str, ...]
    weight: float
    starts: float  # share of the two years after which its tickets begin
    ends: float  # … and after which they stop (the cause was fixed)
    growth: float  # how much its share grows over its life
    priorities: tuple[int, ...]  # weights of low, normal, high, urgent


_TEXTS = json.loads((Path(__file__).with_name("ticket_causes.json")).read_text("utf-8"))
CAUSES = tuple(
    Cause(**{k: tuple(v) if isinstance(v, list) else v for k, v in cause.items()})
    for cause in _TEXTS["causes"]
)
ONE_OFF_TOPICS: tuple[str, ...] = tuple(_TEXTS["one_off_topics"])
ONE_OFF_ASPECTS: tuple[str, ...] = tuple(_TEXTS["one_off_aspects"])

START = datetime(2024, 1, 1, tzinfo=UTC)
DAYS = 730
PHASES = 24
PRIORITIES = ("low", "normal", "high", "urgent")
FILLERS = {
    "browser": ("Chrome", "Firefox", "Safari", "Edge", "the desktop app"),
    "region": ("EU", "US-East", "US-West", "APAC"),
    "code": ("500", "502", "403", "429", "504"),
    "n": ("2", "3", "5", "10", "40"),
    "version": ("4.2", "4.3", "4.3.1", "5.0", "5.1"),
}
VARIANTS_PER_TEMPLATE = 6
ONE_OFF_SHARE = 0.3


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _expand(rng: random.Random, templates: tuple[str, ...]) -> list[str]:
    """Each template with a few filler choices, JSON-encoded once."""
    out = []
    for template in templates:
        for _ in range(VARIANTS_PER_TEMPLATE):
            values = {key: rng.choice(choices) for key, choices in FILLERS.items()}
            out.append(_q(template.format(**values)))
    return out


class _Prepared:
    """Everything random draws pick from, encoded up front."""

    def __init__(self, rng: random.Random, count: int) -> None:
        self.subjects = [_expand(rng, cause.subjects) for cause in CAUSES]
        self.bodies = [_expand(rng, cause.bodies) for cause in CAUSES]
        self.areas = [_q(cause.product_area) for cause in CAUSES]
        self.components = [_q(cause.component) for cause in CAUSES]
        self.tags = [_q(list(cause.tags)) for cause in CAUSES]
        self.one_off = [
            _q(f"{topic} {aspect}") for topic in ONE_OFF_TOPICS for aspect in ONE_OFF_ASPECTS
        ]
        accounts = max(50, min(5000, count // 200))
        self.accounts = [_q(name) for name in _account_names(rng, accounts)]
        self.account_weights = _cumulative([1 / (rank**1.1) for rank in range(1, accounts + 1)])
        self.phase_weights = [_phase_weights((phase + 0.5) / PHASES) for phase in range(PHASES)]
        self.days = [(START + timedelta(days=d)).strftime("%Y-%m-%dT") for d in range(DAYS + 60)]


def _cumulative(weights: list[float]) -> list[float]:
    total, out = 0.0, []
    for weight in weights:
        total += weight
        out.append(total)
    return out


def _phase_weights(at: float) -> list[float]:
    """Cumulative weights of the causes at a moment, then of one-off tickets (30 %)."""
    weights = [_weight(cause, at) for cause in CAUSES]
    weights.append(ONE_OFF_SHARE / (1 - ONE_OFF_SHARE) * sum(weights))
    return _cumulative(weights)


def _weight(cause: Cause, at: float) -> float:
    """A cause's share of tickets at a moment (0..1 of the two years): its life story."""
    if at < cause.starts or at > cause.ends:
        return 0.0
    return cause.weight * (1 + cause.growth * (at - cause.starts))


def _account_names(rng: random.Random, count: int) -> list[str]:
    first = ("Acme", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay", "Stark", "Wayne",
             "Tyrell", "Cyberdyne", "Soylent", "Wonka", "Oscorp", "Aperture", "Massive",
             "Nakatomi", "Gringotts", "Monarch", "Duff", "Pied Piper")  # fmt: skip
    second = ("Industries", "Systems", "Labs", "Logistics", "Health", "Bank", "Retail", "Energy",
              "Media", "Foods", "Insurance", "Airlines", "Robotics", "Analytics")  # fmt: skip
    names = [f"{a} {b}" for a in first for b in second]
    rng.shuffle(names)
    return [names[i % len(names)] + (f" {i // len(names) + 1}" if i >= len(names) else "")
            for i in range(count)]  # fmt: skip


def _clock(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}Z"


def generate(count: int, seed: int = 7) -> Iterator[str]:
    """The tickets as jsonl lines, oldest first."""
    rng = random.Random(seed)
    p = _Prepared(rng, count)
    rand, choices = rng.random, rng.choices
    recent: list[tuple[str, str, int]] = []
    span = DAYS * 86400
    for phase in range(PHASES):
        first, last = count * phase // PHASES, count * (phase + 1) // PHASES
        n = last - first
        picks = choices(range(len(CAUSES) + 1), cum_weights=p.phase_weights[phase], k=n)
        accounts = choices(p.accounts, cum_weights=p.account_weights, k=n)
        for offset in range(n):
            i = first + offset
            created = int((i + rand()) * span / count)
            account = accounts[offset]
            cause = picks[offset]
            if recent and rand() < 0.04:  # a follow-up of an earlier ticket, as a new ticket
                account, subject, cause = recent[int(rand() * len(recent))]
                subject = '"Re: ' + subject[1:]
                body = _q("Following up: the problem I reported last week is back.")
            elif cause < len(CAUSES):
                variants = p.subjects[cause]
                subject = variants[int(rand() * len(variants))]
                bodies = p.bodies[cause]
                body = bodies[int(rand() * len(bodies))]
            else:
                subject = p.one_off[int(rand() * len(p.one_off))]
                body = _q("Could you explain how this works? Thanks.")
            if cause < len(CAUSES):
                area, component, tags = p.areas[cause], p.components[cause], p.tags[cause]
                weights = CAUSES[cause].priorities
            else:
                area, component, tags, weights = "null", "null", "[]", (6, 3, 1, 0)
            recent.append((account, subject, cause))
            if len(recent) > 2000:
                recent = recent[1000:]
            priority = PRIORITIES[_pick(rand(), weights)]
            stamp = p.days[created // 86400] + _clock(created % 86400)
            if rand() < 0.9 - 0.6 * (i > count * 0.98):
                done = created + int(rng.expovariate(1 / 90000)) + 600
                solved = f'"{p.days[done // 86400]}{_clock(done % 86400)}"'
                status = "closed" if done < span - 30 * 86400 else "solved"
            else:
                solved, status = "null", ("open", "pending")[int(rand() * 2)]
            yield (
                f'{{"id":"T-{i + 1:07d}","subject":{subject},"body":{body},'
                f'"created_at":"{stamp}","account":{account},"product_area":{area},'
                f'"component":{component},"priority":"{priority}","status":"{status}",'
                f'"solved_at":{solved},"tags":{tags}}}\n'
            )


def _pick(r: float, weights: tuple[int, ...]) -> int:
    total = sum(weights)
    acc = 0.0
    for index, weight in enumerate(weights):
        acc += weight / total
        if r < acc:
            return index
    return len(weights) - 1


def write(out: TextIO, count: int, seed: int) -> None:
    batch: list[str] = []
    for line in generate(count, seed):
        batch.append(line)
        if len(batch) >= 20_000:
            out.write("".join(batch))
            batch.clear()
    out.write("".join(batch))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--out", default="-", help="file to write, - for standard output")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    started = time.perf_counter()
    if args.out == "-":
        write(sys.stdout, args.count, args.seed)
    else:
        with open(args.out, "w", encoding="utf-8", newline="\n") as out:
            write(out, args.count, args.seed)
    elapsed = time.perf_counter() - started
    rate = args.count / elapsed if elapsed else float("inf")
    print(f"{args.count} tickets in {elapsed:.2f} s ({rate:,.0f}/s)", file=sys.stderr)


if __name__ == "__main__":
    main()
