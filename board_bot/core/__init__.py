"""The ground floor: configuration, database, clock, errors, ids, dates and times, rendering
and sanitising, the texts (i18n), how a person is named, the outbox rows and the audit log. Imports
nothing of the bot but the models."""
