#!/usr/bin/env bash
# A real GPU check of crabplug's GPU code paths (crabplug train sft + grpo in bf16, crabplug eval with continuous
# batching) on a bare GPU machine without network: docs/training.md, "Checking the GPU code paths".
#
#   scripts/gpu_check.sh OUT_DIR [gpu_check.py options]
#
# It reads, from GPU_CHECK_DIR (default .gpu, listed in .git/info/exclude), what was prepared where there is a
# network: wheels/ (the Python packages the machine lacks: trl, datasets, ...), data/ (a run directory from
# `crabplug run configs/experiment/data.yaml --limit 40`) and tokenizer/ (SmolLM2-135M's tokenizer files and
# config.json). GPU_CHECK_INSTALL=0 skips the installs (to try the script in a venv that has everything).
set -uo pipefail
out=${1:?usage: scripts/gpu_check.sh OUT_DIR [gpu_check.py options]}
shift
dir=${GPU_CHECK_DIR:-.gpu}
py=${PYTHON:-python3}
mkdir -p "$out"
export HF_HUB_OFFLINE=1 HF_DATASETS_OFFLINE=1 TRANSFORMERS_OFFLINE=1 PYTHONUNBUFFERED=1
export LITELLM_LOCAL_MODEL_COST_MAP=True LITELLM_MODE=PRODUCTION TOKENIZERS_PARALLELISM=false
{
  date -u
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || echo "no nvidia-smi"
  if [ "${GPU_CHECK_INSTALL:-1}" = 1 ]; then
    started=$SECONDS
    # --no-deps: each missing package is carried as its own wheel; the machine has no index to resolve from
    $py -m pip install -q --no-index --no-deps --no-compile --no-cache-dir "$dir"/wheels/*.whl || exit 2
    # crabplug and the constraint families in packages/ (IFTrain and IFBench types appear in the rlvr rows),
    # editable: their entry points register the plugins. Where the machine's setuptools is too old for these
    # pyproject.toml files (>= 77 reads an SPDX license string), the same entry points are written into
    # dist-info folders on PYTHONPATH next to the sources: what crabplug's plugin loader reads is the same.
    site=/tmp/crabplug-site
    path=""
    for project in . packages/crabplug-ifbench packages/crabplug-iftrain; do
      if $py -m pip install -q --no-index --no-deps --no-build-isolation -e "$project" >/tmp/pip-e.log 2>&1; then
        echo "editable install: $project"
        continue
      fi
      echo "editable install of $project failed ($(grep -m1 -iE 'error' /tmp/pip-e.log | head -c 200)); by hand"
      $py - "$project" "$site" <<'EOF' || exit 2
import pathlib, sys, tomllib
meta = tomllib.loads(pathlib.Path(sys.argv[1], "pyproject.toml").read_text())["project"]
info = pathlib.Path(sys.argv[2], f"{meta['name'].replace('-', '_')}-{meta['version']}.dist-info")
info.mkdir(parents=True, exist_ok=True)
info.joinpath("METADATA").write_text(f"Metadata-Version: 2.1\nName: {meta['name']}\nVersion: {meta['version']}\n")
points = "".join(f"{k} = {v}\n" for k, v in meta["entry-points"]["crabplug"].items())
info.joinpath("entry_points.txt").write_text("[crabplug]\n" + points)
EOF
      path="$path:$PWD/$project"
      [ "$project" = . ] && path="$path:$PWD/plugins"
    done
    [ -n "$path" ] && echo "export PYTHONPATH=${path#:}:$site" >"$out/env.sh"
    echo "installed in $((SECONDS - started)) s"
  fi
  $py -m pip check 2>&1 | grep -iE "crabplug|trl|datasets|transformers" || true
} 2>&1 | tee "$out/setup.log"
[ "${PIPESTATUS[0]}" = 0 ] || exit 2
if [ -f "$out/env.sh" ]; then source "$out/env.sh" && rm "$out/env.sh"; fi
# GPU memory in use every half second while the check runs: shows the work was on the GPU
if command -v nvidia-smi >/dev/null; then
  nvidia-smi --query-gpu=timestamp,memory.used,utilization.gpu --format=csv,noheader -lms 500 >"$out/gpu.csv" &
  smi=$!
fi
$py scripts/gpu_check.py --out "$out" --data "$dir/data" --tokenizer "$dir/tokenizer" "$@" 2>&1 | tee "$out/check.log"
status=${PIPESTATUS[0]}
[ -n "${smi:-}" ] && kill "$smi"
exit "$status"
