"""Work packages (Arbeitspakete): the field table, the status and traffic-light words, the rules,
the texts, and the CSV/JSON export and import."""
