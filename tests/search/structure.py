"""Comparing strategies by structure: block names and labels (regenerated on parsing) left aside."""

from __future__ import annotations

from dataclasses import replace

from synthesist.search.model import BlockRef, Combination, Not, Strategy


def _renamed(combination: Combination, names: dict[str, str]) -> Combination:
    if isinstance(combination, BlockRef):
        return BlockRef(names[combination.name])
    if isinstance(combination, Not):
        return Not(_renamed(combination.keep, names), _renamed(combination.drop, names))
    return type(combination)(tuple(_renamed(part, names) for part in combination.parts))


def structure(strategy: Strategy) -> Strategy:
    """``strategy`` with its blocks named b1, b2... in order, no labels, and no strategy name."""
    names = {block.name: f"b{index}" for index, block in enumerate(strategy.blocks, start=1)}
    blocks = tuple(replace(block, name=names[block.name], label="") for block in strategy.blocks)
    return replace(strategy, name="", blocks=blocks, combine=_renamed(strategy.combine, names))
