"""The ``sft`` and ``dpo`` trainers: trl's SFTTrainer and DPOTrainer on a run directory's dataset files.

Importing this module is cheap; torch, transformers, trl and peft load inside :meth:`train`. Every input is
checked first (data files, base model), so a bad config fails in one sentence before anything heavy loads.
Under ``accelerate launch`` the same code runs on every process; accelerate (FSDP, DeepSpeed) does the
distribution, and only the main process writes the tokenizer and the model card.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any, ClassVar

import attrs

from crabplug import ConfigError, Context


@attrs.define
class TrainOptions:
    """Options every trl trainer shares."""

    base_model: str = ""
    """The model to start from: a Hugging Face id (``mistralai/Mistral-7B-v0.3``) or a checkpoint directory."""
    output_dir: str = ""
    """Where the trained model is saved (relative: inside the run directory); default ``models/<trainer>``."""
    epochs: float = 1.0
    """Passes over the training rows."""
    lr: float = 2.0e-5
    """Peak learning rate (write it with a dot in YAML, e.g. ``2.0e-5``)."""
    lr_scheduler: str = "cosine"
    """transformers learning-rate schedule (``cosine``, ``linear``, ``constant_with_warmup``...)."""
    warmup: float = 0.03
    """Warm-up: a share of the training steps when below 1, else a number of steps."""
    batch_size: int = 8
    """Rows per device per step."""
    grad_accum: int = 1
    """Steps accumulated per optimizer update (effective batch = batch_size x grad_accum x devices)."""
    max_length: int = 2048
    """Tokens per row (longer rows are truncated)."""
    max_steps: int | None = None
    """Stop after this many optimizer updates (overrides ``epochs``; to try a config quickly)."""
    lora: bool = False
    """Train LoRA adapters (peft) instead of every weight; the adapters are merged into the saved model."""
    lora_r: int = 16
    """LoRA rank."""
    lora_alpha: int = 32
    """LoRA scaling numerator (alpha / r scales the update)."""
    lora_dropout: float = 0.05
    """Dropout on the LoRA branch."""
    bf16: bool | None = None
    """bfloat16 mixed precision; None: on when a GPU supports it, off on CPU. On a GPU the weights are bfloat16 too;
    ``true`` on a CPU keeps float32 weights and runs the layers under bfloat16 autocast (about 1.9x faster for a
    135M model on a CPU with AVX-512 BF16; the updates stay float32)."""
    gradient_checkpointing: bool = False
    """Recompute activations in the backward pass: much less GPU memory for about 30% more time."""
    chat_template: str | None = None
    """A ``.jinja`` chat template file, or ``llama3``/``mistral``/``generic`` (shipped); None: see docs/training.md."""
    report_to: str = "none"
    """Where metrics also go: ``none``, ``tensorboard``, ``wandb``, ``tensorboard,wandb`` (when installed), ``all``."""
    logging_steps: int = 10
    """Log loss and learning rate every this many updates."""
    save_steps: int | None = None
    """Also write a checkpoint every this many updates (None: only the final model)."""
    save_total_limit: int | None = None
    """Keep only the newest this many checkpoints (None: all); a resume needs only the newest, and one checkpoint of
    a 135M model with its optimizer state is about 1.6 GB."""
    resume: bool = True
    """Continue from the newest complete ``checkpoint-N`` in ``output_dir`` (written every ``save_steps``): a stopped
    or killed run loses only the steps since it."""
    seed: int | None = None
    """Training seed (data order, initialisation of adapters); None: the run's seed."""
    sampling: str = attrs.field(
        default="random", validator=attrs.validators.in_(("random", "group_by_length", "sequential"))
    )
    """Order of the rows: ``random``, ``group_by_length`` (random groups of rows of like length: little padding, so
    less time a step where lengths vary) or ``sequential``."""

    def check_options(self) -> None:
        """Fail in one sentence on a ``report_to`` integration that is not installed or a missing template file."""
        import importlib.util

        from crabplug_trl import models

        needs = {"tensorboard": ("tensorboard", "tensorboardX"), "wandb": ("wandb",), "mlflow": ("mlflow",)}
        for target in [t.strip() for t in self.report_to.split(",")]:
            if target in ("none", "all", ""):
                continue
            modules = needs.get(target, (target,))
            if not any(importlib.util.find_spec(m) for m in modules):
                raise ConfigError(f"report_to: {target} is not installed here: pip install {modules[0]}, or use none")
        if self.chat_template:
            models.template_text(self.chat_template)

    def out_dir(self, ctx: Context) -> Path:
        """The directory the model is saved in."""
        return _in_run(ctx.run_dir, self.output_dir or f"models/{self.name}")

    def common_args(self, ctx: Context, out: Path) -> dict[str, Any]:
        """TrainingArguments shared by SFTConfig and DPOConfig."""
        import torch

        cuda = torch.cuda.is_available()
        bf16 = (cuda and torch.cuda.is_bf16_supported()) if self.bf16 is None else self.bf16
        warmup: int | float = self.warmup if self.warmup < 1 else int(self.warmup)
        return {
            "output_dir": str(out),
            "num_train_epochs": self.epochs,
            "max_steps": self.max_steps if self.max_steps is not None else -1,
            "learning_rate": self.lr,
            "lr_scheduler_type": self.lr_scheduler,
            "warmup_steps": warmup,
            "per_device_train_batch_size": self.batch_size,
            "gradient_accumulation_steps": self.grad_accum,
            "max_length": self.max_length,
            "bf16": bf16,
            "use_cpu": not cuda,
            "gradient_checkpointing": self.gradient_checkpointing,
            "report_to": [t.strip() for t in self.report_to.split(",")] if "," in self.report_to else self.report_to,
            "logging_steps": self.logging_steps,
            "save_strategy": "steps" if self.save_steps else "no",
            "save_steps": self.save_steps or 500,
            "save_total_limit": self.save_total_limit,
            "seed": ctx.seed if self.seed is None else self.seed,
            "train_sampling_strategy": self.sampling,
            # strings: the args are logged as JSON; on a CPU bf16 is autocast over float32 weights
            "model_init_kwargs": {"dtype": "bfloat16" if bf16 and cuda else "float32"},
        }

    def peft_config(self) -> Any:
        """The LoRA config when ``lora`` is on."""
        if not self.lora:
            return None
        try:
            from peft import LoraConfig
        except ImportError:
            raise ConfigError("lora: true needs peft: pip install 'crabplug[lora]'") from None
        return LoraConfig(
            r=self.lora_r,
            lora_alpha=self.lora_alpha,
            lora_dropout=self.lora_dropout,
            target_modules="all-linear",
            task_type="CAUSAL_LM",
        )


