"""The nio adapter: the only package that imports matrix-nio."""
