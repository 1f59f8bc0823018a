"""Status rounds: the schedule, rounds and prompts, the answers (parser, recording, edits,
redactions), reminders, and the texts of prompts, confirmations and the overview."""
