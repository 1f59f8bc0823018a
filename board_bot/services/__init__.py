"""Domain rules as plain functions over a session; ``now`` is always passed in."""
