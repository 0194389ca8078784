"""A scripted model for runs through the real LLM door: answers the ``llm`` back-translator with five constraints
(true, false, judged YES, a near-duplicate, judged NO) and the judge with YES/NO. Served by
``crabplug.testing.LLMServer(reply=model)``; the crab plugin's llm tests and the ray executor's use it."""

from __future__ import annotations

import json

JUDGE = "Does the text satisfy this constraint"
BROKEN = "Please answer this one in broken JSON."
STYLE = "Use a clear and helpful tone throughout the answer."
STYLE_TWIN = "Use a clear, helpful tone throughout the whole answer."  # ROUGE-L 0.89 with STYLE
FALSE_FREE = "Write every line as a rhyming couplet with bold words."


def model(body: dict) -> str:
    """Answers like an instruction-following model: constraints as JSON, YES/NO verdicts."""
    prompt = body["messages"][-1]["content"]
    if JUDGE in prompt:
        return "NO." if "rhyming couplet" in prompt.split(JUDGE)[1] else "YES"
    if BROKEN in prompt:
        return 'Sure! {"constraints": [{"category": "length", '  # truncated, never valid JSON
    pairs = [
        ("length", "Write at least 20 words in total."),  # true: code keeps it
        ("morphological", "Write fewer than 5 words in total."),  # false: code rejects it
        ("writing_style", STYLE),  # judge: YES
        ("semantic_elements", STYLE_TWIN),  # near-duplicate: dropped
        ("key_formatting", FALSE_FREE),  # judge: NO
    ]
    return json.dumps({"constraints": [{"category": c, "constraint": s} for c, s in pairs]})
