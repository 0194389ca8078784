"""The sft and dpo trainers start from a model string a plugin serves (`local/smollm2-135m`), as grpo and the
experiment do, instead of looking for it in the Hugging Face cache."""

from __future__ import annotations

from pathlib import Path

import pytest
from trl_helpers import make_run_dir

import crabplug
from crabplug.errors import ConfigError
from crabplug.stages import Context


def test_sft_and_dpo_accept_the_embedded_model_as_base_model(tmp_path):
    from crabplug_trl import models
    from crabplug_trl.trainers import DPO, SFT

    registry = crabplug.load_plugins()
    ctx = Context(run_dir=make_run_dir(tmp_path / "run"), registry=registry)
    SFT(base_model="local/smollm2-135m").check(ctx)  # raised "not in the Hugging Face cache" before
    DPO(base_model="local/smollm2-135m").check(ctx)
    served = Path(models.resolve_model("local/smollm2-135m", registry))
    assert (served / "config.json").is_file()


def test_a_name_no_plugin_serves_is_still_one_sentence():
    from crabplug_trl import models

    with pytest.raises(ConfigError, match="unknown local model .nosuch/model."):
        models.resolve_model("local/nosuch/model", crabplug.load_plugins())
