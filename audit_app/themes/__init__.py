"""Theme taxonomy (add, rename, merge, retire) and the theme summary for QA leads."""
