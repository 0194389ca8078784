"""The ``grpo`` trainer: RL with verifiable rewards (IF-RLVR) on trl's GRPOTrainer, rewards from crabplug.rewards.

It reads the ``rlvr`` output (``rlvr.jsonl``: a prompt and its constraints per row), samples ``num_generations``
completions per prompt and rewards each with the share of the prompt's constraints it meets (code checks; an
LLM judge for soft constraints when ``judge`` is set). Every row is validated before the model loads, so a row
naming an unknown type or bad kwargs is one sentence, never a silent zero reward. Logs mean reward and the
pass rate of each constraint type; saves the model with its card; resumes from its checkpoints. docs/rlvr.md.
"""

from __future__ import annotations

import importlib.util
import json
import time
from pathlib import Path
from typing import Any, ClassVar

import attrs

from crabplug import ConfigError, Context, CrabError
from crabplug_trl.trainers import TrainOptions, _in_run, latest_checkpoint


@attrs.define
class GRPO(TrainOptions):
    """Group relative policy optimisation (trl GRPOTrainer) on rlvr.jsonl, rewarded by the prompts' constraints."""

    name: ClassVar[str] = "grpo"

    base_model: str = ""
    """The model to start from: a checkpoint, a Hugging Face id, ``local/smollm2-135m``; empty: the last one trained."""
    data: str = "rlvr.jsonl"
    """Prompt rows (``prompt`` messages + ``constraints``) from the ``rlvr`` output, relative to the run directory."""
    lr: float = 1.0e-6
    """Peak learning rate (RL wants a small one; trl's default)."""
    batch_size: int = 8
    """Completions per device per step (a multiple of num_generations, times grad_accum)."""
    num_generations: int = 8
    """Completions sampled per prompt: the group whose mean reward is the baseline."""
    max_completion_length: int = 512
    """Most tokens in one completion."""
    beta: float = 0.0
    """KL penalty towards the starting model (0: none, trl's default; IF-RLVR's open-instruct runs used 0.01)."""
    temperature: float = 1.0
    """Sampling temperature of the completions."""
    loose: bool = False
    """Reward with IFEval's loose check instead of the strict one."""
    soft_weight: float = 1.0
    """Weight of LLM-judged constraints next to code-checked ones (0: ignore them, no judge needed)."""
    judge: dict[str, Any] | None = None
    """LLM settings for constraints no code can check (``model``, ``api_base``, ``max_cost``...; see docs/llm.md)."""
    use_vllm: bool | None = None
    """Generate with vLLM (colocated); None: when vllm is installed and a GPU is present."""
    log_completions: bool = False
    """Also print a sample of prompts, completions and rewards at each log."""
    held_out: int = 0
    """The last N prompts of the file are not trained on: their mean reward is measured every ``eval_steps`` (and
    logged as ``eval_reward``), so learning shows apart from the difficulty of each step's new prompts; 0: none."""
    eval_steps: int = 10
    """Steps between two measurements on the held-out prompts."""

    def __attrs_post_init__(self) -> None:
        if self.num_generations < 2:
            raise ValueError("num_generations must be at least 2 (the group's mean is the baseline)")
        if (self.batch_size * self.grad_accum) % self.num_generations:
            raise ValueError(
                f"batch_size x grad_accum ({self.batch_size * self.grad_accum}) must be a multiple of "
                f"num_generations ({self.num_generations})"
            )

    def reward(self, ctx: Context) -> Any:
        """The reward function trl calls (crabplug.rewards.ConstraintReward with this trainer's options)."""
        from crabplug.rewards import ConstraintReward

        judge = self.judge
        if judge is not None and not judge.get("cache_path"):  # judge answers survive a resume
            judge = {**judge, "cache_path": str(self.out_dir(ctx) / "judge-cache.sqlite")}
        return ConstraintReward(
            loose=self.loose, judge=judge, soft_weight=self.soft_weight, registry=ctx.registry, name="constraints"
        )

    def rows(self, ctx: Context, reward: Any) -> list[dict[str, Any]]:
        """The training rows, each validated by the reward (unknown type, bad kwargs: a sentence naming the row)."""
        path = _in_run(ctx.run_dir, self.data)
        if not path.is_file():
            raise ConfigError(f"trainer 'grpo': no prompt file {path}: add the rlvr output to the config's outputs")
        rows = []
        with path.open(encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                    prompt = row.get("prompt") if isinstance(row, dict) else None
                    if not (isinstance(prompt, str) and prompt) and not (isinstance(prompt, list) and prompt):
                        raise CrabError(f"row {n}: needs a 'prompt' (text or messages)")
                    reward.validate_row(row, n)
                except json.JSONDecodeError:
                    raise ConfigError(f"{path}:{n}: not a JSON line") from None
                except CrabError as err:
                    raise ConfigError(f"{path}: {err}") from None
                # constraints as JSON text: Arrow cannot hold kwargs of different shapes in one column
                constraints = {k: json.dumps(row[k]) if k != "ground_truth" else row[k] for k in _COLUMNS if k in row}
                rows.append({"prompt": prompt, **constraints})
        if not rows:
            raise ConfigError(f"trainer 'grpo': {path} has no rows")
        return rows

    def check(self, ctx: Context) -> None:
        """Fail now on a missing or bad prompt file, or a missing base model when one is named."""
        from crabplug_trl import models

        self.check_options()
        if self.use_vllm and importlib.util.find_spec("vllm") is None:
            raise ConfigError("use_vllm: true needs vllm: pip install vllm (on a GPU machine), or set use_vllm: null")
        self.rows(ctx, self.reward(ctx))
        if self.base_model and not self.base_model.startswith("local/"):
            models.resolve_model(self.base_model)

    def _start(self, ctx: Context) -> str:
        if self.base_model:
            pm = getattr(ctx.registry, "pm", None)  # local/NAME: a plugin serves it as a checkpoint directory
            served = pm.hook.resolve_model_path(name=self.base_model) if pm is not None else None
            return served or self.base_model
        previous = ctx.stats.get("_models") or []
        if previous:
            return str(previous[-1])
        raise ConfigError("trainer 'grpo' has no model to start from: set base_model (or train sft/dpo before it)")

    def split(self, rows: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """(prompts trained on, held-out prompts): the last ``held_out`` rows are held back."""
        if not self.held_out:
            return rows, []
        if self.held_out >= len(rows):
            raise ConfigError(
                f"trainer 'grpo': held_out {self.held_out} leaves none of the {len(rows)} prompts to train on"
            )
        return rows[: -self.held_out], rows[-self.held_out :]

    def held_out_args(self) -> dict[str, Any]:
        """GRPOConfig's evaluation settings when prompts are held out (trl samples num_generations for each)."""
        if not self.held_out:
            return {}
        return {"eval_strategy": "steps", "eval_steps": self.eval_steps, "per_device_eval_batch_size": self.batch_size}

    def grpo_args(self, ctx: Context, out: Path) -> dict[str, Any]:
        """GRPOConfig's arguments: the shared training options plus GRPO's own."""
        import torch

        args = self.common_args(ctx, out)
        args.pop("max_length")  # GRPO bounds the completion instead
        use_vllm = self.use_vllm
        if use_vllm is None:
            use_vllm = torch.cuda.is_available() and importlib.util.find_spec("vllm") is not None
        elif use_vllm and importlib.util.find_spec("vllm") is None:
            raise ConfigError("use_vllm: true needs vllm: pip install vllm (on a GPU machine)")
        return {
            **args,
            "num_generations": self.num_generations,
            "max_completion_length": self.max_completion_length,
            "beta": self.beta,
            "temperature": self.temperature,
            "use_vllm": bool(use_vllm),
            "log_completions": self.log_completions,
        }

    def train(self, ctx: Context) -> Path:
        """Optimise the model on the prompts' rewards and save it (with tokenizer and card) to ``output_dir``."""
        from crabplug_trl import models

        self.check_options()
        reward = self.reward(ctx)
        rows = self.rows(ctx, reward)
        base = models.resolve_model(self._start(ctx))
        rows, held = self.split(rows)

        from datasets import Dataset
        from transformers import AutoConfig
        from trl import GRPOConfig

        tok = models.load_tokenizer(base)
        if self.chat_template or not getattr(tok, "chat_template", None):
            model_type = getattr(AutoConfig.from_pretrained(base), "model_type", None)
            models.prepare_template(tok, model_type, self.chat_template)
        out = self.out_dir(ctx)
        args = GRPOConfig(**self.grpo_args(ctx, out), **self.held_out_args())
        trainer_cls = _trainer_class()
        try:
            trainer = trainer_cls(
                model=base,
                reward_funcs=[reward],
                args=args,
                train_dataset=Dataset.from_list(rows),
                eval_dataset=Dataset.from_list(held) if held else None,
                processing_class=tok,
                peft_config=self.peft_config(),
            )
        except OSError as err:
            raise ConfigError(f"cannot load the model {base!r}: {str(err).splitlines()[0]}") from None
        trainer.crab_reward = reward
        checkpoint = latest_checkpoint(out) if self.resume else None
        started = time.perf_counter()
        trainer.train(resume_from_checkpoint=str(checkpoint) if checkpoint else None)
        seconds = time.perf_counter() - started
        return self._save(ctx, trainer, tok, out, base, rows, reward, checkpoint, seconds)

    def _save(
        self, ctx: Context, trainer: Any, tok: Any, out: Path, base: str, rows: list, reward: Any, ckpt: Any, sec: float
    ) -> Path:
        from crabplug_trl.card import write_card

        history = trainer.state.log_history
        metrics = reward_metrics(history)
        metrics.update(steps=trainer.state.global_step, seconds=round(sec, 2))
        if ckpt is not None:
            metrics["resumed_from"] = ckpt.name
        if self.lora and trainer.args.world_size == 1:
            trainer.model = trainer.model.merge_and_unload()  # a plain transformers checkpoint
        trainer.save_model(str(out))
        data = {"rows": len(rows), "file": self.data, "loose": self.loose, "judge": bool(self.judge)}
        if trainer.is_world_process_zero():
            tok.save_pretrained(str(out))
            (out / "log_history.json").write_text(json.dumps(history, indent=1) + "\n", encoding="utf-8")
            options = {k: v for k, v in attrs.asdict(self).items() if k != "judge"}  # no endpoints in the card
            write_card(out, kind=self.name, base=base, options=options, data=data, metrics=metrics, run_dir=ctx.run_dir)
        trainer.accelerator.wait_for_everyone()
        ctx.stats.setdefault("_models", []).append(out)
        ctx.stats.setdefault("train", {})[self.name] = {"model": str(out), **data, **metrics}
        return out


_COLUMNS = ("constraints", "instruction_id_list", "kwargs", "ground_truth")


def reward_metrics(history: list[dict[str, Any]]) -> dict[str, Any]:
    """First and last logged mean reward and the last pass rate per constraint type, for the model card."""
    rewards = [h["reward"] for h in history if h.get("reward") is not None]
    out: dict[str, Any] = {}
    if rewards:
        out.update(first_reward=round(rewards[0], 4), last_reward=round(rewards[-1], 4))
    held = [[h.get("step"), round(h["eval_reward"], 4)] for h in history if h.get("eval_reward") is not None]
    if held:
        out["held_out_reward"] = held  # [step, mean reward on the held-out prompts]
    for h in history:
        out.update({k: v for k, v in h.items() if k.startswith("pass_rate/")})
    return out


def _trainer_class() -> type:
    """trl's GRPOTrainer, logging each constraint type's pass rate next to the mean reward."""
    from trl import GRPOTrainer

    class CrabGRPOTrainer(GRPOTrainer):
        crab_reward: Any = None

        def log(self, logs: dict[str, float], start_time: float | None = None) -> None:
            if self.crab_reward is not None:  # the held-out prompts' pass rates are logged apart from training's
                prefix = "" if self.model.training else "eval_"
                logs.update({f"{prefix}pass_rate/{t}": round(r, 4) for t, r in self.crab_reward.take_stats().items()})
            super().log(logs, start_time)

    return CrabGRPOTrainer
