"""The shipped chat templates mark exactly the answer and its end-of-turn token for assistant-only loss."""

from __future__ import annotations

import pytest
from trl_helpers import WORDS

from crabplug.errors import ConfigError

CHAT = [
    {"role": "system", "content": "keep under ten words"},
    {"role": "user", "content": "use the word blue"},
    {"role": "assistant", "content": "the sea is blue"},
    {"role": "user", "content": "list three colors"},
    {"role": "assistant", "content": "red green blue"},
]
FAMILY_TOKENS = {
    "llama3": ["<|begin_of_text|>", "<|end_of_text|>", "<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>"],
    "mistral": ["<s>", "</s>", "[INST]", "[/INST]"],
    "generic": ["<s>", "</s>"],
}


def tokenizer(family: str):
    """A word-level tokenizer whose special tokens are those of a model family, without a chat template."""
    from tokenizers import Regex, Tokenizer, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast

    special = ["<pad>", "<unk>", *FAMILY_TOKENS[family]]
    pieces = ["system", "user", "assistant", "<|", "|>", "\n"]
    vocab = {t: i for i, t in enumerate(special + pieces + sorted(set(WORDS)))}
    raw = Tokenizer(models.WordLevel(vocab=vocab, unk_token="<unk>"))
    raw.pre_tokenizer = pre_tokenizers.Sequence(
        [pre_tokenizers.Split(Regex(r"<\||\|>"), behavior="isolated"), pre_tokenizers.WhitespaceSplit()]
    )
    bos, eos = FAMILY_TOKENS[family][:2]
    tok = PreTrainedTokenizerFast(
        tokenizer_object=raw, bos_token=bos, eos_token=eos, pad_token="<pad>", unk_token="<unk>"
    )
    tok.add_special_tokens({"additional_special_tokens": FAMILY_TOKENS[family][2:]})
    return tok


@pytest.mark.parametrize("family", ["llama3", "mistral", "generic"])
def test_a_base_tokenizer_gets_its_familys_template_and_the_mask_covers_each_answer_and_its_end(family):
    from crabplug_trl.models import prepare_template

    tok = tokenizer(family)
    model_type = {"llama3": "llama", "mistral": "mistral", "generic": "gpt2"}[family]
    assert prepare_template(tok, model_type, None) == "assistant_only"
    end = "<|eot_id|>" if family == "llama3" else "</s>"
    assert tok.eos_token == end  # generation stops where a turn ends
    out = tok.apply_chat_template(CHAT, tokenize=True, return_dict=True, return_assistant_tokens_mask=True)
    ids, mask = out["input_ids"], out["assistant_masks"]
    trained = tok.decode([i for i, m in zip(ids, mask, strict=True) if m], skip_special_tokens=False)
    assert trained.split() == ["the", "sea", "is", "blue", end, "red", "green", "blue", end]
    prompt = tok.apply_chat_template(CHAT[:2], tokenize=False, add_generation_prompt=True)
    assert "use the word blue" in prompt and "keep under ten words" in prompt


def test_an_explicit_template_file_wins_and_a_missing_one_is_one_sentence(tmp_path):
    from crabplug_trl.models import prepare_template

    tok = tokenizer("generic")
    path = tmp_path / "t.jinja"
    path.write_text("{% for m in messages %}{{ m['content'] }} {% endfor %}")
    assert prepare_template(tok, None, str(path)) == "completion_only"  # no generation markers in it
    with pytest.raises(ConfigError, match=r"^no chat template file nope\.jinja: give a \.jinja file or one of"):
        prepare_template(tok, None, "nope.jinja")


def test_a_template_trl_knows_is_kept_and_trl_swaps_in_its_training_variant():
    from importlib import resources

    from crabplug_trl.models import prepare_template

    original = resources.files("trl").joinpath("chat_templates", "llama3.jinja").read_text()
    tok = tokenizer("llama3")
    tok.chat_template = original
    assert prepare_template(tok, "llama", None) == "assistant_only"
    assert tok.chat_template == original  # the saved tokenizer keeps the model's own template
