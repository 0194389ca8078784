# Excerpts, unmodified, of allenai/open-instruct at commit e6c3044aa6201c8bfa4573c1b03142af599e730d
# (https://github.com/allenai/open-instruct, Apache-2.0, see LICENSE next to this file):
#   open_instruct/dataset_transformation.py  lines 868-871, 921-923, 941, 1080, 1606-1649, 1691-1761
#                                            (RLVR row loading: rlvr_tokenize_v1, the default, and v3)
#   open_instruct/ground_truth_utils.py      lines 96-100, 186-196, 310-354 (the IFEval verifier)
# Only the imports below and the lines marked "crabplug test glue" are added or changed, so that the excerpts run
# without the rest of open-instruct. Used by tests/test_rlvr_open_instruct.py only; crabplug never imports it.
# ruff: noqa
import ast
import copy
import dataclasses
import json
import logging
from typing import Any

from open_instruct.IFEvalG import instructions_registry  # crabplug test glue: tests/reference/open_instruct_ifevalg

logger = logging.getLogger(__name__)  # crabplug test glue
PreTrainedTokenizer = Any  # crabplug test glue (a type annotation only)
VerifierConfig = Any  # crabplug test glue (a type annotation only)

DEFAULT_SFT_MESSAGES_KEY = "messages"
GROUND_TRUTHS_KEY = "ground_truth"
VERIFIER_SOURCE_KEY = "dataset"
RAW_PROMPT_KEY = "prompt"
TOOLS_COLUMN_KEY = "tools"
INPUT_IDS_PROMPT_KEY = "input_ids_prompt"
INPUT_IDS_KEY = "input_ids"
ATTENTION_MASK_KEY = "attention_mask"
LABELS_KEY = "labels"


def rlvr_tokenize_v1(
    row: dict[str, Any],
    tokenizer: PreTrainedTokenizer,
    sft_messages_key: str = DEFAULT_SFT_MESSAGES_KEY,
    ground_truths_key: str = GROUND_TRUTHS_KEY,
    verifier_source_key: str = VERIFIER_SOURCE_KEY,
    system_prompt_override: str | None = None,
    tool_definitions: list[dict[str, Any]] | None = None,
    pass_tools_to_chat_template: bool = True,
):
    prompt = row[sft_messages_key] if len(row[sft_messages_key]) == 1 else row[sft_messages_key][:-1]

    # Override the system prompt if provided
    if system_prompt_override:
        if prompt[0]["role"] == "system":
            prompt = prompt[1:]
        prompt = [{"role": "system", "content": system_prompt_override}] + prompt

    tools_for_template: list[dict[str, Any]] | None = None
    if pass_tools_to_chat_template and tool_definitions:
        sample_active_tools = row.get(TOOLS_COLUMN_KEY)
        if sample_active_tools is not None:
            active_tool_names = set(sample_active_tools)
            filtered_tools = [t for t in tool_definitions if t.get("function", {}).get("name") in active_tool_names]
            if filtered_tools:
                tools_for_template = filtered_tools
        else:
            tools_for_template = tool_definitions

    row[INPUT_IDS_PROMPT_KEY] = tokenizer.apply_chat_template(
        prompt,
        add_generation_prompt=True,
        return_dict=False,
        tools=tools_for_template,  # type: ignore[arg-type]
    )
    row[INPUT_IDS_KEY] = tokenizer.apply_chat_template(row[sft_messages_key], return_dict=False)
    row[ATTENTION_MASK_KEY] = [1] * len(row[INPUT_IDS_KEY])
    labels = copy.deepcopy(row[INPUT_IDS_KEY])
    row[LABELS_KEY] = labels
    row[GROUND_TRUTHS_KEY] = row[ground_truths_key]
    row[VERIFIER_SOURCE_KEY] = row[verifier_source_key]
    # concatenate all the previous messages as <role>: <content>\n <role>: <content>\n ...
    row[RAW_PROMPT_KEY] = "\n".join(f"{msg['role']}: {msg['content']}" for msg in prompt)
    return row


def _resolve_tools_for_sample(
    row: dict[str, Any], tool_definitions: list[dict[str, Any]] | None, pass_tools: bool
) -> list[dict[str, Any]] | None:
    """Resolve which tool definitions to inject into this sample's prompt.

    Filters global tool_definitions by per-sample active_tools column.
    """
    if not pass_tools or not tool_definitions:
        return None

    sample_active_tools = row.get(TOOLS_COLUMN_KEY)
    if sample_active_tools is not None:
        known_names = {t.get("function", {}).get("name") for t in tool_definitions}
        unknown = set(sample_active_tools) - known_names
        if unknown:
            logger.warning(f"Sample references unknown tools: {sorted(unknown)}. Known: {sorted(known_names)}")
        filtered = [t for t in tool_definitions if t.get("function", {}).get("name") in sample_active_tools]
        return filtered or None
    return tool_definitions


