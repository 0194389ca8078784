"""The ``llm`` back-translator and ``llm`` judge, driven through a scripted model."""

from __future__ import annotations

import asyncio
import json

import pytest
from crabplug_crab.llm_translate import LLMBackTranslator, LLMJudge

from crabplug import Constraint, Context, Example, RecordError, load_plugins

RESPONSE = (
    "Here is a short plan for the week. Start every morning with a walk and a glass of water.\n\n"
    "Cook at home four nights and keep the budget in a notebook. Bon appétit!"
)
EXAMPLE = Example(instruction="Give me a plan for a healthier week.", response=RESPONSE)


class FakeLLM:
    """Stands in for the door until it lands: scripted replies, every call recorded."""

    model = "openai/test-model"

    def __init__(self, replies):
        self.replies = list(replies)
        self.calls = []

    async def complete(self, messages, stage=""):
        self.calls.append((stage, messages))
        return self.replies.pop(0)

    async def complete_json(self, messages, stage=""):
        self.calls.append((stage, messages))
        reply = self.replies.pop(0)
        try:
            return json.loads(reply)
        except json.JSONDecodeError:
            raise RecordError("the model's reply is not valid JSON", raw=reply) from None


@pytest.fixture(scope="module")
def registry():
    return load_plugins()


def context(tmp_path, registry, llm):
    return Context(run_dir=tmp_path, registry=registry, llm_factory=lambda model=None, **o: llm)


def constraints_reply(*pairs):
    return json.dumps({"constraints": [{"category": c, "constraint": s} for c, s in pairs]})


def test_each_stated_constraint_becomes_a_candidate_from_the_model(tmp_path, registry):
    llm = FakeLLM([constraints_reply(("writing_style", "Use a friendly, encouraging tone addressed to the reader."))])
    ctx = context(tmp_path, registry, llm)
    [c] = asyncio.run(LLMBackTranslator().translate(EXAMPLE, ctx))
    assert c == Constraint(type="llm:writing_style", kwargs={}, text="Use a friendly, encouraging tone addressed to "
                           "the reader.", origin="openai/test-model", verified=None)  # fmt: skip
    assert llm.calls[0][0] == "back_translate:llm"
    assert RESPONSE in llm.calls[0][1][0]["content"]
    assert ctx.stats["llm.proposed"] == 1


def test_code_checkable_sentences_get_the_code_type(tmp_path, registry):
    end = ("specific_sentence", 'End the response with the phrase "Bon appétit!"')
    llm = FakeLLM([constraints_reply(("length", "Write at least 20 words in total."), end)])
    cs = asyncio.run(LLMBackTranslator().translate(EXAMPLE, context(tmp_path, registry, llm)))
    assert [(c.type, c.kwargs) for c in cs] == [
        ("length_constraints:number_words", {"relation": "at least", "num_words": 20}),
        ("startend:end_checker", {"end_phrase": "Bon appétit!"}),
    ]


def test_near_duplicate_sentences_are_dropped(tmp_path, registry):
    reply = constraints_reply(
        ("writing_style", "Write in a friendly and encouraging tone for the reader."),
        ("semantic_elements", "Write in a friendly, encouraging tone for the reader."),
        ("item_listing", "Mention walking, cooking at home and keeping a budget."),
    )
    llm = FakeLLM([reply])
    ctx = context(tmp_path, registry, llm)
    cs = asyncio.run(LLMBackTranslator().translate(EXAMPLE, ctx))
    assert [c.type for c in cs] == ["llm:writing_style", "llm:item_listing"]
    assert ctx.stats["llm.near_duplicates"] == 1


def test_a_reply_of_the_wrong_shape_fails_the_record_with_the_raw_reply(tmp_path, registry):
    llm = FakeLLM(["42"])
    with pytest.raises(RecordError) as err:
        asyncio.run(LLMBackTranslator().translate(EXAMPLE, context(tmp_path, registry, llm)))
    assert err.value.raw == "42"


def test_a_reply_with_only_unusable_constraints_fails_the_record(tmp_path, registry):
    llm = FakeLLM([constraints_reply(("astrology", "Mention the position of Mars tonight."))])
    with pytest.raises(RecordError, match="none of the model's 1 constraints"):
        asyncio.run(LLMBackTranslator().translate(EXAMPLE, context(tmp_path, registry, llm)))


def test_an_empty_list_means_no_constraint_applies(tmp_path, registry):
    llm = FakeLLM([json.dumps({"constraints": []})])
    assert asyncio.run(LLMBackTranslator().translate(EXAMPLE, context(tmp_path, registry, llm))) == []


def test_unknown_categories_are_a_config_error():
    with pytest.raises(ValueError, match="unknown categories"):
        LLMBackTranslator(categories=("astrology",))


def test_a_prompt_file_replaces_the_bundled_prompt(tmp_path, registry):
    prompt = tmp_path / "mine.txt"
    prompt.write_text("Constraints of: $response", encoding="utf-8")
    llm = FakeLLM([json.dumps([])])
    asyncio.run(LLMBackTranslator(prompt=str(prompt)).translate(EXAMPLE, context(tmp_path, registry, llm)))
    assert llm.calls[0][1][0]["content"] == f"Constraints of: {RESPONSE}"


@pytest.mark.parametrize(("reply", "ok"), [("YES", True), ("No, it does not.", False), ("Maybe?", None)])
def test_the_judge_answers_from_the_models_yes_or_no(tmp_path, registry, reply, ok):
    llm = FakeLLM([reply])
    ctx = context(tmp_path, registry, llm)
    c = Constraint(type="llm:writing_style", text="Use a friendly tone.", origin="m")
    verdict = asyncio.run(LLMJudge().verify(EXAMPLE, c, ctx))
    assert verdict.ok is ok
    assert verdict.by == "llm:openai/test-model"
    assert "Use a friendly tone." in llm.calls[0][1][0]["content"]
    assert sum(v for k, v in ctx.stats.items() if k.startswith("llm.judge_")) == 1


def test_the_judge_leaves_code_checkable_constraints_to_code(tmp_path, registry):
    llm = FakeLLM([])
    c = Constraint(type="punctuation:no_comma", text="No commas.", origin="m")
    verdict = asyncio.run(LLMJudge().verify(EXAMPLE, c, context(tmp_path, registry, llm)))
    assert verdict.ok is None and llm.calls == []


def test_per_category_mode_asks_one_plain_question_per_category(tmp_path, registry):
    llm = FakeLLM(["Write at least 20 words.", "NONE"])
    translator = LLMBackTranslator(mode="per_category", categories=("length", "item_listing"))
    [c] = asyncio.run(translator.translate(EXAMPLE, context(tmp_path, registry, llm)))
    assert (c.type, c.kwargs) == ("length_constraints:number_words", {"relation": "at least", "num_words": 20})
    assert [stage for stage, _ in llm.calls] == ["back_translate:llm"] * 2
    assert "bulleted or numbered lists" in llm.calls[1][1][0]["content"]


def test_per_category_mode_fails_a_record_when_every_reply_is_garbage(tmp_path, registry):
    llm = FakeLLM(["", "ok"])
    translator = LLMBackTranslator(mode="per_category", categories=("length", "item_listing"))
    with pytest.raises(RecordError) as err:
        asyncio.run(translator.translate(EXAMPLE, context(tmp_path, registry, llm)))
    assert "item_listing: ok" in err.value.raw
