"""Kept for the migrations: `resources/migrations/0002_…` names these blocks by this path.

The blocks live in `core/blocks.py`; import them from there.
"""

from core.blocks import NumberedStepsBlock, ParagraphBlock

__all__ = ["NumberedStepsBlock", "ParagraphBlock"]
