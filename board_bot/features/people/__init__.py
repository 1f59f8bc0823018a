"""People and their roles on a board, who acts for a department on a given day (lead or deputy),
and the import of an organisation chart."""
