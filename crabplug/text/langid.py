"""langdetect 1.0.9's ``detect`` (seed 0), answered the same but several times faster.

langdetect spends its time in pure-Python loops: per character to extract n-grams, and per sampled
n-gram to update 55 language probabilities. This module keeps its profiles and its random stream, so the
answer is the same, but:

- normalises characters with ``str.translate`` and extracts each distinct word's n-grams once;
- runs a trial's steps a batch at a time with NumPy, and reruns it step by step in langdetect's exact
  floating-point order when a decision comes within rounding distance of going the other way;
- stops after a trial once the leader can no longer be overtaken by the remaining trials.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import random
import re
from functools import lru_cache, partial

from crabplug.text.langtrial import MARGIN, batch_trial

_LATIN = re.compile(r"[A-z]")  # langdetect's own range: 'A' <= ch <= 'z'
_NON_LATIN = re.compile("[\u0300-\U0010ffff]")  # its block test compares an int to a str: always "not Latin Ext."
_SPACES = re.compile("  +")  # langdetect's " +" -> " ": single spaces stay as they are, so only runs need it
_TRIALS = 7
_CAPITAL_PAIR = re.compile("[A-Z]{2}")


class _Normalizer(dict):
    """ord(ch) -> langdetect's normalised character, computed on first sight."""

    def __init__(self, normalize):
        super().__init__()
        self._normalize = normalize

    def __missing__(self, code: int) -> str:
        self[code] = value = self._normalize(chr(code))
        return value


class _Memo(dict):
    """A dict that computes a missing value with ``fill(key)``."""

    def __init__(self, fill):
        super().__init__()
        self._fill = fill

    def __missing__(self, key):
        self[key] = value = self._fill(key)
        return value


def _few_latin(text: str, non_latin: int) -> bool:
    """Whether ``text`` has fewer than ``non_latin / 2`` Latin letters (a prefix usually settles it)."""
    head = text[: 4 * non_latin + 64]
    if len(_LATIN.findall(head)) * 2 >= non_latin:
        return False
    return len(head) == len(text) or len(_LATIN.findall(text)) * 2 < non_latin


