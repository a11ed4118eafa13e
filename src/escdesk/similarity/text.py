"""Turn ticket text into search terms: the words a person and a stack trace would both match on,
in every language (R-REC-5).

Bug reports and support tickets mix prose with code: `FileSystem.getFileStatus` in one ticket is
"file status" in its duplicate, `NullPointerException` is "NPE" or "null pointer". So identifiers
are kept whole *and* split at dots, underscores and camelCase humps, versions stay one term
(`3.3.1`), and English words lose their plural and -ing/-ed endings so "crashes" meets
"crashed".

Words of any script are Unicode words, casefolded and with their accents folded for matching
("Über" meets "uber", "Größe" meets "GROSSE", "é" typed as e + accent meets "é"); a person is
always shown the words as written (`spelled_terms`). Chinese, Japanese and Korean are written
without spaces between words, so their text is indexed as overlapping character pairs, as
Lucene's CJK analyzer does ("ログイン" → "ログ", "グイ", "イン"): a query shares pairs with every
ticket that uses its words, whatever the word boundaries. ASCII text takes a fast path
that gives exactly the terms it always did.

The rules are deliberately small: they must be fast enough to index a million tickets and
predictable enough to explain as shared words.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import chain

from escdesk.similarity.marks import character_class

# Words that say nothing about a ticket's cause. Short on purpose: "not", "no", "fail" carry
# meaning in bug reports and stay. English, and Russian (its words never collide with English
# ones, so English tickets are read exactly as before).
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
    и в во не на с со что как по к у о об из за от для это но а же ли или то бы при
    """.split()
)
# Function words of German, French and Spanish (accent-folded). Matching keeps them — written in
# ASCII they are also English identifiers ("de", "es", "con"), and idf gives them little weight —
# but words shown to a person (labels, why a ticket matched) leave them out.
FUNCTION_WORDS = STOP_WORDS | frozenset(
    """
    der die das den dem des ein eine einen einem einer eines und ist sind nicht mit fur auf bei
    nach von vom zum zur ich sie wir ihr es auch oder aber wenn dass wird werden wurde kann
    le la les un une de du et est sont pas avec pour dans sur par ce cette ces qui que je vous
    nous il elle ne au aux ou mais
    el los las una unos unas y son con por para del al lo se su sus
    """.split()
)

# An identifier, possibly dotted (package paths, versions, file names); '#' and '$' join inner
# classes and methods in stack traces. ASCII text is read with the first, anything else with
# the second: Unicode letters and digits, with the combining marks Python's \w leaves out.
_ASCII_TOKEN = re.compile(r"[A-Za-z0-9_]+(?:[.#$][A-Za-z0-9_]+)*")
_LETTER = rf"[\w{character_class()}]"
_TOKEN = re.compile(rf"{_LETTER}+(?:[.#$]{_LETTER}+)*")
_HUMPS = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")
_VERSION = re.compile(r"[0-9]+(?:\.[0-9]+){1,3}")
_SEPARATORS = re.compile(r"[.#$_]+")
# Han, Hiragana, Katakana (full and half width), Hangul: scripts written without spaces.
_CJK = re.compile(
    "([\u1100-\u11ff\u2e80-\u2fdf\u3005-\u3007\u3021-\u3029\u3031-\u3035\u3040-\u30ff"
    "\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7ff"
    "\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003134f]+)"
)
_DIACRITICS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_MAX_TERM = 40  # longer "words" are hashes, base64 or minified code: never shared by chance
_MAX_PATH = 120  # a whole dotted name (a stack frame) may be longer, and is telling when shared

Spelled = tuple[str, str]
"""A term and the text it was read from, as written ("crash", "Crashes")."""


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


@lru_cache(maxsize=200_000)
def fold(word: str) -> str:
    """Casefolded, compatibility forms unified (full-width "ＰＤＦ" → "pdf") and accents removed:
    the form a non-ASCII word is matched by. Only the diacritics Latin, Greek and Cyrillic
    letters carry are removed; the marks of Indic scripts (a virama, a vowel sign) are part of
    the word."""
    folded = _DIACRITICS.sub("", unicodedata.normalize("NFKD", word.casefold()))
    return unicodedata.normalize("NFC", folded)


def _keep(word: str) -> bool:
    if word in STOP_WORDS or len(word) > _MAX_TERM:
        return False
    if word.isdigit():
        return len(word) >= 2  # "2" is noise; "404", "8020" and bug numbers are evidence
    return len(word) >= 2


def _split_identifier(raw: str) -> list[Spelled]:
    """`org.apache.FSDownload#call` → the whole (if compound), each part, each camelCase hump."""
    out: list[Spelled] = []
    parts = [p for p in _SEPARATORS.split(raw) if p]
    if len(parts) > 1 and len(raw) <= _MAX_PATH:
        out.append((raw.lower(), raw))
    for part in parts:
        humps = _HUMPS.findall(part)
        words = [part, *humps] if len(humps) > 1 else [part]
        out.extend((stem(w.lower()), w) for w in words if _keep(w.lower()))
    return out


