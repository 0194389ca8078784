"""The per-answer paged attention (crabplug_eval/varlen.py) against a plain masked attention, and in generation."""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")


class _Layer:
    layer_idx = 0


def _reference(q, k, v, spans, scale):
    """Each request's queries (the last n_q of its n_k positions) against its own keys, bottom-right causal, with
    every key head repeated for its query heads: attention as written in the papers, one request at a time."""
    heads, kv_heads = q.shape[1], k.shape[1]
    k = k.repeat_interleave(heads // kv_heads, dim=1)
    v = v.repeat_interleave(heads // kv_heads, dim=1)
    out = []
    for (q0, q1), (k0, k1) in spans:
        n_q, n_k = q1 - q0, k1 - k0
        scores = q[0, :, q0:q1] @ k[0, :, k0:k1].transpose(-1, -2) * scale  # [heads, n_q, n_k]
        allowed = torch.ones(n_q, n_k, dtype=torch.bool).tril(diagonal=n_k - n_q)
        scores = scores.masked_fill(~allowed, float("-inf"))
        out.append((scores.softmax(-1) @ v[0, :, k0:k1]).transpose(0, 1))  # [n_q, heads, dim]
    return torch.cat(out).unsqueeze(0)


@pytest.mark.parametrize("kv_heads", [3, 9])
def test_each_request_attends_to_its_own_keys_causally(kv_heads):
    from crabplug_eval.varlen import varlen_sdpa_forward

    gen = torch.Generator().manual_seed(0)
    # a decoding answer (1 new token, 7 keys), a whole prompt (5 of 5), a later chunk of a prompt (3 new of 8 keys)
    n_q, n_k = [1, 5, 3], [7, 5, 8]
    cu_q = torch.tensor([0, 1, 6, 9], dtype=torch.int32)
    cu_k = torch.tensor([0, 7, 12, 20], dtype=torch.int32)
    heads, dim = 9, 16
    q = torch.randn(1, heads, sum(n_q), dim, generator=gen)
    k = torch.randn(1, kv_heads, sum(n_k), dim, generator=gen)
    v = torch.randn(1, kv_heads, sum(n_k), dim, generator=gen)
    got, _ = varlen_sdpa_forward(_Layer(), q, k, v, None, scaling=0.25, cu_seq_lens_q=cu_q, cu_seq_lens_k=cu_k)
    spans = [((0, 1), (0, 7)), ((1, 6), (7, 12)), ((6, 9), (12, 20))]
    want = _reference(q, k, v, spans, 0.25)
    assert got.shape == (1, 9, heads, dim)
    assert torch.allclose(got, want, atol=1e-5)
    # the packed layout's mistake it avoids: attending the decoding answer to the other requests' keys changes it
    leaked = _reference(q, k, v, [((0, 1), (0, 20))], 0.25)
    assert not torch.allclose(got[:, :1], leaked, atol=1e-3)


@pytest.mark.slow
def test_varlen_answers_as_the_packed_attention_does(tmp_path):
    # five prompts through three slots: prompts are admitted while others decode, so batches mix prefill and decode
    from crabplug_eval.continuous import ContinuousGenerator
    from crabplug_eval.generate import Settings
    from test_eval_checkpoint import build_tiny_llama

    build_tiny_llama(tmp_path / "ckpt")
    prompts = ["hello world", "the tea is good", "yes", "no no no , the world is a tea", "a"]
    rows = [{"key": i, "prompt": p} for i, p in enumerate(prompts)]
    answers = {}
    for attention in ("varlen", "packed"):
        got = {}
        generator = ContinuousGenerator(str(tmp_path / "ckpt"), Settings(max_tokens=12, batch_size=3), attention)
        assert generator.generate(rows, lambda row, text, got=got: got.__setitem__(row["key"], text)) == []
        answers[attention] = got
    assert len(answers["varlen"]) == 5 and answers["varlen"] == answers["packed"]
