"""The dataset card's `language:` lists the languages the responses are written in (most frequent first), not
`en` whatever the seeds."""

from __future__ import annotations

import json
import subprocess
import sys

FR = (
    "Le thé est une boisson très ancienne. On le prépare avec des feuilles séchées et de l'eau chaude. "
    "Beaucoup de gens le boivent le matin, avec un peu de lait ou de sucre, et parfois avec du citron."
)
DE = (
    "Der Tee ist ein sehr altes Getränk. Man bereitet ihn mit getrockneten Blättern und heißem Wasser zu. "
    "Viele Menschen trinken ihn am Morgen, mit etwas Milch oder Zucker, und manchmal mit Zitrone."
)


def test_the_card_names_the_languages_of_the_responses(tmp_path):
    rows = [{"instruction": f"Question {i} ?", "output": f"{FR} ({i})"} for i in range(4)]
    rows += [{"instruction": f"Frage {i}?", "output": f"{DE} ({i})"} for i in range(2)]
    (tmp_path / "seeds.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    config = tmp_path / "c.yaml"
    config.write_text(
        f"name: lang\nrun_dir: {tmp_path / 'run'}\nseeds: [{{plugin: jsonl, path: "
        f"{tmp_path / 'seeds.jsonl'}}}]\nback_translators: [rules]\ncombiner: {{plugin: crab}}\n"
        "outputs: [{plugin: card, plots: false}]\n"
    )
    done = subprocess.run(
        [sys.executable, "-m", "crabplug", "run", str(config), "-q"], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    card = (tmp_path / "run" / "README.md").read_text(encoding="utf-8")
    assert "language:\n- fr\n- de\npretty_name:" in card, card[:400]
