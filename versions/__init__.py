"""The data version: one number that moves with every committed write to the product's
content, so that what a page renders from that content can be cached under it (data.py)."""
