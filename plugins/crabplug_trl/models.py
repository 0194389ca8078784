"""Base models and tokenizers: where a model comes from, and a chat template fit for assistant-only loss."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path
from typing import Any

from crabplug import ConfigError

#: template file (in this package's templates/) for a base model without a chat template, by family
FAMILY_TEMPLATES = {"llama3": "llama3.jinja", "mistral": "mistral.jinja", "generic": "generic.jinja"}


def _offline() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "").lower() in {"1", "true", "yes", "on"}


def resolve_model(name: str, registry: Any = None) -> str:
    """A local checkpoint directory, or a Hugging Face model id that is cached (or downloadable when online).

    A model string a plugin serves (``local/smollm2-135m``: the ``resolve_model_path`` hook of ``registry``'s
    plugins) becomes that plugin's checkpoint directory, for every trainer alike. Fails in one sentence, without
    touching the network, for a path that does not exist, a directory that is not a checkpoint, or a hub id that
    is not cached while ``HF_HUB_OFFLINE`` is set.
    """
    pm = getattr(registry, "pm", None)
    served = pm.hook.resolve_model_path(name=name) if pm is not None and name else None
    name = served or name
    path = Path(name).expanduser()
    if path.is_dir():
        if not (path / "config.json").is_file():
            raise ConfigError(f"base model {name} is a directory without config.json: give a Hugging Face checkpoint")
        return str(path)
    looks_local = name.startswith(("/", "./", "../", "~")) or name.count("/") > 1 or not name.strip()
    if looks_local or path.exists():
        raise ConfigError(f"no model directory {name}: give an existing checkpoint directory or a Hugging Face id")
    from huggingface_hub import try_to_load_from_cache

    try:
        cached = isinstance(try_to_load_from_cache(name, "config.json"), str)
    except ValueError:  # not a valid repo id
        raise ConfigError(
            f"no model directory {name}: give an existing checkpoint directory or a Hugging Face id"
        ) from None
    if cached:
        return name
    if _offline():
        raise ConfigError(
            f"model {name!r} is neither a local directory nor in the Hugging Face cache, and HF_HUB_OFFLINE is set"
        )
    _check_hub(name)
    return name


def _check_hub(name: str) -> None:
    """Fetch ``config.json`` (a few kB) now, so a wrong, gated or unreachable model is one sentence, not a traceback."""
    from huggingface_hub import hf_hub_download
    from huggingface_hub.errors import GatedRepoError, LocalEntryNotFoundError, RepositoryNotFoundError

    try:
        hf_hub_download(name, "config.json")
    except GatedRepoError:
        raise ConfigError(
            f"model {name!r} is gated: accept its license on huggingface.co and log in (hf auth login)"
        ) from None
    except RepositoryNotFoundError:
        raise ConfigError(f"no model {name!r} on the Hugging Face Hub (or it is private: log in first)") from None
    except LocalEntryNotFoundError:
        raise ConfigError(
            f"model {name!r} is not in the Hugging Face cache and the Hub cannot be reached: "
            "download it where there is a network, or give a local checkpoint directory"
        ) from None
    except Exception as err:  # no network, a proxy, a closed client: httpx and huggingface_hub raise many kinds
        raise ConfigError(
            f"model {name!r} is not in the Hugging Face cache and could not be fetched from the Hub "
            f"({type(err).__name__}): check the name and the network, or give a local checkpoint directory"
        ) from None


def load_tokenizer(name: str) -> Any:
    """The tokenizer of ``name`` with a pad token; one sentence when it cannot be loaded."""
    from transformers import AutoTokenizer

    try:
        tok = AutoTokenizer.from_pretrained(name)
    except (OSError, ValueError) as err:
        raise ConfigError(f"cannot load the tokenizer of {name!r}: {str(err).splitlines()[0]}") from None
    if tok.pad_token is None:
        tok.pad_token = tok.eos_token
    return tok


def family(tok: Any, model_type: str | None) -> str:
    """Which of FAMILY_TEMPLATES fits a tokenizer without a chat template."""
    vocab = tok.get_vocab()
    if "<|start_header_id|>" in vocab and "<|eot_id|>" in vocab:
        return "llama3"
    if model_type == "mistral" or "[INST]" in vocab:
        return "mistral"
    return "generic"


def template_text(name: str) -> str:
    """A template shipped with this plugin (``llama3``, ``mistral``, ``generic``) or a ``.jinja`` file's text."""
    if name in FAMILY_TEMPLATES:
        return resources.files("crabplug_trl").joinpath("templates", FAMILY_TEMPLATES[name]).read_text("utf-8")
    path = Path(name).expanduser()
    if not path.is_file():
        raise ConfigError(f"no chat template file {name}: give a .jinja file or one of {', '.join(FAMILY_TEMPLATES)}")
    return path.read_text(encoding="utf-8")


def has_generation_markers(template: Any) -> bool:
    """Whether a chat template marks assistant text with ``{% generation %}`` (needed for assistant-only loss)."""
    if isinstance(template, dict):
        template = template.get("default", "")
    return isinstance(template, str) and "generation" in template and "endgeneration" in template


def _install(tok: Any, name: str) -> None:
    tok.chat_template = template_text(name)
    if name == "llama3" and "<|eot_id|>" in tok.get_vocab():
        # a turn ends with <|eot_id|>: as the end-of-sequence token, generation stops there after training
        tok.eos_token = "<|eot_id|>"


def prepare_template(tok: Any, model_type: str | None, chat_template: str | None) -> str:
    """Give ``tok`` a chat template and say which loss it allows: ``assistant_only`` or ``completion_only``.

    An explicit ``chat_template`` (file or family name) wins. Else the tokenizer's own template is kept when it
    has ``{% generation %}`` markers or trl knows a training variant of it; a tokenizer without a template gets
    this plugin's template for its family. Otherwise (a template trl cannot patch) the loss falls back to the
    completion (last assistant turn) only, which is the same for crabplug's single-turn rows.
    """
    if chat_template:
        _install(tok, chat_template)
        return "assistant_only" if has_generation_markers(tok.chat_template) else "completion_only"
    if not getattr(tok, "chat_template", None):
        _install(tok, family(tok, model_type))
        return "assistant_only"
    if has_generation_markers(tok.chat_template):
        return "assistant_only"
    from trl.chat_template_utils import get_training_chat_template

    try:
        get_training_chat_template(tok)
    except Exception:  # trl raises ValueError for templates it cannot patch; any failure means the same here
        return "completion_only"
    return "assistant_only"  # trl swaps in its training variant while it trains, the saved template is unchanged
