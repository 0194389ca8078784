"""langdetect's trial a batch of steps at a time, for :mod:`crabplug.text.langid`.

A trial multiplies 55 language probabilities by one sampled n-gram's probabilities per step and normalises
after steps 0, 5, 10... until the leader holds more than 0.99999 of the total. Step by step that is several
NumPy calls per five samples; here a whole batch takes a handful. The products differ from langdetect's
step-by-step rounding by about 1e-12 (relative), far inside ``MARGIN``: any decision closer than that to
going the other way returns None, and the caller reruns the exact trial.
"""

from __future__ import annotations

CONVERGED = 1.0 / 0.99999 - 1.0  # langdetect's CONV_THRESHOLD as (total - max) / max
MARGIN = 1e-6  # relative: far above the 1e-12 by which batched products differ from langdetect's
SUBNORMAL = 1e-260  # a probability this far below the leader's may turn subnormal in langdetect's floats
# the leader's scaled product only falls in a batch (each block's is scaled to at most 1); kept above this, a
# language above SUBNORMAL of it never underflows here; below it the exact trial takes over
FLOOR = 1e-40


def _sample_rows(det, codes, words: int):
    """The samples the first ``words`` words of the stream give, whichever trial draws them: the positions of
    the accepted words and their n-grams' rows of probabilities."""
    n = len(codes)
    drawn = det._words(words)[:words] >> (32 - n.bit_length())
    at = (drawn < n).nonzero()[0]
    return at, det.table[codes[drawn[at]]]


def batch_trial(det, pos: int, prob, weight: float, codes):
    """One trial as ``FastDetector._trial``, a batch of normalisation steps at once: langdetect normalises after
    samples 0, 5, 10..., which changes no ratio between languages, so each block's product is taken for a
    whole batch, scaled by its largest value, and multiplied up (one cumulative product); every
    normalisation point is then checked at once, instead of block by block.

    The products stay within about 1e-12 (relative) of langdetect's step-by-step ones; a convergence test
    within ``MARGIN`` of its threshold returns None (the caller then runs the exact trial), as does a
    language that sank to where langdetect's floats lose precision (subnormal) and later came back.
    """
    np, limit = det.np, det.d.ITERATION_LIMIT
    if det._samples[0] is not codes:  # the first trial of a text
        det._samples = codes, *_sample_rows(det, codes, 384)
    _, at, rows = det._samples
    start = int(at.searchsorted(pos))  # this trial's first sample
    level = None  # probabilities after the samples so far, the leader at 1
    sank = None  # languages that sank below SUBNORMAL at a normalisation point
    done, blocks = 0, 16  # samples taken, blocks of 5 in the next batch
    while True:
        head = 1 if level is None else 0  # sample 0 is a block alone, then blocks of 5
        end = start + done + head + 5 * blocks
        if end > len(at):
            det._samples = codes, *_sample_rows(det, codes, 4 * len(at) + 384)
            _, at, rows = det._samples
            continue
        factors = rows[start + done : end] + weight
        if head:
            # after sample 0 no language can pass the threshold (the other 54 keep at least their weight)
            level = prob * factors[0]  # at least weight / 55: no underflow when multiplied by a block
        f = factors[head:]
        products = f[0::5] * f[1::5]
        products *= f[2::5]
        products *= f[3::5]
        products *= f[4::5]
        products[0] *= level
        products /= np.maximum.reduce(products, axis=1, keepdims=True)
        np.multiply.accumulate(products, axis=0, out=products)  # each value only falls along a batch
        top = np.maximum.reduce(products, axis=1)
        others = np.add.reduce(products, axis=1) / top - 1.0  # (total - max) / max; converged below CONVERGED
        # row r ends with sample done + head + 5r + 4; langdetect stops there at the limit
        at_limit = max(0, -(-(limit - done - head - 4) // 5))
        near = (others <= CONVERGED * (1 + MARGIN)).nonzero()[0]
        k = min(int(near[0]) if len(near) else blocks, at_limit)
        last = min(k, blocks - 1)
        if top[last] < FLOOR:
            return None
        # each value falls along the batch and top[0] is the largest top: the last row's least value tells
        if sank is not None or np.minimum.reduce(products[last]) < SUBNORMAL * top[0]:
            low = products[: k + 1] < SUBNORMAL * top[: k + 1, None]
            if sank is not None:
                low[0] |= sank
                if (sank & (products[0] > SUBNORMAL * 1e40 * top[0])).any():
                    return None
            low = np.logical_or.accumulate(low, axis=0)
            if (low[:-1] & (products[1 : k + 1] > SUBNORMAL * 1e40 * top[1 : k + 1, None])).any():
                return None
            sank = low[-1]
        if k < blocks:
            if k < at_limit and others[k] >= CONVERGED * (1 - MARGIN):
                return None
            return products[k] / (top[k] * (1.0 + others[k])), int(at[start + done + head + 5 * k + 4]) + 1
        level = products[-1] / top[-1]
        done += head + 5 * blocks
        blocks = min(2 * blocks, 64)