def _in_run(run_dir: Path, path: str) -> Path:
    p = Path(path).expanduser()
    return p if p.is_absolute() or path.startswith(("./", "../")) else run_dir / p


@attrs.define
class SFT(TrainOptions):
    """Supervised fine-tuning (trl SFTTrainer) on the CRAB mix: forward task, reverse task, general data."""

    name: ClassVar[str] = "sft"

    data: str = "sft.jsonl"
    """Forward-task rows (``{"messages": [...]}``), relative to the run directory; every row is used once."""
    reverse_data: str | None = "backtranslation.jsonl"
    """Reverse-task rows (constraint back-translation as training), same format; None (or no such file): none."""
    reverse_share: float | None = None
    """The reverse task's share of the CRAB part (paper: 0.3); rows are sampled or repeated to reach it; None: all."""
    general_data: str | None = None
    """A JSONL file of general conversations (``messages``), e.g. ShareGPT, relative to the current directory."""
    general_share: float | None = None
    """The general data's share of the whole mix (paper: about 0.8); None: every general row."""
    packing: bool = False
    """Pack several rows into each ``max_length`` sequence (faster; rows still do not attend to each other)."""

    def __attrs_post_init__(self) -> None:
        for key in ("reverse_share", "general_share"):
            share = getattr(self, key)
            if share is not None and not 0 <= share < 1:
                raise ValueError(f"{key} must be at least 0 and below 1, got {share}")

    def check(self, ctx: Context) -> None:
        """Fail now, in one sentence, on a missing data file or base model (reads the files, loads nothing)."""
        self.check_options()
        self._mix(ctx)
        self._base(ctx)

    def _base(self, ctx: Context) -> str:
        from crabplug_trl import models

        if not self.base_model:
            raise ConfigError("trainer 'sft' needs base_model: a Hugging Face id or a checkpoint directory")
        return models.resolve_model(self.base_model, ctx.registry)

    def _mix(self, ctx: Context) -> tuple[list[dict[str, Any]], dict[str, int]]:
        from crabplug_trl import data

        return data.sft_mix(
            ctx.run_dir,
            forward=self.data,
            reverse=self.reverse_data,
            reverse_share=self.reverse_share,
            general=self.general_data,
            general_share=self.general_share,
            seed=ctx.seed if self.seed is None else self.seed,
        )

    def train(self, ctx: Context) -> Path:
        """Fine-tune ``base_model`` on the mix and save it (with tokenizer and card) to ``output_dir``."""
        from crabplug_trl import models

        self.check_options()
        rows, counts = self._mix(ctx)
        base = self._base(ctx)

        from datasets import Dataset
        from transformers import AutoConfig
        from trl import SFTConfig, SFTTrainer

        tok = models.load_tokenizer(base)
        model_type = getattr(AutoConfig.from_pretrained(base), "model_type", None)
        loss = models.prepare_template(tok, model_type, self.chat_template)
        if loss == "assistant_only":
            dataset = Dataset.from_list(rows)
        else:  # a template trl cannot mark: train on the final answer (the completion) only
            pairs = [{"prompt": r["messages"][:-1], "completion": r["messages"][-1:]} for r in rows]
            dataset = Dataset.from_list(pairs)
        out = self.out_dir(ctx)
        args = SFTConfig(
            **self.common_args(ctx, out),
            packing=self.packing,
            assistant_only_loss=loss == "assistant_only",
            completion_only_loss=True if loss == "completion_only" else None,
            dataset_num_proc=None,
        )
        trainer = _build(SFTTrainer, base, args, dataset, tok, self.peft_config())
        data_info = {"rows": len(rows), **{f"rows.{k}": v for k, v in counts.items()}, "loss_on": loss}
        return _finish(self, ctx, trainer, tok, out, base, data_info)


