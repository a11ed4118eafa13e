"""The similarity engine's façade: add tickets, ask for the earlier tickets most like one, save
the index and load it back. Everything below it — corpus, query, features, re-ranker, search,
storage — is layered one way and reached only through here or through its own module.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from escdesk.domain.ticket import Ticket
from escdesk.similarity import storage
from escdesk.similarity.corpus import Corpus
from escdesk.similarity.reranker import Reranker, default_reranker, ranker_of
from escdesk.similarity.search import Match, find_similar
from escdesk.similarity.segments import Bm25f
from escdesk.similarity.training import Retrained, retrain
from escdesk.similarity.vocabulary import DEFAULT_MAX_TERMS


class SimilarityIndex:
    """Tickets by key, searchable for similar ones (R-REC-2).

    `reranker` orders BM25F's candidates (the shipped model by default; None: BM25F alone).
    """

    def __init__(
        self,
        bm25f: Bm25f | None = None,
        *,
        max_terms: int = DEFAULT_MAX_TERMS,
        rerank: bool = True,
        corpus: Corpus | None = None,
    ) -> None:
        self.corpus = corpus or Corpus(bm25f, max_terms=max_terms)
        self.reranker: Reranker | None = default_reranker() if rerank else None

    def __len__(self) -> int:
        """Tickets that can be found (a re-imported ticket counts once)."""
        return len(self.corpus)

    def __contains__(self, key: object) -> bool:
        return key in self.corpus

    def add(self, tickets: Iterable[Ticket]) -> int:
        """Index tickets (see `Corpus.add`); a ticket whose key is indexed replaces the old one."""
        return self.corpus.add(tickets)

    def similar(
        self, ticket_or_key: Ticket | str, k: int = 10, earlier_only: bool = False
    ) -> list[Match]:
        """The k most similar indexed tickets, best first; with `earlier_only`, only tickets
        created strictly before the query ticket (what its reporter could have found)."""
        return find_similar(self.corpus, self.reranker, ticket_or_key, k, earlier_only)

    def save(self, directory: str | Path) -> None:
        """Write the index as NumPy arrays and UTF-8 text into `directory` (no pickle); safe
        while other processes read or write the same directory."""
        storage.save(self.corpus, Path(directory), meta={"rerank": self.reranker is not None})

    @classmethod
    def load(cls, directory: str | Path, *, mmap: bool = False) -> SimilarityIndex:
        """Read an index written by `save`; `mmap` maps the big arrays instead of reading them."""
        saved = storage.load(Path(directory), mmap=mmap)
        return cls(rerank=bool(saved.meta.get("rerank", True)), corpus=saved.corpus)


class TeamRanking:
    """The ranker a team trained (R-REC-2), for whoever holds an index: use a stored version,
    or refit one on the team's verdicts."""

    index: SimilarityIndex

    def use_ranker(self, model: Mapping[str, Any] | None) -> None:
        """Rank with this stored model (None: the shipped one); an index built without
        re-ranking stays BM25F alone."""
        if self.index.reranker is not None:
            self.index.reranker = ranker_of(model)

    def retrain(
        self, pairs: Sequence[tuple[str, str, bool]], current: Mapping[str, Any] | None
    ) -> Retrained:
        return retrain(self.index.corpus, pairs, current)
