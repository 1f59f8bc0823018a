"""The board's summary (Lagebericht): what it says, how it reads, its chart, and its posting
after each round."""
