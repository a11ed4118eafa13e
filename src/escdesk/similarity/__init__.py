"""The similarity engine (R-REC-1, R-REC-2): similar earlier tickets, and the groups of tickets
with one cause behind recurring issues.

Layered one way — corpus → query → features → re-ranker → search → storage — with linking,
grouping and labels above search, the index façade above them, the database-backed cache on
top:

    text, vocabulary, reading, segments, corpus   the indexed tickets
    query                                         a ticket as a query
    features, reranker                            how a candidate relates to the query
    search                                        candidates, re-ranked, with their reasons
    linking                                       strong matches into recurring groups
    grouping, labels                              clusters of one cause and their names
    storage                                       generations on disk, safe across processes
    index                                         the façade: add, similar, save, load
    cache                                         the index of one database (services' port)
"""

from escdesk.similarity.cache import IndexCache, open_index
from escdesk.similarity.index import SimilarityIndex
from escdesk.similarity.location import index_directory
from escdesk.similarity.search import Match

__all__ = ["IndexCache", "Match", "SimilarityIndex", "index_directory", "open_index"]