@attrs.define
class DPO(TrainOptions):
    """Direct preference optimisation (trl DPOTrainer) on dpo.jsonl, by default from the SFT model of this run."""

    name: ClassVar[str] = "dpo"

    base_model: str = ""
    """The model to start from; empty: the model the previous trainer saved, else the config's sft output."""
    data: str = "dpo.jsonl"
    """Preference pairs (``prompt``, ``chosen``, ``rejected``: strings or message lists), relative to the run dir."""
    lr: float = 5.0e-7
    """Peak learning rate (DPO wants a much smaller one than SFT)."""
    beta: float = 0.1
    """DPO temperature: how far the policy may move from the reference model."""

    def check(self, ctx: Context) -> None:
        """Fail now on missing pairs, or a missing base model when one is named (the SFT model comes later)."""
        from crabplug_trl import data, models

        self.check_options()
        data.dpo_pairs(data.resolve(ctx.run_dir, self.data))
        if self.base_model:
            models.resolve_model(self.base_model, ctx.registry)

    def train(self, ctx: Context) -> Path:
        """Optimise the model on the preference pairs and save it (with tokenizer and card) to ``output_dir``."""
        from crabplug_trl import data, models

        self.check_options()
        pairs = data.dpo_pairs(data.resolve(ctx.run_dir, self.data))
        base = models.resolve_model(self._start(ctx), ctx.registry)

        from datasets import Dataset
        from transformers import AutoConfig
        from trl import DPOConfig, DPOTrainer

        tok = models.load_tokenizer(base)
        if self.chat_template or not getattr(tok, "chat_template", None):
            model_type = getattr(AutoConfig.from_pretrained(base), "model_type", None)
            models.prepare_template(tok, model_type, self.chat_template)
        out = self.out_dir(ctx)
        args = DPOConfig(**self.common_args(ctx, out), beta=self.beta, dataset_num_proc=None)
        trainer = _build(DPOTrainer, base, args, Dataset.from_list(pairs), tok, self.peft_config())
        return _finish(self, ctx, trainer, tok, out, base, {"pairs": len(pairs)})

    def _start(self, ctx: Context) -> str:
        if self.base_model:
            return self.base_model
        previous = ctx.stats.get("_models") or []
        if previous:
            return str(previous[-1])
        # run on its own (crabplug train --only dpo): the output of the config's sft trainer, if it is there
        specs = [s for s in getattr(ctx.config, "train", ()) if s.plugin == "sft"]
        sft = _in_run(ctx.run_dir, (specs[-1].options.get("output_dir") if specs else None) or "models/sft")
        if (sft / "config.json").is_file():
            return str(sft)
        raise ConfigError("trainer 'dpo' has no model to start from: run the sft trainer first or set base_model")