def _ascii_token(raw: str) -> list[Spelled]:
    if _VERSION.fullmatch(raw):
        return [(raw, raw)]
    if raw.isalpha() and (raw.islower() or raw[1:].islower()):
        word = raw.lower()
        return [(stem(word), raw)] if _keep(word) else []
    return _split_identifier(raw)


def _bigrams(run: str) -> list[Spelled]:
    """Overlapping character pairs of a CJK run (a lone character stands for itself)."""
    folded = unicodedata.normalize("NFKC", run)
    if len(folded) == 1:
        return [(folded, run)]
    return [(folded[i : i + 2], folded[i : i + 2]) for i in range(len(folded) - 1)]


def _foreign_token(raw: str) -> list[Spelled]:
    """A token with non-ASCII characters: CJK runs as pairs; other words folded, and matched
    as English words are when folding leaves plain ASCII letters ("naïve" meets "naive")."""
    out: list[Spelled] = []
    pieces = _CJK.split(raw)
    if len(pieces) > 1:
        for n, piece in enumerate(pieces):
            if n % 2:
                out.extend(_bigrams(piece))
            elif piece:
                out.extend(_foreign_token(piece) if not piece.isascii() else _ascii_token(piece))
        return out
    parts = [p for p in _SEPARATORS.split(raw) if p]
    if len(parts) > 1 and len(raw) <= _MAX_PATH:
        out.append((fold(raw), raw))
    for part in parts:
        word = fold(part)
        if _keep(word):
            out.append((stem(word) if word.isascii() else word, part))
    return out


def _ascii_terms(raw: str) -> tuple[str, ...]:
    """The terms of one ASCII token, as `_ascii_token` reads them."""
    if _VERSION.fullmatch(raw):
        return (raw,)
    if raw.isalpha() and (raw.islower() or raw[1:].islower()):
        word = raw.lower()  # the common case: a plain word
        return (stem(word),) if _keep(word) else ()
    return tuple(term for term, _ in _split_identifier(raw))


class _TokenTerms(dict[str, tuple[str, ...]]):
    """The terms of each ASCII token seen lately. Tickets repeat their words, so nearly every
    token is a lookup; emptied when full, so messy text (hashes, ids) cannot grow it."""

    LIMIT = 300_000

    def __missing__(self, raw: str) -> tuple[str, ...]:
        found = _ascii_terms(raw)
        if len(self) >= self.LIMIT:
            self.clear()
        self[raw] = found
        return found


_TOKEN_TERMS = _TokenTerms()


def terms(text: str) -> list[str]:
    """The search terms of a text, in order, repeated as often as they occur."""
    if text.isascii():
        return list(chain.from_iterable(map(_TOKEN_TERMS.__getitem__, _ASCII_TOKEN.findall(text))))
    return [term for term, _ in spelled_terms(text)]


def ascii_tokens(text: str) -> list[str]:
    """The tokens of an ASCII text, in order: `terms` of it is the `token_terms` of each."""
    return _ASCII_TOKEN.findall(text)


def token_terms(raw: str) -> tuple[str, ...]:
    """The terms of one token of `ascii_tokens` (a caller caching by token reads as `terms`)."""
    return _TOKEN_TERMS[raw]


def spelled_terms(text: str) -> list[Spelled]:
    """Each search term of a text with the text it was read from, as written."""
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)  # "e" + combining accent reads as "é"
    out: list[Spelled] = []
    for raw in (_ASCII_TOKEN if text.isascii() else _TOKEN).findall(text):
        out.extend(_ascii_token(raw) if raw.isascii() else _foreign_token(raw))
    return out


def phrases(words: list[str]) -> list[str]:
    """Adjacent pairs of terms ("name node", "out memory"): word order that one-word terms lose.
    Used for subjects only, where they are few and telling."""
    return [f"{a} {b}" for a, b in zip(words, words[1:], strict=False) if a != b]


def written_words(text: str) -> list[Spelled]:
    """The terms a text writes as whole words, each with its spelling: "crashes" → ("crash",
    "Crashes"), "NameNode" → ("namenode", "NameNode"), but not the humps or dotted parts inside
    an identifier. CJK text has no word boundaries to go by: its character pairs are its words
    here. What a person is shown is drawn from these, so a label or a reason never reads as a
    fragment ("tre" of "HashTree")."""
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    out: list[Spelled] = []
    for raw in (_ASCII_TOKEN if text.isascii() else _TOKEN).findall(text):
        spelled = _ascii_token(raw) if raw.isascii() else _foreign_token(raw)
        out.extend(pair for pair in spelled if pair[1] == raw or is_cjk(pair[1]))
    return out


def is_cjk(text: str) -> bool:
    """Whether the text is all Chinese, Japanese or Korean characters (indexed as pairs)."""
    return bool(_CJK.fullmatch(text))


def identifier_parts(text: str) -> set[str]:
    """Terms a text holds only as parts of longer identifiers, never written as words: the
    "name" and "node" of "NameNode". A query weighs them less, so one camel-case word does
    not count three times against the plain words beside it."""
    return {t for t, _ in spelled_terms(text)} - {t for t, _ in written_words(text)}
