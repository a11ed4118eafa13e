"""Turn ticket text into search terms: the words a person and a stack trace would both match on.

Bug reports and support tickets mix prose with code: `FileSystem.getFileStatus` in one ticket is
"file status" in its duplicate, `NullPointerException` is "NPE" or "null pointer". So identifiers
are kept whole *and* split at dots, underscores and camelCase humps, versions stay one term
(`3.3.1`), and words lose their plural and -ing/-ed endings so "crashes" meets "crashed".
The rules are deliberately small and language-agnostic beyond English stop words: they must be
fast enough to index a million tickets and predictable enough to explain as shared terms.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Words that say nothing about a ticket's cause. Short on purpose: "not", "no", "fail" carry
# meaning in bug reports and stay.
STOP_WORDS = frozenset(
    """
    a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself of off on once only or other our ours ourselves out
    over own same she should so some such than that the their theirs them themselves then there
    these they this those through to too under until up very was we were what when where which
    while who whom why will with would you your yours yourself yourselves get got getting gets
    please thanks thank hi hello regards com www http https html htm
    """.split()
)

# An identifier, possibly dotted (package paths, versions, file names); '#' and '$' join inner
# classes and methods in stack traces.
_TOKEN = re.compile(r"[A-Za-z0-9_]+(?:[.#$][A-Za-z0-9_]+)*")
_HUMPS = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")
_VERSION = re.compile(r"[0-9]+(?:\.[0-9]+){1,3}")
_SEPARATORS = re.compile(r"[.#$_]+")
_MAX_TERM = 40  # longer "words" are hashes, base64 or minified code: never shared by chance
_MAX_PATH = 120  # a whole dotted name (a stack frame) may be longer, and is telling when shared


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """A light English suffix stripper (plural, -ing, -ed): cheap, and never merges unrelated
    words the way aggressive stemmers do ("general" and "generate")."""
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "ches", "shes", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is", "os")):
        word = word[:-1]
    if word.endswith("ing") and len(word) > 5:
        word = word[:-3]
    elif word.endswith("ed") and len(word) > 4:
        word = word[:-2]
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
        word = word[:-1]  # "stopped" → "stopp" → "stop"
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]  # "crashed"/"crash", "create"/"creat" meet on one form
    return word


def _keep(word: str) -> bool:
    if word in STOP_WORDS or len(word) > _MAX_TERM:
        return False
    if word.isdigit():
        return len(word) >= 2  # "2" is noise; "404", "8020" and bug numbers are evidence
    return len(word) >= 2


def _split_identifier(raw: str) -> list[str]:
    """`org.apache.FSDownload#call` → the whole (if compound), each part, each camelCase hump."""
    out: list[str] = []
    parts = [p for p in _SEPARATORS.split(raw) if p]
    if len(parts) > 1 and len(raw) <= _MAX_PATH:
        out.append(raw.lower())
    for part in parts:
        humps = _HUMPS.findall(part)
        words = [part.lower(), *(h.lower() for h in humps)] if len(humps) > 1 else [part.lower()]
        out.extend(stem(w) for w in words if _keep(w))
    return out


def terms(text: str) -> list[str]:
    """The search terms of a text, in order, repeated as often as they occur."""
    out: list[str] = []
    for raw in _TOKEN.findall(text):
        if _VERSION.fullmatch(raw):
            out.append(raw)
            continue
        if raw.isalpha() and (raw.islower() or raw[1:].islower()):
            word = raw.lower()  # the common case, kept fast: a plain word
            if _keep(word):
                out.append(stem(word))
            continue
        out.extend(_split_identifier(raw))
    return out


def phrases(words: list[str]) -> list[str]:
    """Adjacent pairs of terms ("name node", "out memory"): word order that one-word terms lose.
    Used for subjects only, where they are few and telling."""
    return [f"{a} {b}" for a, b in zip(words, words[1:], strict=False) if a != b]