class FastDetector:
    """langdetect's detector over its bundled profiles; ``detect(text)`` as ``langdetect.detect`` with seed 0."""

    def __init__(self) -> None:
        import numpy as np
        from langdetect import detector_factory
        from langdetect.detector import Detector
        from langdetect.utils.ngram import NGram

        detector_factory.init_factory()
        factory = detector_factory._factory
        self.np = np
        self.langs = list(factory.langlist)
        self.probs = factory.word_lang_prob_map
        self.d = Detector
        self.ngram = NGram
        self.normal = _Normalizer(NGram.normalize)
        self.ids: dict[str, int] = {}  # n-gram -> its row in self.table (rows added on first sight)
        self.names: list[str] = []
        self.table = np.empty((1024, len(self.langs)))
        self.closed_words = _Memo(lambda word: self.word_grams(word, True))  # the hot path: a dict lookup per word
        self.word_grams = lru_cache(maxsize=65536)(self._word_grams)
        self.stream = np.empty(0, dtype="<u4")
        self.answers: dict[bytes, str] = {}
        self.lines = _Memo(self._line)
        self.gram_ids = _Memo(self._gram_id)  # n-gram -> its row, -1 when no profile has it
        self._samples = (None, None, None)  # (codes, positions, rows) of the text being detected

    def _clean(self, text: str) -> str:
        # Detector.append: drop URLs and e-mails, normalise Vietnamese, keep 10000 chars, collapse spaces
        # (each regex is skipped when text cannot match it: "http", "@", combining marks)
        if "http" in text:
            text = self.d.URL_RE.sub(" ", text)
        if "@" in text:
            text = self.d.MAIL_RE.sub(" ", text)
        if not text.isascii():
            text = self.ngram.normalize_vi(text)
        text = _SPACES.sub(" ", text[:10000])
        # Detector.cleaning_text: mostly non-Latin text loses its Latin letters
        non_latin = len(_NON_LATIN.findall(text)) if not text.isascii() else 0
        if non_latin and _few_latin(text, non_latin):
            text = _LATIN.sub("", text)
        return text

    def _id(self, gram: str) -> int:
        found = self.ids.get(gram)
        if found is None:
            found = self.ids[gram] = len(self.names)
            self.names.append(gram)
            if found == len(self.table):
                self.table = self.np.concatenate([self.table, self.np.empty_like(self.table)])
            self.table[found] = self.probs[gram]
        return found

    def _word_grams(self, word: str, closed: bool) -> tuple[int, ...]:
        """The n-grams NGram emits over one space-delimited word (and the space after it when ``closed``)."""
        if word.islower() or (word.isascii() and not _CAPITAL_PAIR.search(word)):
            return self._plain_word_grams(word, closed)
        out = []
        grams, capital = " ", False
        for ch in word + (" " if closed else ""):
            last = grams[-1]
            grams = grams[1:] + ch if len(grams) >= 3 else grams + ch
            if ch.isupper():
                if last.isupper():
                    capital = True
            else:
                capital = False
            if capital:
                continue
            for n in (1, 2, 3):
                if len(grams) < n:
                    break
                w = grams[-n:]
                if w != " " and w in self.probs:
                    out.append(self._id(w))
        return tuple(out)

    def _plain_word_grams(self, word: str, closed: bool) -> tuple[int, ...]:
        # Without two capitals in a row NGram skips nothing: at each character it emits the 1-, 2- and
        # 3-grams ending there of " " + word (+ " "), those in the profiles, never a lone space.
        padded = " " + word + (" " if closed else "")
        pairs = list(map(str.__add__, padded, padded[1:]))
        triples = map(str.__add__, padded, pairs[1:])
        grams = [padded[1], pairs[0], *itertools.chain.from_iterable(zip(padded[2:], pairs[1:], triples, strict=True))]
        return tuple(i for i in map(self.gram_ids.__getitem__, grams) if i >= 0)

    def _gram_id(self, gram: str) -> int:
        return self._id(gram) if gram in self.probs and gram != " " else -1

    def codes(self, text: str):
        """Row ids of the n-grams langdetect samples from, in its order.

        Built line by line: every cleaning step but two acts within a line (URLs, e-mails and Vietnamese
        marks never span one, and a newline normalises to a space, which ends a word), so a line's n-grams
        are computed once and shared by IFEval's loose variants, which keep most lines. The two global
        steps are taken on the lines: the 10,000-character cut (of the cleaned text) keeps the lines before it
        and the start of the line it falls in; mostly non-Latin text takes the whole-text path.
        """
        if len(self.lines) > 8192 or len(self.closed_words) > 65536:
            self.lines.clear()
            self.closed_words.clear()
        infos = list(map(self.lines.__getitem__, text.split("\n")))
        if len(text) > 10000:
            infos = self._cut(infos, 10000)
        non_latin = sum(info[0] for info in infos)
        if non_latin and self._few_latin(infos, non_latin):
            return self._codes_whole(text)
        infos[-1] = [*infos[-1][:2], self._open(infos[-1])]
        return self.np.concatenate([info[2] for info in infos])

    def _line(self, line: str) -> list:
        """``[non-Latin chars, Latin letters (-1: not counted yet), n-gram ids closed by a newline, cleaned words]``."""
        if "http" in line:
            line = self.d.URL_RE.sub(" ", line)
        if "@" in line:
            line = self.d.MAIL_RE.sub(" ", line)
        non_latin = 0
        if not line.isascii():
            line = self.ngram.normalize_vi(line)
            non_latin = len(_NON_LATIN.findall(line))
        words = line.translate(self.normal).split(" ")
        found = itertools.chain.from_iterable(map(self.closed_words.__getitem__, filter(None, words)))
        return [non_latin, -1, self.np.fromiter(found, dtype=self.np.intp), words, line]

    def _cut(self, infos: list, keep: int) -> list:
        """The lines of the cleaned text's first ``keep`` characters: whole lines, then the start of the next."""
        for i, info in enumerate(infos):
            if len(info[4]) >= keep:  # the cut falls in this line (or right after it, before its newline)
                line = info[4][:keep]
                words = line.translate(self.normal).split(" ")
                closed = map(self.closed_words.__getitem__, filter(None, words))
                non_latin = len(_NON_LATIN.findall(line)) if not line.isascii() else 0
                return [
                    *infos[:i],
                    [
                        non_latin,
                        -1,
                        self.np.fromiter(itertools.chain.from_iterable(closed), dtype=self.np.intp),
                        words,
                        line,
                    ],
                ]
            keep -= len(info[4]) + 1  # the line and its newline
            if keep == 0 and i + 1 < len(infos):  # the cut falls right after this line's newline
                return [*infos[: i + 1], self.lines[""]]
        return infos

    def _few_latin(self, infos: list, non_latin: int) -> bool:
        latin = 0
        for info in infos:
            if info[1] < 0:
                info[1] = len(_LATIN.findall(info[4]))
            latin += info[1]
            if latin * 2 >= non_latin:
                return False
        return True

    def _open(self, info: list):
        """The last line's n-gram ids: its last word is not followed by a space."""
        words = info[3]
        if not words[-1]:
            return info[2]
        found = itertools.chain.from_iterable(map(self.closed_words.__getitem__, filter(None, words[:-1])))
        return self.np.fromiter(itertools.chain(found, self.word_grams(words[-1], False)), dtype=self.np.intp)

    def _codes_whole(self, text: str):
        words = self._clean(text).translate(self.normal).split(" ")
        if len(self.closed_words) > 65536:
            self.closed_words.clear()
        # every word but the last is followed by a space, which closes its n-grams
        found = itertools.chain.from_iterable(map(self.closed_words.__getitem__, filter(None, words[:-1])))
        last = self.word_grams(words[-1], False) if words[-1] else ()
        return self.np.fromiter(itertools.chain(found, last), dtype=self.np.intp)

    def ngrams(self, text: str) -> list[str]:
        """The n-gram list langdetect samples from, in its order."""
        return [self.names[i] for i in self.codes(text)]

    def _words(self, end: int):
        """The first ``end`` (or more) 32-bit outputs of ``random.Random(0)``'s Mersenne Twister."""
        if end > len(self.stream):
            n = max(end, 2 * len(self.stream))
            self.stream = self.np.frombuffer(random.Random(0).getrandbits(32 * n).to_bytes(4 * n, "little"), "<u4")
        return self.stream

    def _gauss(self, pos: int) -> tuple[float, float]:
        """``random.gauss(0, 1)`` from the words at ``pos``: its value and the one it caches for next time."""
        w = self._words(pos + 4)[pos : pos + 4].tolist()
        first = ((w[0] >> 5) * 67108864.0 + (w[1] >> 6)) * (1.0 / 9007199254740992.0)  # random()
        second = ((w[2] >> 5) * 67108864.0 + (w[3] >> 6)) * (1.0 / 9007199254740992.0)
        x2pi = first * math.tau
        g2rad = math.sqrt(-2.0 * math.log(1.0 - second))
        return math.cos(x2pi) * g2rad, math.sin(x2pi) * g2rad

    def detect(self, text: str) -> str | None:
        """The language code langdetect (seed 0) gives; None where it raises (no features)."""
        codes = self.codes(text)
        if not len(codes):
            return None
        # The answer depends on the n-gram sequence only: texts differing in punctuation or markdown
        # (IFEval's loose variants without '*') often share it.
        key = hashlib.blake2b(codes.tobytes(), digest_size=16).digest()  # 16 bytes, not 8 per n-gram
        found = self.answers.get(key)
        if found is None:
            if len(self.answers) > 8192:
                self.answers.clear()
            found = self.answers[key] = self._detect(codes)
        return found

    def _detect(self, codes) -> str:
        # the batched trials answer unless a decision came within their error margin of going the other way
        found = self._detect_with(codes, partial(batch_trial, self), MARGIN)
        return self._detect_with(codes, self._trial, 0.0) if found is None else found

    def _detect_with(self, codes, run_trial, margin: float) -> str | None:
        """langdetect's seven trials, each run by ``run_trial``; None when a ``run_trial`` or the final choice
        is within ``margin`` of a decision (the margin covers the difference between the two ways of computing)."""
        d = self.d
        n_langs = len(self.langs)
        langprob = self.np.zeros(n_langs)
        uniform = self.np.full(n_langs, 1.0 / n_langs)  # every trial starts here (no trial writes to it)
        pos, cached = 0, None  # langdetect re-seeds with 0 for every text: the stream starts over
        for trial in range(_TRIALS):
            if cached is None:
                z, cached = self._gauss(pos)
                pos += 4
            else:
                z, cached = cached, None
            weight = (d.ALPHA_DEFAULT + z * d.ALPHA_WIDTH) / d.BASE_FREQ
            found = run_trial(pos, uniform, weight, codes)
            if found is None:
                return None
            prob, pos = found
            langprob += prob / _TRIALS
            if trial < _TRIALS - 1 and self._decided(langprob, _TRIALS - 1 - trial, margin):
                break
        top = self.np.partition(langprob, -2)[-2:]
        if margin and (top[1] - top[0] <= margin or abs(top[1] - d.PROB_THRESHOLD) <= margin):
            return None
        best = int(langprob.argmax())
        return self.langs[best] if langprob[best] > d.PROB_THRESHOLD else "unknown"

    def _trial(self, pos: int, prob, weight: float, codes):
        """One trial from word ``pos``: sample, multiply, normalise every 5th step until converged or 1000 steps.

        ``random.choice`` over n items takes ``getrandbits(k)`` (the top k bits of one 32-bit word) until it
        is below n. Returns the probabilities and the position of the next unused word.
        """
        np, d = self.np, self.d
        reduce, divide, converged, limit = np.multiply.reduce, np.divide, d.CONV_THRESHOLD, d.ITERATION_LIMIT
        n = len(codes)
        shift = 32 - n.bit_length()
        i, batch = 0, 64
        while True:
            words = self._words(pos + batch)[pos : pos + batch] >> shift
            accepted = np.flatnonzero(words < n)
            # rows[0] holds the running product; rows[t + 1] the factor of this batch's t-th sample
            rows = np.empty((len(accepted) + 1, len(prob)))
            rows[0] = prob
            np.add(weight, self.table[codes[words[accepted]]], out=rows[1:])
            start = 0
            for t in range(-i % 5, len(accepted), 5):
                product = reduce(rows[start : t + 2], axis=0)  # sequential, row by row
                values = product.tolist()
                total = sum(values)  # Python's sequential sum, as langdetect's
                # max(p / total) == max(p) / total: correctly rounded division is monotonic
                if max(values) / total > converged or i + t >= limit:
                    return product / total, pos + int(accepted[t]) + 1
                start = t + 1
                divide(product, total, out=rows[start])
            prob = reduce(rows[start:], axis=0)
            i += len(accepted)
            pos += batch
            batch = min(batch * 2, 4096)

    def _decided(self, langprob, remaining: int, margin: float = 0.0) -> bool:
        # each remaining trial adds at most 1/7 to any language: a larger lead cannot be lost
        top = self.np.partition(langprob, -2)[-2:]
        return top[1] > self.d.PROB_THRESHOLD + margin and top[1] - top[0] > remaining / _TRIALS + 1e-9 + margin


@lru_cache(maxsize=1)
def detector() -> FastDetector:
    """The shared detector (loading langdetect's profiles takes about a second, once)."""
    return FastDetector()