def latest_checkpoint(out: Path) -> Path | None:
    """The newest complete ``checkpoint-N`` directory in ``out`` (one with its trainer state), or None."""
    found = []
    for p in out.glob("checkpoint-*"):
        m = re.fullmatch(r"checkpoint-(\d+)", p.name)
        if m and (p / "trainer_state.json").is_file():
            found.append((int(m.group(1)), p))
    return max(found)[1] if found else None


def _build(cls: type, base: str, args: Any, dataset: Any, tok: Any, peft_config: Any) -> Any:
    try:
        return cls(model=base, args=args, train_dataset=dataset, processing_class=tok, peft_config=peft_config)
    except OSError as err:
        raise ConfigError(f"cannot load the model {base!r}: {str(err).splitlines()[0]}") from None


def _finish(
    trainer_opts: TrainOptions, ctx: Context, trainer: Any, tok: Any, out: Path, base: str, data_info: dict
) -> Path:
    """Train, save model + tokenizer + card + metrics, and record the model for the next trainer."""
    from crabplug_trl.card import write_card

    checkpoint = latest_checkpoint(out) if trainer_opts.resume else None
    started = time.perf_counter()
    result = trainer.train(resume_from_checkpoint=str(checkpoint) if checkpoint else None)
    seconds = time.perf_counter() - started
    metrics = _metrics(result.metrics, trainer.state.log_history, seconds)
    if checkpoint is not None:
        metrics["resumed_from"] = checkpoint.name
    model = trainer.model
    if trainer_opts.lora and trainer.args.world_size == 1:
        model = model.merge_and_unload()  # a plain transformers checkpoint, loadable without peft
        trainer.model = model
    trainer.save_model(str(out))
    if trainer.is_world_process_zero():
        tok.save_pretrained(str(out))
        (out / "log_history.json").write_text(json.dumps(trainer.state.log_history, indent=1) + "\n", encoding="utf-8")
        write_card(
            out,
            kind=trainer_opts.name,
            base=base,
            options=attrs.asdict(trainer_opts),
            data=data_info,
            metrics=metrics,
            run_dir=ctx.run_dir,
        )
    trainer.accelerator.wait_for_everyone()  # the next trainer reads what the main process wrote
    ctx.stats.setdefault("_models", []).append(out)
    ctx.stats.setdefault("train", {})[trainer_opts.name] = {"model": str(out), **data_info, **metrics}
    return out


def _metrics(final: dict[str, Any], history: list[dict[str, Any]], seconds: float) -> dict[str, Any]:
    losses = [h["loss"] for h in history if "loss" in h]
    tokens = max((h.get("num_tokens", 0) for h in history), default=0)
    out: dict[str, Any] = {
        "train_loss": final.get("train_loss"),
        "first_loss": losses[0] if losses else None,
        "last_loss": losses[-1] if losses else None,
        "steps": history[-1].get("step") if history else None,
        "seconds": round(seconds, 2),
    }
    if tokens:
        out["tokens"] = int(tokens)
        out["tokens_per_second"] = round(tokens / seconds, 1) if seconds else None
    for key in ("rewards/accuracies", "rewards/margins"):
        values = [h[key] for h in history if key in h]
        if values:
            out[key.replace("/", "_")] = values[-1]
    return {k: v for k, v in out.items() if v is not None}
