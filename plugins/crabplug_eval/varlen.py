"""Paged attention for a CPU that attends each answer to its own keys only.

transformers' ``paged|sdpa`` packs every request of a continuous batch into one sequence and runs one
scaled-dot-product attention over all of their keys, with a mask that hides the other requests' keys. With 32
answers decoding at once each new token is scored against all 32 answers' keys, so attention costs the batch size
times what it needs and is most of the time on a CPU (a py-spy profile of IFEval at 256 tokens, batch 32: 86% in
that attention, 24% in the linear layers). Here each request attends, in its own small SDPA call, to its own slice
of the cache (``cu_seq_lens_q`` / ``cu_seq_lens_k``, the flash-attention varlen layout), bottom-right causal where a
prompt is prefilled in chunks. The numbers are the same attention; the sums are ordered differently, so a greedy
answer can differ from ``paged|sdpa``'s where two next tokens are within rounding of each other.
"""

from __future__ import annotations

from typing import Any

#: The name under which :func:`register` adds it to transformers' attention functions.
NAME = "paged|crab_varlen_sdpa"


def varlen_sdpa_forward(
    module: Any,
    query: Any,
    key: Any,
    value: Any,
    attention_mask: Any,
    dropout: float = 0.0,
    scaling: float | None = None,
    **kwargs: Any,
) -> tuple[Any, None]:
    """Update the paged cache, then attend each request's new tokens to its own keys (``query``: ``[1, heads, q,
    dim]``; returns ``[1, q, heads, dim]`` as transformers' attention functions do)."""
    import torch

    cache = kwargs.pop("cache", None)
    if cache is not None:
        key, value = cache.update(
            key_states=key,
            value_states=value,
            layer_idx=module.layer_idx,
            read_index=kwargs["read_index"],
            write_index=kwargs["write_index"],
        )  # [total_k, kv_heads, dim]
    else:
        key, value = key.squeeze(0).transpose(0, 1), value.squeeze(0).transpose(0, 1)
    cu_q = kwargs["cu_seq_lens_q"]
    cu_k = kwargs["cu_seq_lens_k"]
    if isinstance(cu_k, dict):
        cu_k = cu_k["full_attention"]
    starts_q, starts_k = cu_q.tolist(), cu_k.tolist()
    gqa = query.shape[1] != key.shape[1]
    out = torch.zeros_like(query[0].transpose(0, 1))  # [total_q, heads, dim]; padding rows stay 0
    for i in range(len(starts_q) - 1):
        q0, q1, k0, k1 = starts_q[i], starts_q[i + 1], starts_k[i], starts_k[i + 1]
        if q1 == q0:
            continue
        q = query[:, :, q0:q1]
        k = key[k0:k1].transpose(0, 1).unsqueeze(0)
        v = value[k0:k1].transpose(0, 1).unsqueeze(0)
        n_q, n_k = q1 - q0, k1 - k0
        mask, causal = None, False
        if n_q == n_k and n_q > 1:
            causal = True
        elif 1 < n_q < n_k:  # a later chunk of a prompt: the new tokens are the last n_q of the n_k positions
            mask = torch.ones(n_q, n_k, dtype=torch.bool, device=q.device).tril(diagonal=n_k - n_q)
        attended = torch.nn.functional.scaled_dot_product_attention(
            q, k, v, attn_mask=mask, dropout_p=dropout, scale=scaling, is_causal=causal, enable_gqa=gqa
        )
        out[q0:q1] = attended[0].transpose(0, 1)
    return out.unsqueeze(0), None


def register() -> str:
    """Add the attention to transformers' registry (idempotent); returns the ``attn_implementation`` to ask for."""
    from transformers import AttentionInterface

    AttentionInterface.register(NAME, varlen_sdpa_forward)
    return NAME