def rlvr_tokenize_v3(
    row: dict[str, Any],
    tokenizer: PreTrainedTokenizer,
    sft_messages_key: str = DEFAULT_SFT_MESSAGES_KEY,
    ground_truths_key: str = GROUND_TRUTHS_KEY,
    verifier_source_key: str = VERIFIER_SOURCE_KEY,
    system_prompt_override: str | None = None,
    tool_definitions: list[dict[str, Any]] | None = None,
    pass_tools_to_chat_template: bool = True,
):
    prompt = row.pop(sft_messages_key)
    assert len(prompt) > 0, "Empty prompt in dataset"
    # if the prompt has multiple messages, make sure we don't end in an assistant message.
    if len(prompt) > 1 and prompt[-1]["role"] == "assistant":
        prompt = prompt[:-1]
    # override the system prompt if we have a new one provided.
    if system_prompt_override:
        if prompt[0]["role"] == "system":
            del prompt[0]
        prompt = [{"role": "system", "content": system_prompt_override}] + prompt

    tools_for_template = _resolve_tools_for_sample(row, tool_definitions, pass_tools_to_chat_template)

    row[INPUT_IDS_PROMPT_KEY] = tokenizer.apply_chat_template(
        prompt,
        add_generation_prompt=True,
        return_dict=False,
        tools=tools_for_template,  # type: ignore[arg-type]
    )
    if tokenizer.pad_token_id in row[INPUT_IDS_PROMPT_KEY]:
        row[INPUT_IDS_PROMPT_KEY] = [x for x in row[INPUT_IDS_PROMPT_KEY] if x != tokenizer.pad_token_id]
    # Get the raw values from the source keys
    ground_truths_val = row[ground_truths_key]
    verifier_source_val = row[verifier_source_key]

    # Get the raw values from the source keys
    ground_truths_val = row[ground_truths_key]
    verifier_source_val = row[verifier_source_key]

    # if the verifier source is a string, we wrap it in a list (compatibility with multi-verifier datasets)
    # we also then wrap ground truths in a list to match.
    if isinstance(verifier_source_val, str):
        verifier_source_val = [verifier_source_val]
        ground_truths_val = [ground_truths_val]
    row[GROUND_TRUTHS_KEY] = ground_truths_val
    row[VERIFIER_SOURCE_KEY] = verifier_source_val

    # concatenate all the previous messages as <role>: <content>\n <role>: <content>\n ...
    row[RAW_PROMPT_KEY] = "\n".join(f"{msg['role']}: {msg['content']}" for msg in prompt)
    return row


@dataclasses.dataclass
class VerificationResult:
    score: float
    cost: float = 0.0
    reasoning: str | None = None


# small helper to optionally remove thinking section + answer output.
# assumes a certain format, so might not always be useful.
# we don't always need this -- for example, math evaluations just extract a final
# number, so we don't need to remove the thinking section.
def remove_thinking_section(prediction: str) -> str:
    prediction = prediction.replace("<|assistant|>", "").strip()
    # remove thinking section from the prediction
    prediction = prediction.split("</think>")[-1]
    # remove answer tags from the prediction
    prediction = prediction.replace("<answer>", "").replace("</answer>", "")
    return prediction.strip()


class IFEvalVerifier:  # crabplug test glue: no VerifierFunction base
    """
    Verifier for ifeval tasks that delegates evaluation to a function
    specified in the constraint.

    The constraint(s) are a list of constraint ids.
    This list is found under the key "instruction_id" in the ground_truth dict.

    """

    def __init__(self, verifier_config: VerifierConfig | None = None) -> None:
        self.name = "ifeval"  # crabplug test glue: was super().__init__("ifeval", weight=1.0)

    def __call__(
        self,
        tokenized_prediction: list[int],
        prediction: str,
        label: str | dict,
        query: str | None = None,
        rollout_state: dict | None = None,
    ) -> VerificationResult:
        instruction_dict = instructions_registry.INSTRUCTION_DICT
        constraint_dict = ast.literal_eval(label)
        constraint_dict = constraint_dict[0]
        if isinstance(constraint_dict, str):
            constraint_dict = json.loads(constraint_dict)
        answer = remove_thinking_section(prediction)
        instruction_keys = constraint_dict["instruction_id"]
        args_list = constraint_dict["kwargs"]
        rewards = []
        if len(prediction) == 0 or len(answer) == 0:
            logger.warning("Empty prediction received for IFEvalVerifier.")
            return VerificationResult(score=0.0)
        for instruction_key, args in zip(instruction_keys, args_list):
            if args is None:
                args = {}
            args = {k: v for k, v in args.items() if v is not None}
            instruction_cls = instruction_dict[instruction_key]
            instruction_instance = instruction_cls(instruction_key)
            instruction_instance.build_description(**args)
            if prediction.strip() and instruction_instance.check_following(answer):
                rewards.append(1.0)
            else:
                rewards.append(0.0)
        return VerificationResult(score=sum(rewards) / max(len(rewards), 1))
