"""Clustering scores that do not depend on how clusters are named."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping


def bcubed(predicted: Mapping[str, str], gold: Mapping[str, str]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of `predicted` (item -> cluster) against `gold`.

    Per item: precision is the share of its predicted cluster that shares its gold cluster,
    recall the share of its gold cluster that shares its predicted cluster; both averaged.
    """
    items = [item for item in gold if item in predicted]
    if not items:
        return 0.0, 0.0, 0.0
    both = Counter((predicted[item], gold[item]) for item in items)
    predicted_sizes = Counter(predicted[item] for item in items)
    gold_sizes = Counter(gold[item] for item in items)
    precision = sum(both[predicted[i], gold[i]] / predicted_sizes[predicted[i]] for i in items)
    recall = sum(both[predicted[i], gold[i]] / gold_sizes[gold[i]] for i in items)
    precision /= len(items)
    recall /= len(items)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1
