"""Evaluation shared by training and the bench: the validation split, masks, quality metrics."""
