"""Data protection (issue 16): what the bot keeps about people, access, erasure, retention."""
