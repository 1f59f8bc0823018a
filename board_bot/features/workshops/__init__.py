"""Cross-department workshops: slot polls and votes, invitations with .ics files, answers,
reminders, agenda, minutes and the decision register."""
